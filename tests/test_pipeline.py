"""The optional CDK pipeline: off as shipped; when configured, one cross-account CodePipeline that
deploys the listed environments in order, with an approval before production and clean cdk-nag."""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from aws_cdk.assertions import Match, Template

from cdk_app.config import ConfigError, EnvironmentConfig
from cdk_app.config.loading import load_environments, load_project
from cdk_app.config.loading.project import load_pipeline
from composition.app_builder import build_app
from tests.fixtures import FIXTURE_CONFIG_DIR
from tests.fixtures.config_dir import project_of

REPO = Path(__file__).resolve().parents[1]
PIPELINE_ACCOUNT = "222222222222"
CONNECTION = "arn:aws:codeconnections:eu-west-1:222222222222:connection/00000000-0000-0000-0000-000000000000"
ORDER = ("dev", "staging", "prod")
ENABLED = (
    f"enabled: true\naccount: '{PIPELINE_ACCOUNT}'\nregion: eu-west-1\n"
    f"source: {{repository: example-org/cognito-sso-cdk, connection_arn: '{CONNECTION}'}}\n"
)


def cross_account_environments() -> list[EnvironmentConfig]:
    """The fixture environments; dev and staging get an account, as a multi-account set-up would."""
    configs = load_environments(list(ORDER), FIXTURE_CONFIG_DIR)
    return [c if c.account else c.model_copy(update={"account": "111111111111"}) for c in configs]


def enabled_pipeline(environments: tuple[str, ...] = ORDER) -> str:
    """``config/pipeline/pipeline.yaml`` enabling the pipeline for ``environments``, in that order."""
    return ENABLED + f"environments: [{', '.join(environments)}]\n"


@dataclass(frozen=True)
class PipelineSynth:
    outdir: Path
    root_stages: list[str]
    template: dict[str, Any]


@pytest.fixture(scope="module")
def piped(tmp_path_factory: pytest.TempPathFactory) -> PipelineSynth:
    outdir = tmp_path_factory.mktemp("pipeline.out")
    config_dir = tmp_path_factory.mktemp("pipeline-config") / "config"
    project = project_of(config_dir, *cross_account_environments(), pipeline=enabled_pipeline())
    app, stages = build_app(project, outdir=str(outdir))
    # With cdk-nag on, any unacknowledged finding raises RuntimeError("ValidationFailed ...") here.
    app.synth()
    template = json.loads((outdir / "Pipeline.template.json").read_text())
    return PipelineSynth(outdir, sorted(stages), template)


def pipeline_stages(piped: PipelineSynth) -> list[dict[str, Any]]:
    pipelines = Template.from_json(piped.template).find_resources("AWS::CodePipeline::Pipeline")
    assert len(pipelines) == 1
    stages: list[dict[str, Any]] = next(iter(pipelines.values()))["Properties"]["Stages"]
    return stages


def test_synth_with_the_pipeline_leaves_no_unacknowledged_nag_finding(piped: PipelineSynth) -> None:
    report_path = piped.outdir / "validation-report.json"
    report = json.loads(report_path.read_text()) if report_path.exists() else {}
    violations = [v for p in report.get("pluginReports", []) for v in p.get("violations", [])]
    assert violations == []


def test_pipeline_deploys_each_environment_in_config_order(piped: PipelineSynth) -> None:
    names = [s["Name"] for s in pipeline_stages(piped)]
    assert [n for n in names if n in ORDER] == list(ORDER)
    assert names.index("UpdatePipeline") < names.index("dev")


def test_manual_approval_comes_before_production_and_only_there(piped: PipelineSynth) -> None:
    by_name = {s["Name"]: s["Actions"] for s in pipeline_stages(piped)}
    approvals = {
        name: [a["RunOrder"] for a in actions if a["ActionTypeId"]["Category"] == "Approval"]
        for name, actions in by_name.items()
    }
    assert {name: runs for name, runs in approvals.items() if runs} == {"prod": [1]}
    deploy_runs = [a["RunOrder"] for a in by_name["prod"] if a["ActionTypeId"]["Category"] == "Deploy"]
    assert deploy_runs
    assert min(deploy_runs) > 1


def test_artifacts_use_a_rotating_key_and_a_logged_tls_only_bucket(piped: PipelineSynth) -> None:
    template = Template.from_json(piped.template)
    # cross_account_keys: every region's artifact store is encrypted with a KMS key, not S3's default.
    stores = next(iter(template.find_resources("AWS::CodePipeline::Pipeline").values()))["Properties"][
        "ArtifactStores"
    ]
    assert {s["Region"] for s in stores} == {"eu-west-1", "us-east-1"}
    assert all(s["ArtifactStore"]["EncryptionKey"]["Type"] == "KMS" for s in stores)
    template.has_resource_properties("AWS::KMS::Key", {"EnableKeyRotation": True})
    template.has_resource_properties(
        "AWS::S3::Bucket",
        {
            "BucketEncryption": {
                "ServerSideEncryptionConfiguration": [
                    Match.object_like(
                        {"ServerSideEncryptionByDefault": Match.object_like({"SSEAlgorithm": "aws:kms"})}
                    )
                ]
            },
            "LoggingConfiguration": Match.object_like({"LogFilePrefix": "artifacts/"}),
        },
    )


def test_pipelined_environments_are_not_also_top_level_stages(piped: PipelineSynth) -> None:
    assert piped.root_stages == []
    assert not (piped.outdir / "assembly-dev").exists()
    manifest = json.loads((piped.outdir / "assembly-Pipeline-prod" / "manifest.json").read_text())
    names = sorted(
        a["properties"]["stackName"]
        for a in manifest["artifacts"].values()
        if a["type"] == "aws:cloudformation:stack"
    )
    # The same stack names as `make deploy ENV=prod`, so moving to the pipeline adopts the stacks.
    assert names == ["prod-Api", "prod-Certificate", "prod-Identity"]


def test_a_disabled_pipeline_config_adds_no_stack() -> None:
    disabled = load_pipeline(FIXTURE_CONFIG_DIR)
    assert disabled.enabled is False
    app, stages = build_app(load_project(FIXTURE_CONFIG_DIR, ["dev"]), with_checks=False)
    assert app.node.try_find_child("Pipeline") is None
    assert list(stages) == ["dev"]


def write_config(tmp_path: Path, pipeline_yaml: str, *, dev_account: bool = True) -> Path:
    dev = (FIXTURE_CONFIG_DIR / "dev.yaml").read_text(encoding="utf-8")
    (tmp_path / "dev.yaml").write_text(dev + ('\naccount: "111111111111"\n' if dev_account else ""))
    shutil.copy(FIXTURE_CONFIG_DIR / "prod.yaml", tmp_path / "prod.yaml")
    (tmp_path / "pipeline").mkdir()
    (tmp_path / "pipeline" / "pipeline.yaml").write_text(pipeline_yaml, encoding="utf-8")
    return tmp_path


def test_a_valid_pipeline_file_loads(tmp_path: Path) -> None:
    loaded = load_pipeline(write_config(tmp_path, ENABLED + "environments: [dev, prod]\n"))
    assert loaded.environments == ("dev", "prod")
    assert loaded.source is not None
    assert loaded.source.branch == "main"


@pytest.mark.parametrize(
    ("yaml_tail", "dev_account", "field", "message"),
    [
        (
            "environments: [dev, no-such-env]\n",
            True,
            "environments[1]",
            "'no-such-env' is not an environment; environments: dev, prod",
        ),
        ("environments: [dev, prod]\n", False, "environments[0]", "'dev' has no account and region"),
        ("environments: [prod, dev]\n", True, "environments[1]", "list lower tiers first"),
        ("environments: [dev, dev]\n", True, "environments", "repeated: ['dev']"),
        ("environments: []\n", True, "environments", "list at least one environment"),
        ("environments: [dev]\nwaves: [dev]\n", True, "waves", "unknown key"),
    ],
)
def test_pipeline_config_errors_name_file_and_field(
    tmp_path: Path, yaml_tail: str, dev_account: bool, field: str, message: str
) -> None:
    config_dir = write_config(tmp_path, ENABLED + yaml_tail, dev_account=dev_account)
    with pytest.raises(ConfigError) as caught:
        load_pipeline(config_dir)
    assert caught.value.file.endswith("pipeline/pipeline.yaml")
    assert caught.value.field == field
    assert message in caught.value.reason


def test_an_enabled_pipeline_needs_its_home_and_source(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as caught:
        load_pipeline(write_config(tmp_path, "enabled: true\nenvironments: [dev]\n"))
    assert caught.value.field == "account"
    assert "required when the pipeline is enabled" in caught.value.reason


def test_a_pipeline_environment_without_its_config_file_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as caught:
        project_of(
            tmp_path / "config", *cross_account_environments()[:1], pipeline=enabled_pipeline(("dev", "prod"))
        )
    assert caught.value.field == "environments[1]"
    assert "'prod' is not an environment" in caught.value.reason

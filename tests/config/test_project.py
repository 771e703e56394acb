"""One entry loads a run's config: each file read once, through one reader, checked together, every
problem in every file reported at once; the app's main uses it and nothing after it re-reads."""

from __future__ import annotations

import json
import shutil
import sys
import types
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from cdk_app.config import ConfigError, yaml_io
from cdk_app.config.loading import Project, load_project
from composition import main
from tests.fixtures import FIXTURE_CONFIG_DIR

CONNECTION = "arn:aws:codeconnections:eu-west-1:222222222222:connection/00000000-0000-0000-0000-000000000000"
PIPELINE = (
    "enabled: true\naccount: '222222222222'\nregion: eu-west-1\n"
    f"source: {{repository: example-org/cognito-sso-cdk, connection_arn: '{CONNECTION}'}}\n"
)


@pytest.fixture
def config_dir(tmp_path: Path) -> Path:
    """The fixture environments (dev with an account) and an enabled pipeline deploying dev, prod."""
    for name in ("dev", "staging", "prod"):
        shutil.copy(FIXTURE_CONFIG_DIR / f"{name}.yaml", tmp_path / f"{name}.yaml")
    with (tmp_path / "dev.yaml").open("a") as dev:
        dev.write('account: "111111111111"\n')
    (tmp_path / "pipeline").mkdir()
    (tmp_path / "pipeline" / "pipeline.yaml").write_text(PIPELINE + "environments: [dev, prod]\n")
    return tmp_path


@pytest.fixture
def reads(monkeypatch: pytest.MonkeyPatch) -> Counter[str]:
    """Counts every file the one YAML reader reads, by name."""
    counted: Counter[str] = Counter()
    real = yaml_io.read_yaml_file

    def counting(path: Path, shown: str | None = None) -> yaml_io.YamlDocument:
        counted[path.name] += 1
        return real(path, shown)

    monkeypatch.setattr(yaml_io, "read_yaml_file", counting)
    return counted


@pytest.fixture
def built(monkeypatch: pytest.MonkeyPatch) -> list[Project]:
    """Stands in for composition.app_builder (no jsii): records what the main hands to build_app."""
    received: list[Project] = []

    class App:
        outdir = "unused"

        def synth(self) -> types.SimpleNamespace:
            return types.SimpleNamespace(stacks_recursively=[])  # a cloud assembly of no stacks

    def build_app(project: Project) -> tuple[App, dict[str, Any]]:
        received.append(project)
        return App(), {}

    fake = types.ModuleType("composition.app_builder")
    fake.build_app = build_app  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "composition.app_builder", fake)
    return received


def run_main(monkeypatch: pytest.MonkeyPatch, context: dict[str, str]) -> int:
    monkeypatch.setenv("CDK_CONTEXT_JSON", json.dumps(context))
    monkeypatch.delenv("CONTEXT_OVERFLOW_LOCATION_ENV", raising=False)
    return main.run()


def test_a_run_reads_each_file_once_and_hands_the_checked_project_to_build_app(
    config_dir: Path, reads: Counter[str], built: list[Project], monkeypatch: pytest.MonkeyPatch
) -> None:
    assert run_main(monkeypatch, {"env": "dev", "config_dir": str(config_dir)}) == 0
    # dev was asked for; prod comes with the pipeline, which needs all of its environments.
    assert reads == {"pipeline.yaml": 1, "dev.yaml": 1, "prod.yaml": 1}
    [project] = built
    assert [e.name for e in project.environments] == ["dev", "prod"]
    assert [e.name for e in project.pipeline_environments] == ["dev", "prod"]
    assert project.standalone == ()


def test_a_run_of_every_environment_reads_every_file_once(
    config_dir: Path, reads: Counter[str], built: list[Project], monkeypatch: pytest.MonkeyPatch
) -> None:
    assert run_main(monkeypatch, {"config_dir": str(config_dir)}) == 0
    assert reads == {"pipeline.yaml": 1, "dev.yaml": 1, "staging.yaml": 1, "prod.yaml": 1}
    assert [e.name for e in built[0].standalone] == ["staging"]


def test_a_mistyped_environment_lists_them_and_suggests_the_closest(
    config_dir: Path,
    built: list[Project],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert run_main(monkeypatch, {"env": "devv", "config_dir": str(config_dir)}) == 2
    assert capsys.readouterr().err == (
        f"config error in {config_dir}/: no environment named 'devv'; did you mean 'dev'? "
        "environments: dev, prod, staging\n"
    )
    assert built == [], "nothing is built from config with problems"


def test_problems_in_several_files_are_reported_together(config_dir: Path) -> None:
    dev = config_dir / "dev.yaml"
    dev.write_text(dev.read_text().replace("tier: development", "tier: dev"))
    prod = config_dir / "prod.yaml"
    prod.write_text(prod.read_text().replace("region: ", "regoin: ", 1))
    (config_dir / "pipeline" / "pipeline.yaml").write_text(PIPELINE + "environments: [dev, prod]\nwaves: 2\n")
    with pytest.raises(ConfigError) as caught:
        load_project(config_dir)
    found = [(Path(p.file).name, p.field) for p in caught.value.problems]
    assert found == [("pipeline.yaml", "waves"), ("dev.yaml", "tier"), ("prod.yaml", "regoin")]


def test_a_pipeline_environment_with_a_broken_file_is_reported_once(config_dir: Path) -> None:
    prod = config_dir / "prod.yaml"
    prod.write_text(prod.read_text() + "bogus: 1\n")
    with pytest.raises(ConfigError) as caught:
        load_project(config_dir, names=["dev"])
    assert [(Path(p.file).name, p.field) for p in caught.value.problems] == [("prod.yaml", "bogus")]


def test_a_mistyped_pipeline_environment_is_named_at_its_line(config_dir: Path) -> None:
    (config_dir / "pipeline" / "pipeline.yaml").write_text(PIPELINE + "environments:\n  - dev\n  - prdo\n")
    with pytest.raises(ConfigError) as caught:
        load_project(config_dir, names=["dev"])
    error = caught.value
    assert (Path(error.file).name, error.line, error.field) == ("pipeline.yaml", 7, "environments[1]")
    assert (
        error.reason == "'prdo' is not an environment; did you mean 'prod'? environments: dev, prod, staging"
    )


def test_the_pipeline_alone_loads_just_its_environments(config_dir: Path, reads: Counter[str]) -> None:
    project = load_project(config_dir, names=())
    assert [e.name for e in project.environments] == ["dev", "prod"]
    assert reads == {"pipeline.yaml": 1, "dev.yaml": 1, "prod.yaml": 1}


def test_no_pipeline_file_means_no_pipeline(config_dir: Path) -> None:
    shutil.rmtree(config_dir / "pipeline")
    project = load_project(config_dir, names=["staging"])
    assert (project.pipeline.enabled, [e.name for e in project.environments]) == (False, ["staging"])

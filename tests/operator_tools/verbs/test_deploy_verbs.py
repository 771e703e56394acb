"""``make deploy/destroy/diff/bootstrap/pipeline``: each verb's checks, with a fake CDK CLI; no test
reaches AWS.

A few tests run a verb as the Makefile does (a subprocess with ``--cdk /bin/echo``, whose output
is the command that would have run). The rest call the verb's ``main`` in-process with ``os.execve``
recorded instead of run, because each subprocess pays about a second of config-model import.
An empty stdout proves nothing ran.
"""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from cdk_app.config import available_environments
from operator_tools.verbs import bootstrap, deploy, destroy, diff, pipeline
from tests.aws_env import aws_environment, isolate_aws
from tests.fixtures import FIXTURE_CONFIG_DIR

REPO = Path(__file__).resolve().parents[3]
CONFIG = FIXTURE_CONFIG_DIR
FAKE_CDK = "/bin/echo"

# Every fixture environment, as the tools list them.
LISTED = ", ".join(available_environments(CONFIG))
VERBS = {"deploy": deploy, "destroy": destroy, "diff": diff, "bootstrap": bootstrap, "pipeline": pipeline}


@dataclass
class Result:
    returncode: int
    stdout: str
    stderr: str


def run_process(
    verb: str, *args: str, environ: dict[str, str], stdin: str = ""
) -> subprocess.CompletedProcess[str]:
    command = [
        sys.executable,
        "-m",
        f"operator_tools.verbs.{verb}",
        *args,
        "--cdk",
        FAKE_CDK,
        "--config-dir",
        str(CONFIG),
    ]
    return subprocess.run(
        command, input=stdin, capture_output=True, text=True, cwd=REPO, env=environ, timeout=60, check=False
    )


Guard = Callable[..., Result]


@pytest.fixture
def with_credentials(tmp_path: Path) -> dict[str, str]:
    """A subprocess environment with fake AWS keys and nothing from this machine's AWS set-up."""
    return aws_environment(tmp_path, credentials=True)


@pytest.fixture
def guard(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Guard:
    """Run a verb's ``main`` in-process; the command it would exec is returned as ``stdout``, like echo's.

    Fake AWS keys are set; a test about missing credentials calls ``isolate_aws`` again without them.
    """
    isolate_aws(monkeypatch, tmp_path, credentials=True)

    def run(
        verb: str, *args: str, stdin: str = "", config_dir: Path | None = None, ci: bool = False
    ) -> Result:
        executed: list[str] = []
        monkeypatch.setattr(os, "execve", lambda _path, argv, _env: executed.extend(argv[1:]))
        argv = [
            *args,
            "--cdk",
            FAKE_CDK,
            "--config-dir",
            str(config_dir or CONFIG),
            *(["--ci"] if ci else []),
        ]
        err = io.StringIO()
        if verb == "destroy":
            code = destroy.main(argv, stdin=io.StringIO(stdin), stderr=err)
        else:
            code = VERBS[verb].main(argv, stderr=err)
        return Result(code, " ".join(executed), err.getvalue())

    return run


def _enabled_pipeline(config_dir: Path) -> Path:
    """A config directory whose pipeline deploys dev (which then needs an account)."""
    dev = (CONFIG / "dev.yaml").read_text(encoding="utf-8")
    config_dir.mkdir()
    (config_dir / "dev.yaml").write_text(dev + '\naccount: "111111111111"\n', encoding="utf-8")
    (config_dir / "pipeline").mkdir()
    (config_dir / "pipeline" / "pipeline.yaml").write_text(
        "enabled: true\naccount: '222222222222'\nregion: eu-west-1\nenvironments: [dev]\n"
        "source:\n  repository: example-org/cognito-sso-cdk\n  connection_arn: "
        "arn:aws:codeconnections:eu-west-1:222222222222:connection/00000000-0000-0000-0000-000000000000\n",
        encoding="utf-8",
    )
    return config_dir


def test_process_refuses_to_destroy_production_with_exit_1(with_credentials: dict[str, str]) -> None:
    result = run_process("destroy", "--env", "prod", "--force", environ=with_credentials)
    assert result.returncode == 1
    assert "refusing to destroy prod: it is tier production" in result.stderr
    assert result.stdout == ""


def test_process_runs_cdk_destroy_after_the_name_is_typed_on_stdin(with_credentials: dict[str, str]) -> None:
    result = run_process("destroy", "--env", "dev", stdin="dev\n", environ=with_credentials)
    assert result.returncode == 0, result.stderr
    assert "Type the environment name (dev)" in result.stderr
    assert result.stdout.split() == ["destroy", "dev/*", "-c", "env=dev", "--force"]


def test_process_without_env_exits_2_listing_environments(with_credentials: dict[str, str]) -> None:
    result = run_process("deploy", "--env", "", environ=with_credentials)
    assert result.returncode == 2
    assert f"environments: {LISTED}" in result.stderr
    assert result.stdout == ""


def test_destroy_runs_nothing_when_the_typed_name_does_not_match(guard: Guard) -> None:
    result = guard("destroy", "--env", "dev", stdin="staging\n")
    assert result.returncode == 1
    assert "Type the environment name (dev)" in result.stderr
    assert "nothing was destroyed" in result.stderr
    assert result.stdout == ""


def test_destroy_runs_nothing_without_an_answer(guard: Guard) -> None:
    result = guard("destroy", "--env", "dev", stdin="")
    assert result.returncode == 1
    assert result.stdout == ""


def test_force_skips_the_confirmation_for_non_production(guard: Guard) -> None:
    result = guard("destroy", "--env", "staging", "--force")
    assert result.returncode == 0, result.stderr
    assert "Type the environment name" not in result.stderr
    assert result.stdout.split()[:2] == ["destroy", "staging/*"]


@pytest.mark.parametrize("verb", ["deploy", "destroy", "diff", "bootstrap"])
def test_missing_env_names_the_verb_and_lists_the_environments(guard: Guard, verb: str) -> None:
    result = guard(verb, "--env", "")
    assert result.returncode == 2
    assert result.stderr == (
        f"make {verb}: ENV is required, e.g. make {verb} ENV=dev; environments: {LISTED}\n"
    )
    assert result.stdout == ""


@pytest.mark.parametrize(
    ("verb", "typed", "closest"),
    [("deploy", "devv", "dev"), ("diff", "prd", "prod"), ("destroy", "stagin", "staging")],
)
def test_mistyped_env_suggests_the_closest_environment(
    guard: Guard, verb: str, typed: str, closest: str
) -> None:
    result = guard(verb, "--env", typed)
    assert result.returncode == 2
    assert f"no environment named {typed!r} (did you mean make {verb} ENV={closest}?)" in result.stderr
    assert f"environments: {LISTED}" in result.stderr
    assert result.stdout == ""


def test_unknown_env_lists_the_environments(guard: Guard) -> None:
    result = guard("deploy", "--env", "no-such-env")
    assert result.returncode == 2
    assert f"no environment named 'no-such-env'; environments: {LISTED}" in result.stderr
    assert result.stdout == ""


def test_tier_not_name_decides_what_is_production(guard: Guard, tmp_path: Path) -> None:
    shutil.copy(CONFIG / "prod.yaml", tmp_path / "live.yaml")
    shutil.copy(CONFIG / "dev.yaml", tmp_path / "prod.yaml")
    refused = guard("destroy", "--env", "live", "--force", config_dir=tmp_path)
    assert refused.returncode == 1
    assert "tier production" in refused.stderr
    allowed = guard("destroy", "--env", "prod", "--force", config_dir=tmp_path)
    assert allowed.returncode == 0, allowed.stderr


def test_deploy_asks_for_broadening_approval_by_default(guard: Guard) -> None:
    result = guard("deploy", "--env", "prod")
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["deploy", "prod/*", "-c", "env=prod", "--require-approval", "broadening"]


def test_deploy_refuses_approval_never_for_production_outside_ci(guard: Guard) -> None:
    local = guard("deploy", "--env", "prod", "--approval", "never")
    assert local.returncode == 1
    assert "APPROVAL=never is only for CI" in local.stderr
    assert local.stdout == ""
    in_ci = guard("deploy", "--env", "prod", "--approval", "never", ci=True)
    assert in_ci.returncode == 0, in_ci.stderr
    assert in_ci.stdout.split()[-2:] == ["--require-approval", "never"]


def test_deploy_allows_approval_never_below_production(guard: Guard) -> None:
    result = guard("deploy", "--env", "staging", "--approval", "never")
    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[-1] == "never"


def test_deploy_rejects_an_unknown_approval_level(guard: Guard) -> None:
    result = guard("deploy", "--env", "dev", "--approval", "sometimes")
    assert result.returncode == 2
    assert "use one of broadening, any-change, never" in result.stderr


def test_diff_selects_only_the_environment(guard: Guard) -> None:
    result = guard("diff", "--env", "staging")
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["diff", "staging/*", "-c", "env=staging"]


def test_bootstrap_covers_the_certificate_region_and_requires_policies_with_trust(guard: Guard) -> None:
    refused = guard("bootstrap", "--env", "prod", "--trust", "210987654321")
    assert refused.returncode == 2
    assert "TRUST needs EXECUTION_POLICIES" in refused.stderr
    policy = "arn:aws:iam::123456789012:policy/cdk-deploy"
    result = guard("bootstrap", "--env", "prod", "--trust", "210987654321", "--execution-policies", policy)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "bootstrap",
        "aws://123456789012/eu-west-1",
        "aws://123456789012/us-east-1",
        "--trust",
        "210987654321",
        "--cloudformation-execution-policies",
        policy,
    ]


def test_an_environment_the_pipeline_deploys_is_not_deployed_from_make(guard: Guard, tmp_path: Path) -> None:
    config_dir = _enabled_pipeline(tmp_path / "config")
    refused = guard("deploy", "--env", "dev", config_dir=config_dir)
    assert refused.returncode == 1
    assert "deployed by the CDK pipeline 'cognito-sso'" in refused.stderr
    diff = guard("diff", "--env", "dev", config_dir=config_dir)
    assert diff.returncode == 0, diff.stderr
    assert diff.stdout.split()[:2] == ["diff", "Pipeline/dev/*"]


@pytest.mark.parametrize(
    ("args", "command"),
    [
        (("deploy", "--env", "dev"), "make deploy ENV=dev"),
        (("diff", "--env", "prod"), "make diff ENV=prod"),
        (("bootstrap", "--env", "prod"), "make bootstrap ENV=prod"),
        (("destroy", "--env", "dev"), "make destroy ENV=dev"),
    ],
)
def test_without_credentials_the_cdk_cli_never_starts_and_one_line_says_so(
    guard: Guard, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, args: tuple[str, ...], command: str
) -> None:
    isolate_aws(monkeypatch, tmp_path, credentials=False)
    result = guard(*args)
    assert result.returncode == 1
    assert result.stdout == ""
    verb = args[0]
    assert result.stderr.startswith(f"make {verb}: no AWS credentials found; ")
    assert f"run AWS_PROFILE=NAME {command}," in result.stderr
    # One line, and destroy never asked for the name it could not have acted on.
    assert result.stderr.count("\n") == 1


def test_process_without_credentials_prints_one_line(tmp_path: Path) -> None:
    result = run_process("deploy", "--env", "dev", environ=aws_environment(tmp_path, credentials=False))
    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr.splitlines() == [
        "make deploy: no AWS credentials found; sign in (e.g. `aws sso login --profile NAME`) and run "
        "AWS_PROFILE=NAME make deploy ENV=dev, or set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY"
    ]


def test_an_unknown_aws_profile_is_named(
    guard: Guard, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    isolate_aws(monkeypatch, tmp_path, credentials=False)
    monkeypatch.setenv("AWS_PROFILE", "nosuch")
    result = guard("diff", "--env", "dev")
    assert result.returncode == 1
    assert result.stderr == (
        "make diff: AWS_PROFILE=nosuch is not a profile in your AWS config; "
        "`aws configure list-profiles` lists the profiles you have\n"
    )
    assert result.stdout == ""


def test_usage_errors_come_before_the_credentials_check(
    guard: Guard, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    isolate_aws(monkeypatch, tmp_path, credentials=False)
    result = guard("deploy", "--env", "dev", "--approval", "sometimes")
    assert result.returncode == 2
    assert "use one of broadening, any-change, never" in result.stderr
    refused = guard("destroy", "--env", "prod", "--force")
    assert refused.returncode == 1
    assert "refusing to destroy prod" in refused.stderr


@pytest.mark.parametrize("verb", ["deploy", "diff", "destroy", "bootstrap"])
def test_a_real_environment_is_never_sent_to_an_endpoint_override(
    guard: Guard, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, verb: str
) -> None:
    isolate_aws(monkeypatch, tmp_path, credentials=True)
    monkeypatch.setenv("AWS_ENDPOINT_URL", "http://127.0.0.1:4566")
    result = guard(verb, "--env", "dev", *(["--force"] if verb == "destroy" else []))
    assert result.returncode == 1
    assert result.stderr.startswith(f"make {verb}: dev is a real environment (deploy_target: aws), but ")
    assert "AWS_ENDPOINT_URL redirects AWS calls elsewhere" in result.stderr
    assert result.stdout == ""  # the CDK CLI never started


def test_pipeline_while_disabled_says_so_instead_of_running_cdk(guard: Guard, tmp_path: Path) -> None:
    shipped = guard("pipeline")
    assert shipped.returncode == 1
    assert shipped.stderr.startswith(
        "make pipeline: the CDK pipeline is disabled: config/pipeline/pipeline.yaml says enabled: false. "
        "Set enabled: true there"
    )
    assert shipped.stdout == ""
    empty = tmp_path / "config"
    empty.mkdir()
    shutil.copy(CONFIG / "dev.yaml", empty / "dev.yaml")
    missing = guard("pipeline", config_dir=empty)
    assert missing.returncode == 1
    assert "config/pipeline/pipeline.yaml does not exist" in missing.stderr
    assert missing.stdout == ""


def test_pipeline_when_enabled_deploys_the_pipeline_stack_with_credentials_checked(
    guard: Guard, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    config_dir = _enabled_pipeline(tmp_path / "config")
    result = guard("pipeline", config_dir=config_dir)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["deploy", "Pipeline", "--require-approval", "broadening"]
    isolate_aws(monkeypatch, tmp_path, credentials=False)
    refused = guard("pipeline", config_dir=config_dir)
    assert refused.returncode == 1
    assert "make pipeline: no AWS credentials found" in refused.stderr
    assert "run AWS_PROFILE=NAME make pipeline," in refused.stderr
    assert refused.stdout == ""

"""``make deploy/destroy/diff/bootstrap`` guards, with a fake CDK CLI; no test reaches AWS.

A few tests run the guard as the Makefile does (a subprocess with ``--cdk /bin/echo``, whose output
is the command that would have run). The rest call ``main`` in-process with ``os.execv`` recorded
instead of run, because each subprocess pays about a second of config-model import.
An empty stdout proves nothing ran.
"""

from __future__ import annotations

import io
import shutil
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from operator_tools import deploy_guard

REPO = Path(__file__).resolve().parents[1]
CONFIG = REPO / "config"
FAKE_CDK = "/bin/echo"


@dataclass
class Result:
    returncode: int
    stdout: str
    stderr: str


def run_process(*args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "operator_tools.deploy_guard", *args, "--cdk", FAKE_CDK]
    return subprocess.run(
        command, input=stdin, capture_output=True, text=True, cwd=REPO, timeout=60, check=False
    )


Guard = Callable[..., Result]


@pytest.fixture
def guard(monkeypatch: pytest.MonkeyPatch) -> Guard:
    """Run ``main`` in-process; the command it would exec is returned as ``stdout``, like echo's."""

    def run(*args: str, stdin: str = "", config_dir: Path | None = None, ci: bool = False) -> Result:
        executed: list[str] = []
        monkeypatch.setattr(deploy_guard.os, "execv", lambda _path, argv: executed.extend(argv[1:]))
        argv = [*args, "--cdk", FAKE_CDK, *(["--config-dir", str(config_dir)] if config_dir else [])]
        err = io.StringIO()
        code = deploy_guard.main([*argv, *(["--ci"] if ci else [])], stdin=io.StringIO(stdin), stderr=err)
        return Result(code, " ".join(executed), err.getvalue())

    return run


def test_process_refuses_to_destroy_production_with_exit_1() -> None:
    result = run_process("destroy", "--env", "prod", "--force")
    assert result.returncode == 1
    assert "refusing to destroy prod: it is tier production" in result.stderr
    assert result.stdout == ""


def test_process_runs_cdk_destroy_after_the_name_is_typed_on_stdin() -> None:
    result = run_process("destroy", "--env", "dev", stdin="dev\n")
    assert result.returncode == 0, result.stderr
    assert "Type the environment name (dev)" in result.stderr
    assert result.stdout.split() == ["destroy", "dev/*", "-c", "env=dev", "--force"]


def test_process_without_env_exits_2_listing_environments() -> None:
    result = run_process("deploy", "--env", "")
    assert result.returncode == 2
    assert "environments: dev, prod, staging" in result.stderr
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
def test_missing_env_lists_the_environments(guard: Guard, verb: str) -> None:
    result = guard(verb, "--env", "")
    assert result.returncode == 2
    assert "ENV is required" in result.stderr
    assert "environments: dev, prod, staging" in result.stderr
    assert result.stdout == ""


def test_unknown_env_lists_the_environments(guard: Guard) -> None:
    result = guard("deploy", "--env", "qa")
    assert result.returncode == 2
    assert "no environment named 'qa'; environments: dev, prod, staging" in result.stderr
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
    dev = (CONFIG / "dev.yaml").read_text(encoding="utf-8")
    (tmp_path / "dev.yaml").write_text(dev + '\naccount: "111111111111"\n', encoding="utf-8")
    (tmp_path / "pipeline").mkdir()
    (tmp_path / "pipeline" / "pipeline.yaml").write_text(
        "enabled: true\naccount: '222222222222'\nregion: eu-west-1\nenvironments: [dev]\n"
        "source:\n  repository: example-org/cognito-sso-cdk\n  connection_arn: "
        "arn:aws:codeconnections:eu-west-1:222222222222:connection/00000000-0000-0000-0000-000000000000\n",
        encoding="utf-8",
    )
    refused = guard("deploy", "--env", "dev", config_dir=tmp_path)
    assert refused.returncode == 1
    assert "deployed by the CDK pipeline 'cognito-sso'" in refused.stderr
    diff = guard("diff", "--env", "dev", config_dir=tmp_path)
    assert diff.returncode == 0, diff.stderr
    assert diff.stdout.split()[:2] == ["diff", "Pipeline/dev/*"]

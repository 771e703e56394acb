"""Shared fixtures. Synthesis happens once per session; tests only read its results."""

from __future__ import annotations

from cdk_app.node_runtime import prefer_project_node

prefer_project_node()  # before aws_cdk is imported below

import subprocess  # noqa: E402

import pytest  # noqa: E402
from aws_cdk.assertions import Template  # noqa: E402

from tests.synthesis import ENVIRONMENTS, Synthesized, start_cfn_lint, synthesize_all  # noqa: E402


@pytest.fixture(scope="session")
def synth(tmp_path_factory: pytest.TempPathFactory) -> Synthesized:
    result = synthesize_all(tmp_path_factory.mktemp("cdk.out"))
    # cfn-lint takes seconds of CPU; start it now so it overlaps the tests that only read templates.
    _background["cfn-lint"] = start_cfn_lint(result.outdir)
    return result


@pytest.fixture(scope="session")
def cfn_lint(synth: Synthesized) -> subprocess.CompletedProcess[str]:
    """cfn-lint's result on every synthesized template (started when synthesis finished)."""
    process = _background.pop("cfn-lint")
    stdout, stderr = process.communicate(timeout=600)
    return subprocess.CompletedProcess(process.args, process.returncode, stdout, stderr)


_background: dict[str, subprocess.Popen[str]] = {}


@pytest.fixture(params=ENVIRONMENTS)
def env(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def identity(synth: Synthesized, env: str) -> Template:
    return synth.template(env, "Identity")

"""Shared fixtures. Synthesis happens once per session; tests only read its results."""

from __future__ import annotations

from cdk_app.node_runtime import prefer_project_node

prefer_project_node()  # before aws_cdk is imported below

import pytest  # noqa: E402
from aws_cdk.assertions import Template  # noqa: E402

from tests.synthesis import ENVIRONMENTS, Synthesized, synthesize_all  # noqa: E402


@pytest.fixture(scope="session")
def synth(tmp_path_factory: pytest.TempPathFactory) -> Synthesized:
    return synthesize_all(tmp_path_factory.mktemp("cdk.out"))


@pytest.fixture(params=ENVIRONMENTS)
def env(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def identity(synth: Synthesized, env: str) -> Template:
    return synth.template(env, "Identity")

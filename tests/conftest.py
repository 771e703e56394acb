"""Shared fixtures. Synthesis happens once per session; tests only read its results."""

from __future__ import annotations

from cdk_app.node_runtime import prefer_project_node

prefer_project_node()  # before aws_cdk is imported below

import subprocess  # noqa: E402
from collections.abc import Iterator  # noqa: E402

import pytest  # noqa: E402
from aws_cdk.assertions import Template  # noqa: E402

from cdk_app.config.loader import CONFIG_DIR  # noqa: E402
from tests.adoption import start_adopted_suite, stop  # noqa: E402
from tests.synthesis import ENVIRONMENTS, BackgroundLint, LintResult, Synthesized, synthesize_all  # noqa: E402

# cfn-lint takes seconds of CPU: each run starts as soon as its templates exist, so it overlaps the
# tests that only read templates, and the (late-sorting) lint tests collect it.
_lints: dict[str, BackgroundLint] = {}


@pytest.fixture(scope="session")
def synth(tmp_path_factory: pytest.TempPathFactory) -> Synthesized:
    """The fixture environments (tests/fixtures/config: dev, staging, prod), synthesized with cdk-nag."""
    result = synthesize_all(tmp_path_factory.mktemp("cdk.out"))
    _lints["fixtures"] = BackgroundLint(result.template_files())
    return result


@pytest.fixture(scope="session")
def cfn_lint(synth: Synthesized) -> LintResult:
    """cfn-lint's findings on every template of ``synth``."""
    return _lints["fixtures"].result()


@pytest.fixture(scope="session")
def shipped(synth: Synthesized, tmp_path_factory: pytest.TempPathFactory) -> Synthesized:
    """Every ``config/*.yaml`` (and the pipeline file) synthesized with cdk-nag, as ``cdk synth`` does.

    Whatever the files are called and say: a user's own environment is checked like the fixtures.
    """
    result = synthesize_all(tmp_path_factory.mktemp("shipped.out"), CONFIG_DIR, None)
    _lints["shipped"] = BackgroundLint(result.template_files(), earlier=_lints["fixtures"])
    return result


@pytest.fixture(scope="session")
def shipped_cfn_lint(shipped: Synthesized) -> LintResult:
    """cfn-lint's findings on every template of ``shipped`` (copies of a fixture template linted once)."""
    return _lints["shipped"].result()


@pytest.fixture(params=ENVIRONMENTS)
def env(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def identity(synth: Synthesized, env: str) -> Template:
    return synth.template(env, "Identity")


@pytest.fixture(scope="session")
def adopted_suite(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[tuple[subprocess.Popen[str], list[str]]]:
    """The suite, started in an adopted copy of the project (tests/adoption.py), and the leftovers."""
    process, leftovers = start_adopted_suite(tmp_path_factory.mktemp("adopted"))
    yield process, leftovers
    stop(process)


@pytest.fixture(scope="session", autouse=True)
def _start_the_adopted_suite_first(request: pytest.FixtureRequest) -> None:
    """When the adoption test is selected, its run starts with the session and overlaps every other
    test instead of queueing behind them; when it is not, nothing starts."""
    if any(item.get_closest_marker("adoption") for item in request.session.items):
        request.getfixturevalue("adopted_suite")

"""Shared fixtures. Synthesis happens once per session; tests only read its results."""

from __future__ import annotations

from composition.node_runtime import prefer_project_node

prefer_project_node()  # before aws_cdk is imported below

import subprocess  # noqa: E402
from collections.abc import Iterator  # noqa: E402
from dataclasses import dataclass  # noqa: E402

import pytest  # noqa: E402
from aws_cdk.assertions import Template  # noqa: E402

from cdk_app.config import ConfigError  # noqa: E402
from cdk_app.config.loading.loader import CONFIG_DIR  # noqa: E402
from tests.adoption import start_adopted_suite, stop  # noqa: E402
from tests.synthesis import ENVIRONMENTS, BackgroundLint, LintResult, Synthesized, synthesize_all  # noqa: E402


@dataclass(frozen=True)
class _Session:
    fixtures: Synthesized
    shipped: Synthesized | ConfigError
    lint: BackgroundLint


@pytest.fixture(scope="session")
def _session(tmp_path_factory: pytest.TempPathFactory) -> _Session:
    """The fixture environments and every config file, each synthesized once with cdk-nag; then one
    cfn-lint run on all their templates, in the background while the tests that only read run."""
    fixtures = synthesize_all(tmp_path_factory.mktemp("cdk.out"))
    shipped: Synthesized | ConfigError
    try:
        shipped = synthesize_all(tmp_path_factory.mktemp("config.out"), CONFIG_DIR, None)
    except ConfigError as exc:  # the user's config: its own tests fail, the fixtures' tests run on
        shipped = exc
    templates = fixtures.template_files()
    if isinstance(shipped, Synthesized):
        templates += shipped.template_files()
    return _Session(fixtures, shipped, BackgroundLint(templates))


@pytest.fixture(scope="session")
def synth(_session: _Session) -> Synthesized:
    """The fixture environments (tests/fixtures/config: dev, staging, prod)."""
    return _session.fixtures


@pytest.fixture(scope="session")
def cfn_lint(_session: _Session) -> LintResult:
    """cfn-lint's findings on every template of ``synth``."""
    return _session.lint.result(_session.fixtures.template_files())


@pytest.fixture(scope="session")
def shipped(_session: _Session) -> Synthesized:
    """Every ``config/*.yaml`` (and the pipeline file), as ``cdk synth`` reads them.

    Whatever the files are called and say: a user's own environment is checked like the fixtures.
    """
    if isinstance(_session.shipped, ConfigError):
        pytest.fail(f"config/ does not load:\n{_session.shipped}", pytrace=False)
    return _session.shipped


@pytest.fixture(scope="session")
def shipped_cfn_lint(_session: _Session, shipped: Synthesized) -> LintResult:
    """cfn-lint's findings on every template of ``shipped``."""
    return _session.lint.result(shipped.template_files())


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


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The adoption test waits for its run in the copy: it goes last, so every other test runs
    meanwhile instead of after it."""
    items.sort(key=lambda item: item.get_closest_marker("adoption") is not None)


@pytest.fixture(scope="session", autouse=True)
def _start_the_adopted_suite_first(request: pytest.FixtureRequest) -> None:
    """When the adoption test is selected, its run starts with the session and overlaps every other
    test instead of queueing behind them; when it is not, nothing starts."""
    if any(item.get_closest_marker("adoption") for item in request.session.items):
        request.getfixturevalue("adopted_suite")

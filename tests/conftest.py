"""Shared fixtures. Synthesis happens once per run, in whichever pytest-xdist worker needs it first
(tests/shared.py); tests only read its results.

Nothing here imports aws_cdk at module level: the xdist controller loads this file too, and never
needs jsii or Node. The workers import it with the test modules that use it.
"""

from __future__ import annotations

from composition.node_runtime import prefer_project_node

prefer_project_node()  # before anything imports aws_cdk

import os  # noqa: E402
import subprocess  # noqa: E402
from collections.abc import Iterator  # noqa: E402
from dataclasses import dataclass  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import TYPE_CHECKING, Any, NoReturn  # noqa: E402

import pytest  # noqa: E402

from cdk_app.config import ConfigError  # noqa: E402
from cdk_app.config.loading import Project, load_project  # noqa: E402
from cdk_app.config.loading.loader import CONFIG_DIR  # noqa: E402
from tests.adoption import inner_report, start_adopted_suite, stop  # noqa: E402
from tests.fixtures import FIXTURE_CONFIG_DIR  # noqa: E402
from tests.shared import exclusive, shared_dir  # noqa: E402
from tests.synthesis import (  # noqa: E402
    ENVIRONMENTS,
    BackgroundLint,
    LintResult,
    Synthesized,
    read_assembly,
    synthesize,
)

if TYPE_CHECKING:
    from aws_cdk.assertions import Template

# Under pytest-xdist, which worker runs a test; unset in a single process.
XDIST_WORKER = os.environ.get("PYTEST_XDIST_WORKER")


@dataclass(frozen=True)
class _Session:
    fixtures: Synthesized
    shipped: Synthesized | ConfigError | None  # None: no collected test asks for it
    lint: BackgroundLint | None  # None: no collected test asks for cfn-lint's findings


@pytest.fixture(scope="session")
def _session(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> _Session:
    """The fixture environments and every config file, each synthesized once per run with cdk-nag;
    then one cfn-lint run on all their templates, in the background while the tests that only read
    run. Each worker loads the configs itself (a fraction of a second); the first to get here
    synthesizes and starts cfn-lint, the others wait for it and read the same directories.

    Only what the collected tests ask for is made: running one stack test synthesizes the fixture
    environments alone, and starts no cfn-lint (every xdist worker collects every test, so under
    ``make test`` all of it is made, once).
    """
    wanted = {name for item in request.session.items for name in getattr(item, "fixturenames", ())}
    fixtures_project = load_project(FIXTURE_CONFIG_DIR, list(ENVIRONMENTS))
    shipped_project: Project | ConfigError | None = None
    if wanted & {"shipped", "shipped_cfn_lint"}:
        try:
            shipped_project = load_project(CONFIG_DIR, None)
        except ConfigError as exc:  # the user's config: its own tests fail, the fixtures' tests run on
            shipped_project = exc
    shared = shared_dir(tmp_path_factory)
    fixtures_dir, shipped_dir = shared / "cdk.out", shared / "config.out"
    lint = BackgroundLint(shared / "cfn-lint") if wanted & {"cfn_lint", "shipped_cfn_lint"} else None
    with exclusive(shared / "session.lock"):
        if not (shared / "session.done").exists():
            synthesize(fixtures_project, fixtures_dir)
            templates = sorted(fixtures_dir.rglob("*.template.json"))
            if isinstance(shipped_project, Project):
                synthesize(shipped_project, shipped_dir)
                templates += sorted(shipped_dir.rglob("*.template.json"))
            if lint is not None:
                lint.start(templates)
            (shared / "session.done").touch()
    shipped: Synthesized | ConfigError | None = shipped_project  # a ConfigError stays one
    if isinstance(shipped_project, Project):
        shipped = read_assembly(shipped_project, shipped_dir)
    return _Session(read_assembly(fixtures_project, fixtures_dir), shipped, lint)


def _not_collected(fixture: str) -> NoReturn:
    pytest.fail(f"{fixture} is made only for tests that name it as a parameter", pytrace=False)


@pytest.fixture(scope="session")
def synth(_session: _Session) -> Synthesized:
    """The fixture environments (tests/fixtures/config: dev, staging, prod)."""
    return _session.fixtures


@pytest.fixture(scope="session")
def cfn_lint(_session: _Session) -> LintResult:
    """cfn-lint's findings on every template of ``synth``."""
    if _session.lint is None:
        _not_collected("cfn_lint")
    return _session.lint.result(_session.fixtures.template_files())


@pytest.fixture(scope="session")
def shipped(_session: _Session) -> Synthesized:
    """Every ``config/*.yaml`` (and the pipeline file), as ``cdk synth`` reads them.

    Whatever the files are called and say: a user's own environment is checked like the fixtures.
    """
    if _session.shipped is None:
        _not_collected("shipped")
    if isinstance(_session.shipped, ConfigError):
        pytest.fail(f"config/ does not load:\n{_session.shipped}", pytrace=False)
    return _session.shipped


@pytest.fixture(scope="session")
def shipped_cfn_lint(_session: _Session, shipped: Synthesized) -> LintResult:
    """cfn-lint's findings on every template of ``shipped``."""
    if _session.lint is None:
        _not_collected("shipped_cfn_lint")
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
) -> Iterator[tuple[subprocess.Popen[str], list[str], Path]]:
    """The suite, started in an adopted copy of the project (tests/adoption.py), the leftovers, and
    where its JUnit report will be."""
    dest = tmp_path_factory.mktemp("adopted")
    process, leftovers = start_adopted_suite(dest)
    yield process, leftovers, inner_report(dest)
    stop(process)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The adoption test waits for its run in the copy: it goes last, so every other test runs
    meanwhile instead of after it."""
    items.sort(key=lambda item: item.get_closest_marker("adoption") is not None)


@pytest.hookimpl(tryfirst=True, optionalhook=True)  # before xdist's own choice
def pytest_xdist_make_scheduler(config: pytest.Config, log: Any) -> Any:
    """Under ``-n``, whole modules and the whole review go to one worker each (tests/scheduling.py)."""
    if config.getvalue("dist") not in {"load", "loadscope", "loadgroup"}:
        return None
    from tests.scheduling import ModulesAndReviewTogether

    return ModulesAndReviewTogether(config, log)


@pytest.fixture(scope="session", autouse=True)
def _start_the_adopted_suite_first(request: pytest.FixtureRequest) -> None:
    """When the adoption test is selected, its run starts with the session and overlaps every other
    test instead of queueing behind them; when it is not, nothing starts. Under xdist every worker
    sees every test, so there the run starts with the adoption test itself (`make test-adoption`
    runs it on its own)."""
    if XDIST_WORKER is None and any(item.get_closest_marker("adoption") for item in request.session.items):
        request.getfixturevalue("adopted_suite")

"""Set-up of the end-to-end loop (``make e2e``): a local deployment on the embedded emulator, brought up
once per test module and always taken down after it, and the timing table at the end.

The loop deploys to the emulator, so ``make test`` (the offline suite) does not collect it; ``make e2e``
sets ``E2E=1`` (with ``E2E_ENV``, the environment, and ``E2E_CDK``, the CDK CLI). There a missing
prerequisite (the emulator not installed, no CDK CLI, a client the loop needs) is a failure, never a
skip. The offline tests of the loop's own helpers (``OFFLINE``) run in both.

Adding a step: write a test function in ``test_loop.py``, above the last one (which takes the
deployment down and checks nothing is left); the steps run in file order. Ask for ``local`` (the
``LocalDeployment``), ``config``, ``cdk`` and whatever else below, and time the step with
``with step("name"):``, which adds a row to the table. Every module shares the run's one deployment
(a second up and down would cost the loop a minute): pytest runs test_federation.py before
test_loop.py, whose last step takes it down and checks that nothing is left.
"""

from __future__ import annotations

import contextlib
import io
import os
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from cdk_app.config import EnvironmentConfig
from cdk_app.config.clients import ClientConfig
from operator_tools.lib.environment import choose_environment
from operator_tools.lib.errors import ToolError
from operator_tools.local import aws, emulator
from operator_tools.local.lifecycle import LocalDeployment, bring_up, print_summary
from operator_tools.verbs.login import choose_client
from tests.e2e.deployment import PROJECT_ROOT, TIMER, Step, down_and_leftovers

RUNNING = os.environ.get("E2E") == "1"
# Offline tests of the helpers here: collected by `make test` too.
OFFLINE = ("test_forged_tokens.py",)
collect_ignore = (
    [] if RUNNING else [p.name for p in Path(__file__).parent.glob("test_*.py") if p.name not in OFFLINE]
)


@pytest.fixture(scope="session")
def step() -> Step:
    """``with step("name"):`` times a step of the loop; its row is printed in the table at the end."""
    return TIMER.step


@pytest.fixture(scope="session")
def say(pytestconfig: pytest.Config) -> Callable[[str], None]:
    """Write one line to the terminal as the run goes (pytest captures ``print`` of a passing test)."""
    reporter = pytestconfig.pluginmanager.get_plugin("terminalreporter")
    capture = pytestconfig.pluginmanager.get_plugin("capturemanager")

    def write(line: str) -> None:
        if reporter is None or capture is None:
            print(line)
            return
        with capture.global_and_fixture_disabled():  # past the capture, as the run goes
            reporter.write_line(line)

    return write


@pytest.fixture(scope="session")
def config() -> EnvironmentConfig:
    """The environment the loop deploys (``E2E_ENV``, default local); it must target the emulator."""
    return choose_environment(os.environ.get("E2E_ENV", "local"), "e2e")


@pytest.fixture(scope="session")
def cdk() -> str:
    """The CDK CLI the Makefile runs (``E2E_CDK``); the project's pinned one by default."""
    path = os.environ.get("E2E_CDK", str(PROJECT_ROOT / "node_modules" / ".bin" / "cdk"))
    if not Path(path).is_file():
        pytest.fail(f"the CDK CLI {path} is missing; run make setup (make e2e does)", pytrace=False)
    return path


@pytest.fixture(scope="session")
def local(config: EnvironmentConfig, cdk: str) -> Iterator[LocalDeployment]:
    """``make up``'s deployment for the run's steps; ``make down``'s removal after them, always.

    Whatever happened (a failed step, Ctrl-C), nothing may be left: no emulator process and no port.
    """
    try:
        with TIMER.step("up"):
            deployment = bring_up(config, cdk, TIMER)
        print_summary(config, deployment, sys.stdout)
        yield deployment
    finally:
        if emulator.state_file().exists():
            left = down_and_leftovers(config, cdk)
            assert left == [], f"make down left something behind: {'; '.join(left)}"


@pytest.fixture(scope="module")
def spa(config: EnvironmentConfig) -> ClientConfig:
    """The client a person signs in with (``make login``'s default): the environment's spa client."""
    try:
        return choose_client(config, None)
    except ToolError as exc:
        pytest.fail(f"the loop signs a user in: {exc}", pytrace=False)


@pytest.fixture(scope="module")
def cognito(local: LocalDeployment) -> Any:
    """A Cognito client on the emulator (never on AWS)."""
    return aws.client(local.emulator, "cognito-idp")


@pytest.hookimpl(trylast=True)
def pytest_sessionfinish(session: pytest.Session) -> None:
    """A last resort after an interrupted run: stop the emulator this run started, if it still runs."""
    if RUNNING and TIMER.rows and emulator.state_file().exists():
        with contextlib.suppress(ToolError):
            emulator.stop()


def pytest_terminal_summary(terminalreporter: Any) -> None:
    """The timing table, as ``make up`` prints its own: one row per step, nested steps indented."""
    if TIMER.rows:
        out = io.StringIO()
        TIMER.print_table(out, f"e2e timings for {os.environ.get('E2E_ENV', 'local')}")
        terminalreporter.write_line("")
        for line in out.getvalue().splitlines():
            terminalreporter.write_line(line)

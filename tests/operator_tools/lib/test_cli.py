"""``run_cli``: every verb's expected failure is one line on stderr and the exit code all verbs share."""

from __future__ import annotations

import io

import pytest

from cdk_app.config import ConfigError
from operator_tools.lib.cli import EXIT_FAILED, EXIT_INTERRUPTED, EXIT_USAGE, run_cli
from operator_tools.lib.errors import ToolError, UsageError


def _raising(error: BaseException) -> int:
    raise error


@pytest.mark.parametrize(
    ("error", "code", "line"),
    [
        (UsageError("ENV is required"), EXIT_USAGE, "smoke: ENV is required"),
        (
            ConfigError("config/dev.yaml", "region", "'eu-west-9' is not an AWS region", 6),
            EXIT_USAGE,
            "smoke: config error in config/dev.yaml:6: region: 'eu-west-9' is not an AWS region",
        ),
        (
            ToolError("stack dev-Identity does not exist"),
            EXIT_FAILED,
            "smoke: stack dev-Identity does not exist",
        ),
        (KeyboardInterrupt(), EXIT_INTERRUPTED, "smoke: interrupted"),
    ],
    ids=["usage", "config", "failure", "interrupt"],
)
def test_an_expected_failure_is_one_line_and_its_exit_code(
    error: BaseException, code: int, line: str
) -> None:
    err = io.StringIO()

    assert run_cli("smoke", lambda: _raising(error), stderr=err) == code
    assert err.getvalue() == line + "\n"


def test_a_body_that_succeeds_returns_its_own_code_and_prints_nothing() -> None:
    err = io.StringIO()

    assert run_cli("make diff", lambda: 0, stderr=err) == 0
    assert run_cli("make diff", lambda: EXIT_FAILED, stderr=err) == EXIT_FAILED
    assert err.getvalue() == ""


def test_an_unexpected_error_is_not_hidden() -> None:
    # A bug is a traceback for whoever fixes it, not a one-line message that hides where it is.
    with pytest.raises(ZeroDivisionError):
        run_cli("smoke", lambda: 1 // 0)

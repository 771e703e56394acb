"""The operator verbs as a user types them (``make smoke``, ``make diff ENV=devv``, ...), with no AWS
credentials: each failure is the tool's one line naming the verb, and the CDK CLI never starts."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from cdk_app.config import available_environments
from tests.aws_env import aws_environment

REPO = Path(__file__).resolve().parents[1]
# Set-up is `make setup`'s job; these tests must never install anything, so its stamps count as done.
STAMPS = (".venv/.installed", "node_modules/.installed")

pytestmark = pytest.mark.skipif(
    shutil.which("make") is None or not all((REPO / s).exists() for s in STAMPS),
    reason="needs make and a set-up checkout (make setup)",
)

# Every environment under config/, as the tools list them.
LISTED = ", ".join(available_environments())


def make(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    environ = aws_environment(tmp_path, credentials=False)
    for name in ("ENV", "CLIENT", "MAKEFLAGS", "MFLAGS", "MAKELEVEL", "CI"):
        environ.pop(name, None)
    old = [flag for stamp in STAMPS for flag in ("-o", stamp)]
    return subprocess.run(
        ["make", "--no-print-directory", *old, *args],
        capture_output=True,
        text=True,
        cwd=REPO,
        env=environ,
        stdin=subprocess.DEVNULL,
        timeout=120,
        check=False,
    )


def assert_one_line_refusal(done: subprocess.CompletedProcess[str], line: str) -> None:
    """A failed make verb printed exactly the tool's ``line``, then make's own "*** [target] Error N"."""
    assert done.returncode != 0
    lines = done.stderr.splitlines()
    assert lines[0] == line, done.stderr
    assert len(lines) == 2, done.stderr
    assert lines[1].startswith("make: *** ")


@pytest.mark.parametrize(
    ("args", "line"),
    [
        (("smoke",), f"smoke: ENV is required, e.g. make smoke ENV=dev; environments: {LISTED}"),
        (("login",), f"login: ENV is required, e.g. make login ENV=dev; environments: {LISTED}"),
        (("diff",), f"make diff: ENV is required, e.g. make diff ENV=dev; environments: {LISTED}"),
        (
            ("deploy", "ENV=devv"),
            "make deploy: no environment named 'devv' (did you mean make deploy ENV=dev?); "
            f"environments: {LISTED}",
        ),
        (
            ("smoke", "ENV=prd"),
            f"smoke: no environment named 'prd' (did you mean make smoke ENV=prod?); environments: {LISTED}",
        ),
        (
            ("diff", "ENV=dev"),
            "make diff: no AWS credentials found; sign in (e.g. `aws sso login --profile NAME`) and run "
            "AWS_PROFILE=NAME make diff ENV=dev, or set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY",
        ),
        (
            ("bootstrap", "ENV=prod"),
            "make bootstrap: no AWS credentials found; sign in (e.g. `aws sso login --profile NAME`) and run "
            "AWS_PROFILE=NAME make bootstrap ENV=prod, or set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY",
        ),
        (
            ("pipeline",),
            "make pipeline: the CDK pipeline is disabled: config/pipeline/pipeline.yaml says enabled: false. "
            "Set enabled: true there (see docs/deploying.md), or deploy one environment with "
            "make deploy ENV=<env>",
        ),
    ],
    ids=lambda v: " ".join(v) if isinstance(v, tuple) else None,
)
def test_a_verb_that_cannot_run_says_why_in_one_line(
    tmp_path: Path, args: tuple[str, ...], line: str
) -> None:
    done = make(tmp_path, *args)

    assert_one_line_refusal(done, line)
    assert done.stdout == ""  # the CDK CLI never started

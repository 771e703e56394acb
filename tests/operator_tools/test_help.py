"""Every operator tool's ``--help`` is plain text and works: run exactly as a user would."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
# Every module that runs as ``python -m operator_tools.<name>``, so a new tool is covered too.
TOOLS = sorted(
    path.stem
    for path in (REPO / "operator_tools").glob("*.py")
    if 'if __name__ == "__main__":' in path.read_text(encoding="utf-8")
)
# reStructuredText that belongs in docstrings, not in a terminal: ``literal``, :role:`x`, .. directive::
RAW_RST = re.compile(r"``|:[a-z]+:`|^\.\. ", re.MULTILINE)


def test_the_known_tools_are_all_found() -> None:
    assert {"deploy_guard", "smoke", "login"} <= set(TOOLS)


@pytest.mark.parametrize("tool", TOOLS)
def test_help_is_plain_text_and_exits_0(tool: str) -> None:
    done = subprocess.run(
        [sys.executable, "-m", f"operator_tools.{tool}", "--help"],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=60,
        check=False,
    )

    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith(f"usage: {tool} ")
    assert "options:" in done.stdout
    assert RAW_RST.search(done.stdout) is None, done.stdout
    assert "Traceback" not in done.stdout + done.stderr
    assert done.stderr == ""

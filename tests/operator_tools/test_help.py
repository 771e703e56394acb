"""Every make verb's ``--help`` is plain text and works: run exactly as a user would."""

from __future__ import annotations

import importlib
import re
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
# Every module that runs as ``python -m operator_tools.verbs.<verb>``, so a new verb is covered too.
VERBS = sorted(
    path.stem
    for path in (REPO / "operator_tools" / "verbs").glob("*.py")
    if 'if __name__ == "__main__":' in path.read_text(encoding="utf-8")
)
RULE = re.compile(r"^(?P<target>[a-z][a-z0-9-]*):")
RUNS = re.compile(r"-m operator_tools\.verbs\.(?P<module>[a-z_]+)\b")


def _make_verbs() -> dict[str, str]:
    """Each target in mk/*.mk whose recipe runs a verb module, and that module's name."""
    found: dict[str, str] = {}
    for path in sorted((REPO / "mk").glob("*.mk")):
        target = ""
        for line in path.read_text(encoding="utf-8").splitlines():
            if rule := RULE.match(line):
                target = rule["target"]
            elif line.startswith("\t") and (runs := RUNS.search(line)):
                found[target] = runs["module"]
    return found


# reStructuredText that belongs in docstrings, not in a terminal: ``literal``, :role:`x`, .. directive::
RAW_RST = re.compile(r"``|:[a-z]+:`|^\.\. ", re.MULTILINE)


def test_every_make_verb_is_a_module_named_after_it_and_every_module_a_make_verb() -> None:
    assert {"deploy", "destroy", "diff", "bootstrap", "pipeline", "smoke", "login", "up", "down"} <= set(
        VERBS
    )
    assert {"outputs", "spa"} <= set(VERBS)
    make_verbs = _make_verbs()
    # A dash in a target is an underscore in its module: make idp-check runs verbs/idp_check.py.
    assert all(target.replace("-", "_") == module for target, module in make_verbs.items()), make_verbs
    assert set(VERBS) == set(make_verbs.values())


def _assert_plain_help(verb: str, stdout: str, stderr: str) -> None:
    # The usage line names the make verb: make export-users runs verbs/export_users.py.
    assert stdout.startswith(f"usage: {verb.replace('_', '-')} ")
    assert "options:" in stdout
    assert RAW_RST.search(stdout) is None, stdout
    assert "Traceback" not in stdout + stderr
    assert stderr == ""


@pytest.mark.parametrize("verb", VERBS)
def test_help_is_plain_text_and_exits_0(verb: str, capsys: pytest.CaptureFixture[str]) -> None:
    # In process, through the same main() the module's __main__ guard calls: a process per verb
    # costs about a second each and proves nothing more than the two real runs below.
    main = importlib.import_module(f"operator_tools.verbs.{verb}").main
    with pytest.raises(SystemExit) as exited:
        main(["--help"])
    assert exited.value.code == 0
    out, err = capsys.readouterr()
    _assert_plain_help(verb, out, err)


@pytest.mark.parametrize("verb", ["deploy", "export_users"])
def test_help_runs_as_a_real_process_exactly_as_make_runs_it(verb: str) -> None:
    done = subprocess.run(
        [sys.executable, "-m", f"operator_tools.verbs.{verb}", "--help"],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    _assert_plain_help(verb, done.stdout, done.stderr)

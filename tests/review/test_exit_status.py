"""The exit-status table in docs/change-review.md is true for the command users run (`make review`)
and for the one the pull-request workflow runs (`python -m change_review`)."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
import yaml

import change_review.__main__ as cli
from tests.review.builds import finish, start_make_review

ROOT = Path(__file__).resolve().parents[2]
DOC = ROOT / "docs" / "change-review.md"
HEADER = "| Outcome | `make review` | `python -m change_review` |"


def status_table() -> dict[str, tuple[int, int]]:
    """{outcome: (status of make review, status of the module)}, read from the docs."""
    lines = DOC.read_text(encoding="utf-8").splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(HEADER))
    table: dict[str, tuple[int, int]] = {}
    for line in lines[start + 2 :]:
        if not line.startswith("|"):
            break
        outcome, make, module = (cell.strip() for cell in line.strip("|").split("|")[:3])
        table[outcome.strip("*")] = (int(make), int(module))
    return table


def make_review_status(done: subprocess.CompletedProcess[str]) -> tuple[int, int]:
    """(make's exit status, the review's own status, which make's last line reports on failure)."""
    last = done.stderr.rstrip().splitlines()[-1] if done.returncode else ""
    found = re.search(r"\] Error (\d+)$", last)
    return done.returncode, int(found.group(1)) if found else 0


def test_the_table_names_the_three_outcomes() -> None:
    assert set(status_table()) == {"Passes", "Blocked", "Could not run"}


def test_make_review_of_a_blocking_change_exits_as_the_table_says(
    pool_renamed_review: subprocess.CompletedProcess[str],
) -> None:
    assert make_review_status(pool_renamed_review) == status_table()["Blocked"]


def test_make_review_with_a_usage_error_exits_as_the_table_says(pool_renamed_repo: Path) -> None:
    done = finish(start_make_review(pool_renamed_repo, "ENV=no-such-env"))
    assert make_review_status(done) == status_table()["Could not run"]
    assert "review: unknown environment 'no-such-env'" in done.stderr
    assert done.stdout == ""


def test_a_bug_in_the_review_is_could_not_run_never_blocked(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def broken(*args: object, **kwargs: object) -> int:
        raise RuntimeError("boom")

    monkeypatch.setattr(cli, "review", broken)
    assert cli.main(["--base", "HEAD"]) == status_table()["Could not run"][1]
    assert "review: internal error" in capsys.readouterr().err


def test_the_pull_request_workflow_runs_the_module_and_reads_its_statuses() -> None:
    # CI needs to tell a blocking change from a review that could not run, which only the
    # module's statuses do; its last step reports 1 as the former and anything else as the latter.
    workflow = yaml.safe_load((ROOT / ".github" / "workflows" / "pr.yml").read_text(encoding="utf-8"))
    steps = workflow["jobs"]["review"]["steps"]
    review = next(s for s in steps if s.get("id") == "review")["run"]
    assert "python -m change_review --base" in review
    fail = next(s for s in steps if s.get("name") == "Fail on a dangerous change")["run"]
    blocked = status_table()["Blocked"][1]
    assert f'if [ "$VERDICT" = {blocked} ]; then' in fail

"""The timing table: one line per step, nested steps under their parent, a total counted once."""

from __future__ import annotations

import io

import pytest

from operator_tools.local.timing import Timer


def test_nested_steps_print_under_their_parent_and_failures_are_marked() -> None:
    timer = Timer()
    with timer.step("up"):
        with timer.step("deploy"):
            pass
        with timer.step("smoke"):
            pass
    with pytest.raises(RuntimeError), timer.step("login"):
        raise RuntimeError
    out = io.StringIO()
    timer.print_table(out, "e2e timings")
    lines = out.getvalue().splitlines()
    assert lines[0] == "e2e timings"
    assert [line.split("  timing: ")[1].split("  ")[0:2] for line in lines[1:4]] == [
        ["up", ""],
        ["", "deploy"],
        ["", "smoke"],
    ]
    assert lines[4].endswith("(failed)")
    assert "login" in lines[4]
    assert lines[5].split()[:2] == ["timing:", "total"]
    assert [passed for _, _, passed in timer.steps] == [True, True, True, False]

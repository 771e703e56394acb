"""Removing protection from a stateful resource blocks; an environment that moves to another account
or region is judged as a whole (issue 12)."""

from __future__ import annotations

import pytest

from change_review import Verdict
from change_review.allow import AllowEntry
from change_review.core.model import WHOLE_STACK
from tests.review.changes import Assemblies, only


@pytest.mark.parametrize(
    ("change", "lost"),
    [
        ("deletion protection off", {("Properties", "DeletionProtection"): ("ACTIVE", "INACTIVE")}),
        (
            "retain to destroy",
            {("DeletionPolicy",): ("Retain", "Delete"), ("UpdateReplacePolicy",): ("Retain", "Delete")},
        ),
        (
            "protection off",
            {
                ("Properties", "DeletionProtection"): ("ACTIVE", "INACTIVE"),
                ("DeletionPolicy",): ("Retain", "Delete"),
                ("UpdateReplacePolicy",): ("Retain", "Delete"),
            },
        ),
    ],
)
def test_removing_protection_from_the_pool_is_unprotected(
    assemblies: Assemblies, change: str, lost: dict[tuple[str, ...], tuple[str, str]]
) -> None:
    report = assemblies.review(change)

    pool = only(report, "UserPool")
    assert (pool.action, pool.verdict) == ("modified", Verdict.UNPROTECTED)
    flagged = {p.path: (p.old, p.new) for p in pool.properties if p.verdict is Verdict.UNPROTECTED}
    assert flagged == lost
    assert any("loses its protection" in r and "every user" in r for r in pool.reasons)
    assert report.exit_code == 1


def test_adding_protection_is_safe(assemblies: Assemblies) -> None:
    report = assemblies.review("protection on")
    assert {p.path for p in only(report, "UserPool").properties} >= {
        ("DeletionPolicy",),
        ("UpdateReplacePolicy",),
    }
    assert all(c.verdict is Verdict.SAFE for c in report.changes)
    assert report.exit_code == 0


def test_switching_off_termination_protection_of_the_pools_stack_is_unprotected(
    assemblies: Assemblies,
) -> None:
    report = assemblies.review("termination protection off")

    stack = only(report, WHOLE_STACK)
    assert (stack.stack, stack.verdict) == ("Identity", Verdict.UNPROTECTED)
    assert any(
        "termination protection is switched off" in r and "the user pool UserPool" in r for r in stack.reasons
    )
    assert report.exit_code == 1


@pytest.mark.parametrize(
    ("change", "old_place", "new_place"),
    [
        ("region moved", "region eu-west-1", "region eu-central-1"),
        ("account moved", "account 111111111111", "account 222222222222"),
    ],
)
def test_an_environment_that_moves_is_data_loss(
    assemblies: Assemblies, change: str, old_place: str, new_place: str
) -> None:
    report = assemblies.review(change)

    # Each stack is one change: in the new place everything is new, so a resource diff means nothing.
    assert {(c.stack, c.logical_id, c.action) for c in report.changes} == {
        ("Identity", WHOLE_STACK, "moved"),
        ("Api", WHOLE_STACK, "moved"),
    }
    identity = next(c for c in report.changes if c.stack == "Identity")
    assert identity.verdict is Verdict.DATA_LOSS
    (moved, outputs) = identity.reasons
    assert old_place in moved
    assert new_place in moved
    assert "new, EMPTY copies of the user pool UserPool" in moved
    assert outputs.startswith("outputs UserPoolId, IssuerUrl")
    assert "`make smoke`" in outputs
    api = next(c for c in report.changes if c.stack == "Api")
    assert api.verdict is Verdict.REPLACEMENT
    assert report.exit_code == 1


def test_pinning_the_account_an_environment_had_from_the_credentials_is_not_a_move(
    assemblies: Assemblies,
) -> None:
    report = assemblies.review("account pinned")
    assert [c for c in report.changes if c.logical_id == WHOLE_STACK] == []


def test_a_move_is_allowed_per_stack(assemblies: Assemblies) -> None:
    allow = [
        AllowEntry(env="dev", stack=stack, logical_id=WHOLE_STACK, verdict=verdict, reason="new region")
        for stack, verdict in (("Identity", "DATA LOSS"), ("Api", "REPLACEMENT"))
    ]
    report = assemblies.review("region moved", allow)
    assert [c.allowed for c in report.changes] == ["new region", "new region"]
    assert report.exit_code == 0

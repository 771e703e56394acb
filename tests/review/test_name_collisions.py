"""A replacement that keeps a name that must be unique WILL FAIL: CloudFormation creates the new
resource before it deletes the old one, so the two collide (issue 12)."""

from __future__ import annotations

import pytest

from change_review import Verdict
from change_review.policy.resources import GROUP
from tests.review.changes import Assemblies, of_type, only


def test_a_new_pool_keeping_the_domain_prefix_will_fail(assemblies: Assemblies) -> None:
    report = assemblies.review("pool logical ID changed")

    domain = only(report, "UserPoolDomain")
    assert domain.verdict is Verdict.WILL_FAIL
    assert domain.reasons[0].startswith("the new UserPoolDomain keeps Domain 'sso-dev-example-1234'")
    # The pool itself is still lost, and its groups go with it: a group name is unique in its
    # pool only, so groups in the new pool do not collide.
    assert only(report, "UserPool").verdict is Verdict.DATA_LOSS
    assert {c.verdict for c in of_type(report, GROUP)} == {Verdict.DATA_LOSS}
    assert report.exit_code == 1


@pytest.mark.parametrize(
    ("change", "kept"),
    [
        ("group logical IDs changed", {"keeps GroupName 'admins'", "keeps GroupName 'users'"}),
        ("resource server logical ID changed", {"keeps Identifier 'api'"}),
    ],
)
def test_a_new_logical_id_keeping_a_name_unique_in_the_pool_will_fail(
    assemblies: Assemblies, change: str, kept: set[str]
) -> None:
    report = assemblies.review(change)

    renamed = [c for c in report.changes if c.action == "renamed"]
    assert {c.verdict for c in renamed} == {Verdict.WILL_FAIL}
    assert len(renamed) == len(kept)
    assert {k for c in renamed for k in kept if k in c.reasons[0]} == kept
    assert report.exit_code == 1


def test_a_renamed_group_with_a_new_name_does_not_collide(assemblies: Assemblies) -> None:
    (group,) = of_type(assemblies.review("group renamed, new logical ID"), GROUP)
    assert group.verdict is Verdict.DATA_LOSS

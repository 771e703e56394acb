"""Renamed named children are judged as what they are, whatever their logical IDs (issue 12).

A rename removes one logical ID and adds another. The review pairs a removed and an added resource
of one type in one stack by their properties, so the verdict does not depend on how construct IDs
are derived from names.
"""

from __future__ import annotations

import pytest

from change_review import Verdict
from change_review.policy.resources import CLIENT, GROUP, PROVIDER, RESOURCE_SERVER
from tests.review.changes import CHANGES, Assemblies, logical_id, of_type, only


@pytest.mark.parametrize(
    ("change", "resource_type", "name", "verdict", "words"),
    [
        (
            "group renamed",
            GROUP,
            ("GroupName", "admins"),
            Verdict.DATA_LOSS,
            "the old one is DELETED with every membership",
        ),
        (
            "group renamed, new logical ID",
            GROUP,
            ("GroupName", "admins"),
            Verdict.DATA_LOSS,
            "every membership",
        ),
        (
            "resource server renamed",
            RESOURCE_SERVER,
            ("Identifier", "api"),
            Verdict.REPLACEMENT,
            "api/read becomes api2/read",
        ),
        (
            "provider renamed",
            PROVIDER,
            ("ProviderName", "Okta"),
            Verdict.REPLACEMENT,
            "nobody signs in through 'Okta' any more",
        ),
        (
            "client renamed",
            CLIENT,
            ("ClientName", "spa"),
            Verdict.REPLACEMENT,
            "apps still using its ID stop signing in",
        ),
    ],
)
def test_a_renamed_child_is_judged_as_what_it_is(
    assemblies: Assemblies,
    change: str,
    resource_type: str,
    name: tuple[str, str],
    verdict: Verdict,
    words: str,
) -> None:
    report = assemblies.review(change)

    old_id = logical_id(assemblies.base(CHANGES[change].base), "Identity", resource_type, **dict([name]))
    renamed = only(report, old_id)
    assert (renamed.action, renamed.resource_type, renamed.verdict) == ("renamed", resource_type, verdict)
    assert any(words in r for r in renamed.reasons)
    # Read as one rename, not as a harmless removal next to a harmless addition.
    assert of_type(report, resource_type, "removed") == of_type(report, resource_type, "added") == []
    assert report.exit_code == 1


def test_a_renamed_client_names_the_output_and_the_tools_that_read_its_id(assemblies: Assemblies) -> None:
    client = only(assemblies.review("client renamed"), "SpaClient")
    assert client.new_logical_id == "PortalClient"
    assert (
        "output SpaClientId goes: read by `make smoke`, `make login`, front-end config (`make outputs`)"
        in (client.reasons)
    )


def test_removing_a_client_is_breaking_and_names_what_depends_on_it(assemblies: Assemblies) -> None:
    report = assemblies.review("client removed")

    client = only(report, "MachineClient")
    assert (client.action, client.verdict) == ("removed", Verdict.BREAKING)
    assert any("apps still using its client ID stop signing in" in r for r in client.reasons)
    assert (
        "output MachineClientId goes: read by `make smoke`, `make login`, front-end config (`make outputs`)"
        in (client.reasons)
    )
    # The output goes with the client: one change, so one allow entry covers it.
    assert [c.logical_id for c in report.changes if c.resource_type == "Output"] == []
    assert report.exit_code == 1


def test_renames_are_paired_by_properties_not_by_position(assemblies: Assemblies) -> None:
    # Both groups get new logical IDs and swap places in the template: each is still paired with
    # the group of the same name.
    report = assemblies.review("group logical IDs changed")
    base = assemblies.base("dev")

    pairs = {(c.logical_id, c.new_logical_id) for c in of_type(report, GROUP)}
    assert pairs == {
        (logical_id(base, "Identity", GROUP, GroupName="admins"), "AdminsGroup"),
        (logical_id(base, "Identity", GROUP, GroupName="users"), "UsersGroup"),
    }

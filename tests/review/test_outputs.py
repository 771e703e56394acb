"""Removed or changed outputs are judged by who reads them (issue 12)."""

from __future__ import annotations

from change_review import Verdict
from change_review.policy.outputs import FRONT_END, LOGIN, SMOKE, readers
from tests.review.changes import Assemblies, only


def test_removed_or_changed_outputs_that_tools_read_are_breaking(assemblies: Assemblies) -> None:
    report = assemblies.review("outputs removed and changed")

    removed = only(report, "MeRouteUrl")
    assert (removed.stack, removed.resource_type, removed.action, removed.verdict) == (
        "Api",
        "Output",
        "removed",
        Verdict.BREAKING,
    )
    assert removed.reasons == (
        "output removed: read by `make smoke`, `make login`, which must change with it",
    )
    changed = only(report, "IssuerUrl")
    assert (changed.action, changed.verdict) == ("modified", Verdict.BREAKING)
    assert "front-end config (`make outputs`)" in changed.reasons[0]
    assert changed.properties[0].new == "https://issuer.example.com"
    assert report.exit_code == 1


def test_an_output_nothing_is_known_to_read_is_shown_but_safe(assemblies: Assemblies) -> None:
    arn = only(assemblies.review("outputs removed and changed"), "UserPoolArn")
    assert (arn.action, arn.verdict) == ("removed", Verdict.SAFE)
    assert "no known reader" in arn.reasons[0]


def test_outputs_that_change_with_a_replaced_resource_are_named_in_its_change(assemblies: Assemblies) -> None:
    report = assemblies.review("domain prefix")
    domain = only(report, "UserPoolDomain")
    assert (
        "outputs DomainBaseUrl, AuthorizeEndpoint, TokenEndpoint, LogoutEndpoint change value: read by "
        "front-end config (`make outputs`), `make login`, `make smoke`"
    ) in domain.reasons
    assert [c for c in report.changes if c.resource_type == "Output"] == []


def test_the_consumer_table_knows_every_client_id_output() -> None:
    assert readers("SpaClientId") == readers("PartnerPortalClientId") == (SMOKE, LOGIN, FRONT_END)
    assert readers("UserPoolArn") == ()

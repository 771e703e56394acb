"""The identity-provider lifecycle, built for real and reviewed (issues 20 and 21): who loses sign-in
when a provider goes, the rename Cognito refuses while the old provider holds its identifiers, and the
in-place changes that are safe. The changes are in the catalogue (tests/review/changes.py)."""

from __future__ import annotations

import pytest

from change_review import Verdict
from change_review.policy.resources import PROVIDER
from tests.review.changes import CHANGES, Assemblies, logical_id, of_type, only


def _provider_id(assemblies: Assemblies, change: str, name: str) -> str:
    return logical_id(assemblies.base(CHANGES[change].base), "Identity", PROVIDER, ProviderName=name)


def test_removing_a_provider_is_breaking_and_says_who_loses_sign_in(assemblies: Assemblies) -> None:
    report = assemblies.review("provider removed")

    removed = only(report, _provider_id(assemblies, "provider removed", "Okta"))
    assert (removed.action, removed.verdict) == ("removed", Verdict.BREAKING)
    (reason,) = removed.reasons
    # Its users (named after it in the pool) and the clients that offered it.
    assert "every user who signs in through it (Okta_… in the pool) can no longer sign in" in reason
    assert "clients that offered it: spa" in reason
    assert report.exit_code == 1


def test_a_rename_that_keeps_the_identifiers_will_fail_with_the_two_deploy_remedy(
    assemblies: Assemblies,
) -> None:
    change = "provider renamed, identifiers kept"
    report = assemblies.review(change)

    renamed = only(report, _provider_id(assemblies, change, "Okta"))
    assert (renamed.action, renamed.verdict) == ("renamed", Verdict.WILL_FAIL)
    assert renamed.reasons[0] == (
        "the new provider 'OktaWorkforce' keeps the identifiers of 'Okta' (okta.example.com), and an "
        "identifier is unique in its pool: CloudFormation creates the new provider before it deletes "
        "'Okta', so Cognito refuses it (DuplicateProviderException) and the deploy fails and rolls back. "
        "Do it in two deploys: first remove the identifiers from 'Okta' (or remove 'Okta') and deploy; "
        "then add 'OktaWorkforce' with them and deploy"
    )
    assert of_type(report, PROVIDER, "added") == of_type(report, PROVIDER, "removed") == []
    assert report.exit_code == 1


def test_a_rename_with_new_identifiers_is_replacement_and_makes_returning_users_new_users(
    assemblies: Assemblies,
) -> None:
    change = "provider renamed, new identifiers"
    report = assemblies.review(change)

    renamed = only(report, _provider_id(assemblies, change, "Okta"))
    assert (renamed.action, renamed.verdict) == ("renamed", Verdict.REPLACEMENT)
    (reason,) = renamed.reasons
    assert "every returning user signs in as a NEW user (Okta_… becomes OktaWorkforce_…)" in reason
    assert "with a new sub, no group memberships" in reason
    assert "DuplicateProviderException" not in reason
    assert report.exit_code == 1


def test_a_new_provider_taking_the_identifiers_of_a_removed_one_will_fail(assemblies: Assemblies) -> None:
    # An OIDC provider replaced by a SAML one for the same domain: not a rename (the types differ),
    # but the old provider still holds the identifier when the new one is created.
    change = "provider type changed, identifiers kept"
    report = assemblies.review(change)

    removed = only(report, _provider_id(assemblies, change, "Okta"))
    assert removed.verdict is Verdict.BREAKING
    (added,) = of_type(report, PROVIDER, "added")
    assert added.verdict is Verdict.WILL_FAIL
    assert added.reasons[0].startswith("the new provider 'AcmeSaml' takes identifiers 'Okta' holds")
    assert "first remove the identifiers from 'Okta' (or remove 'Okta') and deploy" in added.reasons[0]
    assert report.exit_code == 1


@pytest.mark.parametrize(
    ("change", "path", "words"),
    [
        ("provider metadata changed", ("ProviderDetails", "MetadataFile"), "metadata is updated in place"),
        ("provider mapping changed", ("AttributeMapping", "name"), "at each user's next federated sign-in"),
    ],
)
def test_metadata_and_attribute_mapping_change_in_place_and_are_safe(
    assemblies: Assemblies, change: str, path: tuple[str, ...], words: str
) -> None:
    report = assemblies.review(change)

    provider = only(report, _provider_id(assemblies, change, "Acme"))
    assert (provider.action, provider.verdict) == ("modified", Verdict.SAFE)
    (prop,) = provider.properties
    assert prop.path == ("Properties", *path)
    assert words in prop.note
    assert [c.logical_id for c in report.changes] == [provider.logical_id]
    assert report.exit_code == 0


def test_adding_a_provider_is_safe_and_touches_no_other_resource(assemblies: Assemblies) -> None:
    report = assemblies.review("provider added")

    assert [(c.resource_type, c.action, c.verdict) for c in report.changes] == [
        (PROVIDER, "added", Verdict.SAFE)
    ]
    assert report.exit_code == 0

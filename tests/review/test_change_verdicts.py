"""Each kind of change, built for real and reviewed: the verdict and the exit status both count.

The changes are in the catalogue (tests/review/changes.py), each synthesized once per session.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from change_review import Verdict, review_assemblies
from change_review.allow import AllowEntry
from tests.review.changes import Assemblies, only
from tests.synthesis import Synthesized


@pytest.mark.parametrize(
    ("change", "properties", "words"),
    [
        ("sign-in identifiers", {"AliasAttributes", "UsernameAttributes"}, "sign-in options"),
        ("case sensitivity", {"UsernameConfiguration"}, "case sensitivity"),
    ],
)
def test_changing_how_users_sign_in_will_fail(
    assemblies: Assemblies, change: str, properties: set[str], words: str
) -> None:
    report = assemblies.review(change)

    pool = only(report, "UserPool")
    assert (pool.action, pool.verdict) == ("modified", Verdict.WILL_FAIL)
    assert {p.path[1] for p in pool.properties if p.verdict is Verdict.WILL_FAIL} == properties
    assert any(words in r and "deploy fails and rolls back" in r for r in pool.reasons)
    assert report.exit_code == 1


def test_adding_an_optional_custom_attribute_is_safe_but_changing_one_will_fail(
    assemblies: Assemblies,
) -> None:
    added = assemblies.review("custom attribute added")
    assert only(added, "UserPool").verdict is Verdict.SAFE
    assert added.exit_code == 0

    narrowed = assemblies.review("custom attribute narrowed")
    assert only(narrowed, "UserPool").verdict is Verdict.WILL_FAIL
    assert narrowed.exit_code == 1


def test_switching_client_secret_generation_is_replacement(assemblies: Assemblies) -> None:
    report = assemblies.review("spa client becomes web")

    client = only(report, "SpaClient")
    assert client.verdict is Verdict.REPLACEMENT
    assert any("GenerateSecret is create-only" in r and "new client ID" in r for r in client.reasons)
    secret = next(p for p in client.properties if p.path == ("Properties", "GenerateSecret"))
    assert (secret.old, secret.new, secret.verdict) == (False, True, Verdict.REPLACEMENT)
    # The branding refers to the client by a create-only ClientId whose text does not change.
    brandings = [c for c in report.changes if c.resource_type == "AWS::Cognito::ManagedLoginBranding"]
    assert [b.verdict for b in brandings] == [Verdict.REPLACEMENT]
    assert report.exit_code == 1


def test_changing_the_domain_prefix_is_replacement(base_dev: Path, new_prefix_dev: Path) -> None:
    report = review_assemblies(base_dev, new_prefix_dev)

    domain = only(report, "UserPoolDomain")
    assert domain.verdict is Verdict.REPLACEMENT
    assert any("new sign-in URL" in r for r in domain.reasons)
    assert report.exit_code == 1


def test_a_new_tag_and_callback_url_are_safe(assemblies: Assemblies) -> None:
    report = assemblies.review("tag and callback URL")

    assert {c.logical_id for c in report.changes} >= {"UserPool", "SpaClient"}
    assert all(c.verdict is Verdict.SAFE for c in report.changes)
    urls = next(p for p in only(report, "SpaClient").properties if p.path == ("Properties", "CallbackURLs"))
    assert "https://app.example.com/callback" in urls.new
    assert report.exit_code == 0


def test_an_allowed_change_passes_and_is_shown_as_allowed(base_dev: Path, new_prefix_dev: Path) -> None:
    allow = [
        AllowEntry(
            env="dev",
            stack="Identity",
            logical_id="UserPoolDomain",
            verdict="REPLACEMENT",
            reason="new brand",
        )
    ]
    report = review_assemblies(base_dev, new_prefix_dev, allow)

    domain = only(report, "UserPoolDomain")
    assert (domain.verdict, domain.allowed, domain.blocking) == (Verdict.REPLACEMENT, "new brand", False)
    assert report.exit_code == 0
    assert report.unused_allowances == ()


@pytest.mark.parametrize("verdict", ["DATA LOSS", "WILL FAIL"])
def test_an_allowance_for_another_verdict_does_not_hide_the_change(
    base_dev: Path, new_prefix_dev: Path, verdict: str
) -> None:
    allow = [
        AllowEntry(env="dev", stack="Identity", logical_id="UserPoolDomain", verdict=verdict, reason="x")
    ]
    report = review_assemblies(base_dev, new_prefix_dev, allow)

    assert only(report, "UserPoolDomain").allowed is None
    assert report.exit_code == 1
    assert len(report.unused_allowances) == 1


def test_a_stack_that_leaves_the_app_is_noted_not_reported_as_deleted(base_dev: Path, tmp_path: Path) -> None:
    # `cdk deploy` never deletes a stack that is no longer in the app, so nothing is lost.
    report = review_assemblies(base_dev, tmp_path / "empty-assembly")
    assert {s.stack for s in report.stacks} >= {"Identity"}
    assert all(s.note == "removed from the app" and not s.changes for s in report.stacks)
    assert report.exit_code == 0


def test_the_same_templates_review_as_no_changes(base_dev: Path) -> None:
    report = review_assemblies(base_dev, base_dev)
    assert report.changes == []
    assert report.exit_code == 0


def test_two_synths_of_the_unchanged_tree_review_as_no_changes(base_dev: Path, synth: Synthesized) -> None:
    # No false positives: dev synthesized by the session (cdk-nag on, all environments) and by the
    # review fixtures (cdk-nag off, dev alone) must be the same templates.
    report = review_assemblies(base_dev, synth.outdir, envs=["dev"])
    assert [s.stack for s in report.stacks] == ["Api", "Identity"]
    assert report.changes == []
    assert report.exit_code == 0

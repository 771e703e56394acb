"""Each kind of change, built for real and reviewed: the verdict and the exit status both count.

The code change (a renamed construct) comes last: its project copy synthesizes in the background
while the in-process synths of the config changes run.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from cdk_app.config import EnvironmentConfig
from change_review import Report, Verdict, review_assemblies
from change_review.allow import AllowEntry
from change_review.model import ResourceChange
from tests.review.builds import changed, synth_config, with_client
from tests.synthesis import Synthesized


def only(report: Report, logical_id: str) -> ResourceChange:
    matches = [c for c in report.changes if logical_id in {c.logical_id, c.new_logical_id}]
    assert len(matches) == 1, [c.logical_id for c in report.changes]
    return matches[0]


@pytest.mark.parametrize(
    ("field", "value", "properties", "words"),
    [
        ("identifiers", ("email", "username"), {"AliasAttributes", "UsernameAttributes"}, "sign-in options"),
        ("case_sensitive", True, {"UsernameConfiguration"}, "case sensitivity"),
    ],
)
def test_changing_how_users_sign_in_will_fail(
    base_dev: Path,
    dev: EnvironmentConfig,
    tmp_path: Path,
    field: str,
    value: object,
    properties: set[str],
    words: str,
) -> None:
    head = changed(dev, f"user_pool.sign_in.{field}", value)
    report = review_assemblies(base_dev, synth_config(head, tmp_path))

    pool = only(report, "UserPool")
    assert (pool.action, pool.verdict) == ("modified", Verdict.WILL_FAIL)
    assert {p.path[1] for p in pool.properties if p.verdict is Verdict.WILL_FAIL} == properties
    assert any(words in r and "deploy fails and rolls back" in r for r in pool.reasons)
    assert report.exit_code == 1


def test_adding_an_optional_custom_attribute_is_safe_but_changing_one_will_fail(
    base_dev: Path, dev: EnvironmentConfig, tmp_path: Path
) -> None:
    attrs = dict(dev.user_pool.custom_attributes)
    attrs["tenant"] = attrs["idp_groups"].model_copy(update={"max_length": 64})
    added = review_assemblies(
        base_dev, synth_config(changed(dev, "user_pool.custom_attributes", attrs), tmp_path / "a")
    )
    assert only(added, "UserPool").verdict is Verdict.SAFE
    assert added.exit_code == 0

    attrs = {"idp_groups": attrs["idp_groups"].model_copy(update={"max_length": 1024})}
    narrowed = review_assemblies(
        base_dev, synth_config(changed(dev, "user_pool.custom_attributes", attrs), tmp_path / "b")
    )
    assert only(narrowed, "UserPool").verdict is Verdict.WILL_FAIL
    assert narrowed.exit_code == 1


def test_switching_client_secret_generation_is_replacement(
    base_dev: Path, dev: EnvironmentConfig, tmp_path: Path
) -> None:
    report = review_assemblies(base_dev, synth_config(with_client(dev, "spa", kind="web"), tmp_path))

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


def test_a_new_tag_and_callback_url_are_safe(base_dev: Path, dev: EnvironmentConfig, tmp_path: Path) -> None:
    spa = dev.client("spa")
    assert spa is not None
    head = changed(dev, "tags", {**dev.tags, "CostCenter": "identity"})
    head = with_client(head, "spa", callback_urls=(*spa.callback_urls, "https://app.example.com/callback"))
    report = review_assemblies(base_dev, synth_config(head, tmp_path))

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

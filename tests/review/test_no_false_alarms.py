"""Changes that look like something but are not: each passes as SAFE, with exit status 0."""

from __future__ import annotations

from change_review import Verdict
from tests.review.changes import Assemblies, only


def test_a_renamed_tag_value_is_safe(assemblies: Assemblies) -> None:
    report = assemblies.review("tag value renamed")

    tags = only(report, "UserPool").properties
    assert [(p.path, p.old, p.new) for p in tags] == [
        (("Properties", "UserPoolTags", "Environment"), "dev", "development")
    ]
    assert all(c.verdict is Verdict.SAFE for c in report.changes)
    assert report.exit_code == 0


def test_reordered_lists_are_safe(assemblies: Assemblies) -> None:
    report = assemblies.review("lists reordered")

    # Callback URLs and scopes really are reordered in the template, and that is all.
    spa = only(report, "SpaClient")
    assert {p.path[1] for p in spa.properties} == {"CallbackURLs", "AllowedOAuthScopes"}
    assert all(c.verdict is Verdict.SAFE for c in report.changes)
    assert report.exit_code == 0

"""What reviewers read: the pull-request comment and the terminal report of one real change."""

from __future__ import annotations

from pathlib import Path

import pytest

from cdk_app.config import EnvironmentConfig
from change_review import Report, review_assemblies
from change_review.allow import AllowEntry
from change_review.markdown import MARKER, render_markdown
from change_review.render import render_text
from tests.review.builds import changed, synth_config


@pytest.fixture(scope="module")
def prefix_and_tag(dev: EnvironmentConfig, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A dangerous change (new domain prefix) next to a safe one (a new tag on the pool)."""
    head = changed(
        changed(dev, "domain.prefix", "sso-dev-renamed-5678"), "tags", {**dev.tags, "Team": "identity"}
    )
    return synth_config(head, tmp_path_factory.mktemp("prefix-and-tag"))


@pytest.fixture(scope="module")
def report(base_dev: Path, prefix_and_tag: Path) -> Report:
    return review_assemblies(base_dev, prefix_and_tag, base_label="main (abc1234)")


def test_the_comment_starts_with_the_marker_and_the_summary_table(report: Report) -> None:
    text = render_markdown(report)
    lines = text.splitlines()
    assert lines[0] == MARKER
    table = lines.index("| env | stack | added | removed | modified | worst verdict |")
    assert table < text[: text.index("<details")].count("\n")
    # The domain, and the pool, its log group and the token trigger (function, role, log group) for the tag.
    assert "| dev | Identity | 0 | 0 | 6 | 🟠 **REPLACEMENT** |" in lines


def test_dangerous_changes_come_first_unfolded_and_highlighted(report: Report) -> None:
    text = render_markdown(report)
    assert "<details open>" in text
    danger = text.index("#### 🟠 REPLACEMENT: `UserPoolDomain`")
    assert danger < text.index("🟢 `UserPool`")
    assert "new sign-in URL" in text
    assert "<code>&quot;sso-dev-example-1234&quot; → &quot;sso-dev-renamed-5678&quot;</code>" in text


def test_an_allowed_change_is_shown_with_its_reason(base_dev: Path, prefix_and_tag: Path) -> None:
    allow = [
        AllowEntry(
            env="dev", stack="Identity", logical_id="UserPoolDomain", verdict="REPLACEMENT", reason="rebrand"
        )
    ]
    report = review_assemblies(base_dev, prefix_and_tag, allow)
    assert "REPLACEMENT — allowed: rebrand" in render_markdown(report)
    assert "[REPLACEMENT, allowed: rebrand] UserPoolDomain" in render_text(report)
    assert render_text(report).rstrip().endswith("Passes: every change is safe (1 allowed on purpose).")


def test_the_terminal_report_ends_with_the_outcome(report: Report) -> None:
    text = render_text(report)
    assert "dev/Identity: 0 added, 0 removed, 6 modified; worst: REPLACEMENT" in text
    assert 'UserPoolTags.Team: (absent) → "identity"' in text
    assert "Blocked: 1 change blocks the merge (1 REPLACEMENT)." in text

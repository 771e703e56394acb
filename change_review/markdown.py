"""Markdown rendering: a pull-request comment a CI job can find again by its first line."""

from __future__ import annotations

import html

from change_review.core.model import Report, ResourceChange, StackReview, Verdict, render_path
from change_review.render import (
    ALLOW_HINT,
    MAX_PROPERTIES,
    change_text,
    outcome,
    property_suffix,
)

MARKER = "<!-- cognito-sso-review -->"
_ICON = {
    Verdict.DATA_LOSS: "🔴",
    Verdict.REPLACEMENT: "🟠",
    Verdict.BREAKING: "🟣",
    Verdict.UNPROTECTED: "🔓",
    Verdict.WILL_FAIL: "🟡",
    Verdict.NO_EFFECT: "⚪",
    Verdict.SAFE: "🟢",
}


def render_markdown(report: Report) -> str:
    """The comment: marker line, headline, summary table, then one folded section per stack.

    Stacks with blocking changes come first and are unfolded; inside a stack, changes are ordered
    worst verdict first. The first line is always ``MARKER``.
    """
    icon = "⛔" if report.blocking else "✅"
    lines = [MARKER, f"### {icon} CloudFormation change review", ""]
    lines.append(f"Base `{report.base_label}` → `{report.head_label}`. **{outcome(report)}**")
    lines += [
        "",
        "| env | stack | added | removed | modified | worst verdict |",
        "| --- | --- | ---: | ---: | ---: | --- |",
    ]
    for s in report.stacks:
        worst = (
            f"{_ICON[s.worst]} **{s.worst.value}**"
            if s.changes
            else (f"{s.note} (deploy deletes nothing)" if s.note else "no changes")
        )
        if s.changes and not s.blocking and s.worst.blocking:
            worst += " (allowed)"
        name = s.stack + (" (new stack)" if s.note == "new stack" else "")
        counts = f"{s.count('added')} | {s.count('removed')} | {s.count('modified')}"
        lines.append(f"| {s.env} | {name} | {counts} | {worst} |")
    ordered = sorted((s for s in report.stacks if s.changes), key=lambda s: (not s.blocking, -s.worst.rank))
    for stack in ordered:
        lines += ["", *_stack_section(stack)]
    for entry in report.unused_allowances:
        lines += [
            "",
            f"> [!NOTE]\n> Allow entry `{entry}` matched no change; remove it once its change is merged.",
        ]
    if report.blocking:
        lines += ["", f"<sub>{ALLOW_HINT}</sub>"]
    return "\n".join(lines) + "\n"


def _stack_section(stack: StackReview) -> list[str]:
    blocking = len(stack.blocking)
    n = len(stack.changes)
    summary = f"<b>{stack.env}/{stack.stack}</b>: {n} change{'s' if n != 1 else ''}"
    if blocking:
        summary += f", {blocking} blocking"
    lines = [f"<details{' open' if blocking else ''}>", f"<summary>{summary}</summary>", ""]
    for change in stack.changes:
        lines += [*_change_section(change), ""] if change.verdict.blocking else _safe_line(change)
    lines += ["", "</details>"] if lines[-1] else ["</details>"]
    return lines


def _change_section(change: ResourceChange) -> list[str]:
    verdict = f"{_ICON[change.verdict]} {change.verdict.value}"
    allowed = f" — allowed: {_escape(change.allowed)}" if change.allowed else ""
    lines = [
        f"#### {verdict}{allowed}: `{change.title}` ({change.resource_type}), {change.action}",
        "",
    ]
    for i, reason in enumerate(change.reasons):
        # A bare ">" between reasons keeps each its own paragraph inside the quote.
        lines += [">", f"> {_escape(reason)}"] if i else [f"> {_escape(reason)}"]
    if change.properties:
        lines += ["", "| property | change | |", "| --- | --- | --- |"]
        for prop in change.properties[:MAX_PROPERTIES]:
            cells = [_code(render_path(prop.path)), _code(change_text(prop)), _escape(property_suffix(prop))]
            lines.append(f"| {' | '.join(cells)} |")
        if len(change.properties) > MAX_PROPERTIES:
            lines.append(f"| … | {len(change.properties) - MAX_PROPERTIES} more | |")
    return lines


def _safe_line(change: ResourceChange) -> list[str]:
    lines = [f"- {_ICON[Verdict.SAFE]} `{change.title}` ({change.resource_type}) {change.action}"]
    lines += [f"  - {_escape(r)}" for r in change.reasons]
    for prop in change.properties[:MAX_PROPERTIES]:
        suffix = property_suffix(prop)
        lines.append(
            f"  - {_code(render_path(prop.path))}: {_code(change_text(prop))}"
            + (f" {_escape(suffix)}" if suffix else "")
        )
    if len(change.properties) > MAX_PROPERTIES:
        lines.append(f"  - … and {len(change.properties) - MAX_PROPERTIES} more")
    return lines


def _code(text: str) -> str:
    # <code> rather than backticks: values may hold backticks, and a pipe would split a table cell.
    return "<code>" + html.escape(text).replace("|", "&#124;") + "</code>"


def _escape(text: str) -> str:
    return html.escape(text, quote=False).replace("|", "&#124;")

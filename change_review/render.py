"""Plain-text rendering for terminals, and the value formatting both renderers share."""

from __future__ import annotations

import json
from typing import Any

from change_review.core.diff import set_difference
from change_review.core.model import ABSENT, PropertyChange, Report, ResourceChange, Verdict, render_path

MAX_VALUE = 90
MAX_PROPERTIES = 12
LEFT_APP_DETAIL = (
    "cdk deploy leaves the deployed stack as it is and deletes nothing; delete it on purpose with "
    "cdk destroy once nothing uses it"
)
ALLOW_HINT = "If a change is intended, add it to review-allow.yaml with a reason (see docs/change-review.md)."


def value(v: Any, limit: int = MAX_VALUE, start: int = 0) -> str:
    """Compact JSON from ``start``, cut to ``limit`` characters with ellipses; ``(absent)`` for none."""
    if v is ABSENT:
        return "(absent)"
    text = json.dumps(v, separators=(",", ":"), ensure_ascii=False)
    if len(text) <= limit:
        return text
    start = min(start, max(len(text) - limit + 1, 0))
    head = "…" if start else ""
    cut = text[start : start + limit - 1 - len(head)]
    return head + cut + ("…" if start + len(cut) < len(text) else "")


def _window(old: Any, new: Any) -> int:
    # Two long values that differ late would truncate to the same text: start near the difference.
    a, b = (
        json.dumps(v, separators=(",", ":"), ensure_ascii=False) if v is not ABSENT else ""
        for v in (old, new)
    )
    if max(len(a), len(b)) <= MAX_VALUE:
        return 0
    same = next((i for i, (x, y) in enumerate(zip(a, b, strict=False)) if x != y), min(len(a), len(b)))
    return max(same - MAX_VALUE // 3, 0)


def change_text(change: PropertyChange) -> str:
    """``old → new``, or for two lists of plain values the items added (+) and removed (-)."""
    sets = set_difference(change.old, change.new)
    if sets is not None:
        added, removed = sets
        parts = [f"+ {value(v)}" for v in added] + [f"- {value(v)}" for v in removed]
        return ", ".join(parts) if parts else "order changed"
    start = _window(change.old, change.new)
    return f"{value(change.old, start=start)} → {value(change.new, start=start)}"


def tag(change: ResourceChange) -> str:
    """``REPLACEMENT`` or ``REPLACEMENT, allowed: <reason>``."""
    return f"{change.verdict.value}, allowed: {change.allowed}" if change.allowed else change.verdict.value


def property_suffix(change: PropertyChange) -> str:
    if change.verdict is not Verdict.SAFE:
        return f"[{change.verdict.value}]"
    return f"({change.note})" if change.note else ""


def outcome(report: Report) -> str:
    """One sentence: passes, or how many changes block and of which verdicts."""
    blocking = report.blocking
    if not report.changes:
        return "No changes."
    if not blocking:
        allowed = sum(1 for c in report.changes if c.allowed)
        extra = f" ({allowed} allowed on purpose)" if allowed else ""
        return f"Passes: every change is safe{extra}."
    counts: dict[str, int] = {}
    for c in blocking:
        counts[c.verdict.value] = counts.get(c.verdict.value, 0) + 1
    summary = ", ".join(f"{n} {v}" for v, n in counts.items())
    noun = "change blocks" if len(blocking) == 1 else "changes block"
    return f"Blocked: {len(blocking)} {noun} the merge ({summary})."


def render_text(report: Report) -> str:
    """The report for a terminal: one block per stack, dangerous changes first, then the outcome."""
    lines = [f"CloudFormation change review: {report.base_label} → {report.head_label}"]
    lines.append(f"Environments: {', '.join(report.envs) or 'none'}")
    for stack in report.stacks:
        lines.append("")
        head = f"{stack.env}/{stack.stack}"
        if not stack.changes:
            lines.append(f"{head}: {stack.note}; {LEFT_APP_DETAIL}" if stack.note else f"{head}: no changes")
            continue
        head += f" ({stack.note})" if stack.note else ""
        counts = ", ".join(f"{stack.count(a)} {a}" for a in ("added", "removed", "modified"))
        lines.append(f"{head}: {counts}; worst: {stack.worst.value}")
        for change in stack.changes:
            lines.extend(_change_lines(change))
    for entry in report.unused_allowances:
        lines.append(f"\nNote: allow entry {entry} matched no change; remove it once its change is merged.")
    lines.append("")
    lines.append(outcome(report))
    if report.blocking:
        lines.append(ALLOW_HINT)
    return "\n".join(lines) + "\n"


def _change_lines(change: ResourceChange) -> list[str]:
    lines = [f"  [{tag(change)}] {change.title} ({change.resource_type}) {change.action}"]
    lines.extend(f"      {reason}" for reason in change.reasons)
    for prop in change.properties[:MAX_PROPERTIES]:
        suffix = property_suffix(prop)
        lines.append(
            f"      {render_path(prop.path)}: {change_text(prop)}" + (f"  {suffix}" if suffix else "")
        )
    if len(change.properties) > MAX_PROPERTIES:
        lines.append(f"      … and {len(change.properties) - MAX_PROPERTIES} more property changes")
    return lines

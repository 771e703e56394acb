"""Compare a stack's outputs: removed, renamed or changed outputs, judged by who reads them.

An output that changes because a resource it refers to is removed, renamed or replaced belongs to
that resource's change (its reasons name the output and its readers), so one intended change needs
one allow entry. Any other removed or changed output is a change of its own.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from change_review.core.diff import diff_values, references
from change_review.core.model import ABSENT, Action, PropertyChange, ResourceChange, Verdict
from change_review.policy.outputs import readers

OUTPUT = "Output"


@dataclass
class OutputReview:
    """``follow[logical ID][output key]`` is whether the output goes (else it changes value) with
    that resource's change; ``changes`` are output changes of their own."""

    follow: dict[str, dict[str, bool]] = field(default_factory=dict)
    changes: list[ResourceChange] = field(default_factory=list)


def review_outputs(
    env: str,
    stack: str,
    old_out: Mapping[str, Any],
    new_out: Mapping[str, Any],
    touched: Mapping[str, bool],
) -> OutputReview:
    """Judge every output at base against head.

    ``touched`` maps each removed, renamed or replaced resource to whether its change blocks. A
    changed output that refers to a blocking one follows it; any other removed, renamed or changed
    output is BREAKING when a known consumer reads it, else SAFE.
    """
    review = OutputReview()
    added = {k: v for k, v in new_out.items() if k not in old_out}
    for key, old in old_out.items():
        new = new_out.get(key)
        refs = references(old.get("Value"))
        changed = new is None or _contract(old) != _contract(new)
        culprits = sorted(r for r in refs if touched.get(r))
        if not changed and not culprits:
            continue
        if culprits:
            for culprit in culprits:
                review.follow.setdefault(culprit, {})[key] = new is None
            continue
        renamed_to = next((k for k, v in added.items() if _contract(v) == _contract(old)), None)
        review.changes.append(_own_change(env, stack, key, old, new, renamed_to))
    return review


def _own_change(
    env: str, stack: str, key: str, old: dict[str, Any], new: dict[str, Any] | None, renamed_to: str | None
) -> ResourceChange:
    who = readers(key)
    action: Action
    if new is None and renamed_to is not None:
        action, what = "renamed", f"renamed to {renamed_to}"
    elif new is None:
        action, what = "removed", "removed"
    else:
        action, what = "modified", "value changed"
    if who:
        reason = f"output {what}: read by {', '.join(who)}, which must change with it"
    else:
        reason = f"output {what}; no known reader in this project (check anything else that reads it)"
    props: list[PropertyChange] = (
        diff_values(old.get("Value"), new.get("Value"), ("Value",))
        if new is not None
        else [PropertyChange(("Value",), old.get("Value"), ABSENT)]
    )
    verdict = Verdict.BREAKING if who else Verdict.SAFE
    props = [PropertyChange(p.path, p.old, p.new, verdict) for p in props]
    return ResourceChange(
        env, stack, key, OUTPUT, action, verdict, (reason,), tuple(props), renamed_to if new is None else None
    )


def _contract(output: Mapping[str, Any]) -> tuple[Any, Any]:
    # What a reader sees: the value and the export name. The description is for people.
    return output.get("Value"), output.get("Export")

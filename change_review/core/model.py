"""The review's vocabulary: verdicts, property and resource changes, per-stack results, the report."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field, replace
from typing import Any, Final, Literal

# A path into a resource: a dict key, a list index, or a list item picked by an identity key
# (``("Name", "email")`` for a Cognito schema attribute), so a reordered list is not a change.
PathSegment = str | int | tuple[str, str]
Path = tuple[PathSegment, ...]
Action = Literal["added", "removed", "modified", "renamed", "moved"]
# The logical ID of a change that concerns a whole stack (it moved, or lost termination protection).
WHOLE_STACK = "(stack)"


class _Absent:
    """Stands for "no value here" on one side of a change (a property added or removed)."""

    def __repr__(self) -> str:
        return "(absent)"


ABSENT: Final = _Absent()


class Verdict(enum.Enum):
    """What deploying a change does, worst first. Only SAFE lets the review pass.

    The policy behind each verdict is in ``change_review.policy``; docs/change-review.md has the table.
    """

    DATA_LOSS = "DATA LOSS"
    REPLACEMENT = "REPLACEMENT"
    BREAKING = "BREAKING"
    UNPROTECTED = "UNPROTECTED"
    WILL_FAIL = "WILL FAIL"
    NO_EFFECT = "NO EFFECT"
    SAFE = "SAFE"

    @property
    def rank(self) -> int:
        """Severity: higher is worse, in the order the members are declared."""
        return _RANK[self]

    @property
    def blocking(self) -> bool:
        return self is not Verdict.SAFE


_RANK = {v: rank for rank, v in enumerate(reversed(Verdict))}


def worst(verdicts: list[Verdict]) -> Verdict:
    """The most severe verdict of a list; SAFE for an empty one."""
    return max(verdicts, key=lambda v: v.rank, default=Verdict.SAFE)


def render_path(path: Path) -> str:
    """``Properties.Schema[Name=email].Mutable`` -> ``Schema[Name=email].Mutable``."""
    parts: list[str] = []
    for seg in path[1:] if path[:1] == ("Properties",) else path:
        if isinstance(seg, int):
            parts.append(f"[{seg}]")
        elif isinstance(seg, tuple):
            parts.append(f"[{seg[0]}={seg[1]}]")
        else:
            parts.append(f".{seg}" if parts else seg)
    return "".join(parts) or "(whole resource)"


@dataclass(frozen=True)
class PropertyChange:
    """One leaf difference inside a resource, with the verdict it alone would earn."""

    path: Path
    old: Any
    new: Any
    verdict: Verdict = Verdict.SAFE
    note: str = ""


@dataclass(frozen=True)
class ResourceChange:
    """One resource (or output, or whole stack) added, removed, modified, renamed or moved.

    A rename is a remove and an add of one type that the review paired; a move is a stack whose
    account or region changed (``logical_id`` is then ``WHOLE_STACK``).

    ``verdict`` is the worst of the reasons found; ``allowed`` holds the allow-file reason when
    a reviewer accepted exactly this verdict for this resource, and then the change does not block.
    """

    env: str
    stack: str
    logical_id: str
    resource_type: str
    action: Action
    verdict: Verdict
    reasons: tuple[str, ...] = ()
    properties: tuple[PropertyChange, ...] = ()
    new_logical_id: str | None = None
    allowed: str | None = None

    @property
    def blocking(self) -> bool:
        return self.verdict.blocking and self.allowed is None

    @property
    def title(self) -> str:
        if self.new_logical_id:
            return f"{self.logical_id} → {self.new_logical_id}"
        return self.logical_id

    def allow(self, reason: str) -> ResourceChange:
        return replace(self, allowed=reason)


@dataclass(frozen=True)
class StackReview:
    """The changes of one stack of one environment, dangerous ones first."""

    env: str
    stack: str
    changes: tuple[ResourceChange, ...]
    note: str = ""

    def count(self, action: Action) -> int:
        # A rename removes one resource and adds another; a moved stack counts as one modification.
        counted = {"renamed": ("added", "removed"), "moved": ("modified",)}
        return sum(1 for c in self.changes if action in counted.get(c.action, (c.action,)))

    @property
    def worst(self) -> Verdict:
        return worst([c.verdict for c in self.changes])

    @property
    def blocking(self) -> list[ResourceChange]:
        return [c for c in self.changes if c.blocking]


@dataclass(frozen=True)
class Report:
    """Every reviewed stack, plus allow-file entries that matched nothing (stale allowances)."""

    stacks: tuple[StackReview, ...]
    unused_allowances: tuple[str, ...] = ()
    base_label: str = "base"
    head_label: str = "working tree"
    envs: tuple[str, ...] = field(default=())

    @property
    def changes(self) -> list[ResourceChange]:
        return [c for s in self.stacks for c in s.changes]

    @property
    def blocking(self) -> list[ResourceChange]:
        return [c for c in self.changes if c.blocking]

    @property
    def exit_code(self) -> int:
        """0 when every change is SAFE or allowed, else 1."""
        return 1 if self.blocking else 0

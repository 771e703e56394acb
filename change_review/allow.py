"""The allow file: changes a reviewer accepted on purpose, each with a reason.

``review-allow.yaml`` holds a list of entries such as
``- {env: dev, stack: Identity, logical_id: MachineClient, verdict: REPLACEMENT, reason: "..."}``.
An entry allows exactly one verdict on one resource: if the change turns out worse (DATA LOSS
instead of the REPLACEMENT that was accepted), it still blocks.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, StringConstraints, TypeAdapter, ValidationError, field_validator

from cdk_app.config.errors import ConfigError
from cdk_app.config.messages import validation_problems
from cdk_app.config.yaml_io import read_yaml_file
from change_review.core.model import ResourceChange, StackReview, Verdict

_Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
_BLOCKING = ", ".join(v.value for v in Verdict if v.blocking)


class AllowError(ConfigError):
    """The allow file cannot be read or is not valid: the config error format, one line per problem
    (``config error in review-allow.yaml:3: [0].verdict: must be one of ...``)."""


class AllowEntry(BaseModel):
    """One accepted change: any verdict but SAFE (which needs no entry). ``logical_id`` is a resource's,
    an output's key, or ``(stack)`` for a change to the whole stack (a move, termination protection)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    env: _Text
    stack: _Text
    logical_id: _Text
    verdict: Verdict
    reason: _Text

    @field_validator("verdict", mode="before")
    @classmethod
    def _verdict(cls, value: Any) -> Any:
        # Accept DATA_LOSS, data loss, "DATA LOSS": people type it the way they remember it.
        text = str(value).strip().upper().replace("_", " ").replace("-", " ")
        if text == "SAFE":
            raise ValueError(f"SAFE changes pass without an entry; allow {_BLOCKING}")
        if text not in {v.value for v in Verdict}:
            raise ValueError(f"must be one of {_BLOCKING}")
        return Verdict(text)

    def matches(self, change: ResourceChange) -> bool:
        ids = {change.logical_id, change.new_logical_id}
        return (self.env, self.stack, self.verdict) == (change.env, change.stack, change.verdict) and (
            self.logical_id in ids
        )

    def describe(self) -> str:
        return f"{self.env}/{self.stack}/{self.logical_id} ({self.verdict.value})"


_ENTRIES = TypeAdapter(list[AllowEntry])


def load_allow_file(path: Path) -> list[AllowEntry]:
    """Parse and validate the file with the project's one YAML reader. Comments only: nothing allowed.

    Raises ``AllowError`` listing every problem (file, line, entry and key, reason): unreadable
    YAML, a non-list top level, an unknown key, a missing or empty ``reason``, an unknown verdict.
    """
    try:
        doc = read_yaml_file(path)
    except ConfigError as exc:
        raise AllowError.of(exc.problems, more=exc.more) from None
    if doc.data is None:
        return []
    if not isinstance(doc.data, list):
        raise AllowError(doc.file, None, "must be a list of entries (- {env: ..., stack: ..., ...})")
    try:
        return _ENTRIES.validate_python(doc.data)
    except ValidationError as exc:
        problems, more = validation_problems(exc, doc, list[AllowEntry])
        raise AllowError.of(problems, more=more) from None


def apply_allowances(
    stacks: list[StackReview], entries: list[AllowEntry]
) -> tuple[list[StackReview], list[str]]:
    """Mark matching changes as allowed (they stop blocking); also return entries that matched nothing."""
    used: set[int] = set()
    out: list[StackReview] = []
    for stack in stacks:
        changes: list[ResourceChange] = []
        for change in stack.changes:
            hit = next((i for i, e in enumerate(entries) if e.matches(change)), None)
            if hit is not None and change.verdict.blocking:
                used.add(hit)
                change = change.allow(entries[hit].reason)
            changes.append(change)
        out.append(replace(stack, changes=tuple(changes)))
    unused = [e.describe() for i, e in enumerate(entries) if i not in used]
    return out, unused

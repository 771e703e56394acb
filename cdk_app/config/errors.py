"""The one error type config loading raises, and its one format: file, line, key path, reason.

Every file the project parses (environments, the pipeline file, ``review-allow.yaml``) reports its
problems this way, one line each, all at once (up to ``MAX_PROBLEMS``)::

    config error in config/dev.yaml:14: user_pool.mfa.mdoe: unknown key; did you mean 'mode'?

Problems of one kind (the same refusal, repeated) share a line: the first place, and a count with
the others' lines (``… (and 19 more like it: lines 3, 4, 5, …)``)::

    config error in dev.yaml:3: b[0]: aliases (*a) are not supported; write the value out (and 2 more
    like it: lines 4, 5)
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Self

# Enough to fix a file in one go; more is usually one mistake repeated (a wrong indent, say).
MAX_PROBLEMS = 20
MAX_REASON = 400
# How many other lines a collapsed line names before "…".
_SHOWN_LINES = 3
_INDEX = re.compile(r"\[\d+\]")

Loc = tuple[int | str, ...]


@dataclass(frozen=True)
class Problem:
    """One thing wrong with one file: where (file, 1-based line, key path) and why, in plain words.

    ``kind`` names the refusal when it can repeat (``alias``, ``value_error@clients[].scopes``):
    problems of one kind in one file are shown as one line. ``None``: always a line of its own.
    """

    file: str
    line: int | None
    field: str | None
    reason: str
    kind: str | None = None

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        # A reason quoting a huge list (every unknown attribute, say) would bury the other lines.
        reason = self.reason if len(self.reason) <= MAX_REASON else self.reason[: MAX_REASON - 1] + "…"
        return f"{where}: {self.field}: {reason}" if self.field else f"{where}: {reason}"


class ConfigError(Exception):
    """Bad configuration: one line per problem, each naming the file, the line, the key path and why.

    ``file``, ``line``, ``field`` and ``reason`` are the first problem's; ``problems`` holds them all
    (repeats included: only the message collapses them).
    """

    prefix = "config error in "

    def __init__(self, file: Path | str, field: str | None, reason: str, line: int | None = None) -> None:
        self._set([Problem(str(file), line, field, reason)], 0)

    @classmethod
    def of(cls, problems: Iterable[Problem], *, more: int = 0) -> Self:
        """Every problem found, first ``MAX_PROBLEMS`` kept; ``more`` counts ones not collected."""
        error = cls.__new__(cls)
        error._set(list(problems), more)
        return error

    def _set(self, problems: list[Problem], more: int) -> None:
        if not problems:
            raise ValueError("a ConfigError needs at least one problem")
        self.problems = tuple(problems[:MAX_PROBLEMS])
        self.more = more + len(problems) - len(self.problems)
        first = self.problems[0]
        self.file, self.line, self.field, self.reason = first.file, first.line, first.field, first.reason
        Exception.__init__(self, str(self))

    def __str__(self) -> str:
        lines = [self.prefix + str(group[0]) + _like_it(group[1:]) for group in _by_kind(self.problems)]
        if self.more:
            lines.append(f"... and {self.more} more (showing the first {len(self.problems)})")
        return "\n".join(lines)


def _by_kind(problems: Sequence[Problem]) -> list[list[Problem]]:
    """The problems grouped by file and kind, each group where its first problem is."""
    groups: dict[object, list[Problem]] = {}
    for i, problem in enumerate(problems):
        key = (problem.file, problem.kind) if problem.kind is not None else i
        groups.setdefault(key, []).append(problem)
    return list(groups.values())


def _like_it(others: Sequence[Problem]) -> str:
    if not others:
        return ""
    lines = sorted({p.line for p in others if p.line})
    shown = ", ".join(str(n) for n in lines[:_SHOWN_LINES]) + (", …" if len(lines) > _SHOWN_LINES else "")
    at = f": line{'s' if len(lines) > 1 else ''} {shown}" if lines else ""
    return f" (and {len(others)} more like it{at})"


def field_path(loc: Sequence[int | str]) -> str:
    """Render a location as ``clients[1].callback_urls[0]`` (``[0].reason`` for a top-level list)."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out or "(top level)"


def kind_at(refusal: str, loc: Sequence[int | str]) -> str:
    """The kind of ``refusal`` at ``loc``: the same at every item of a list (``scopes@clients[].scopes``)."""
    return f"{refusal}@{_INDEX.sub('[]', field_path(loc))}"


def shown_path(path: Path) -> str:
    """``path`` as the user would type it: relative to the working directory when inside it."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)

"""Wall-clock timing of the local loop's steps, printed as one table at the end.

Steps may nest (``up`` holds ``deploy``, ``smoke``...): a nested step is printed indented under its
parent, and the total is the wall time since the timer started, so nothing is counted twice.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TextIO


@dataclass
class _Row:
    name: str
    depth: int
    seconds: float = 0.0
    passed: bool = False


@dataclass
class Timer:
    """Records each step's time and outcome in the order the steps started."""

    rows: list[_Row] = field(default_factory=list)
    started: float = field(default_factory=time.monotonic)
    _depth: int = 0

    @contextmanager
    def step(self, name: str) -> Iterator[None]:
        row = _Row(name, self._depth)
        self.rows.append(row)
        start = time.monotonic()
        self._depth += 1
        try:
            yield
            row.passed = True
        finally:
            self._depth -= 1
            row.seconds = time.monotonic() - start

    @property
    def steps(self) -> list[tuple[str, float, bool]]:
        return [(r.name, r.seconds, r.passed) for r in self.rows]

    def total(self) -> float:
        return time.monotonic() - self.started

    def print_table(self, out: TextIO, title: str) -> None:
        labels = [("  " * r.depth) + r.name for r in self.rows]
        width = max((len(label) for label in labels), default=5)
        print(title, file=out)
        for label, row in zip(labels, self.rows, strict=True):
            print(
                f"  timing: {label:<{width}}  {row.seconds:6.1f} s{'' if row.passed else '  (failed)'}",
                file=out,
            )
        print(f"  timing: {'total':<{width}}  {self.total():6.1f} s", file=out)

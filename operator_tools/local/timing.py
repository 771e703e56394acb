"""Wall-clock timing of the local loop's steps, printed as one table at the end."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TextIO


@dataclass
class Timer:
    """Records ``(step, seconds, passed)`` in order; a step that raises is recorded as failed."""

    steps: list[tuple[str, float, bool]] = field(default_factory=list)

    @contextmanager
    def step(self, name: str) -> Iterator[None]:
        start = time.monotonic()
        try:
            yield
        except BaseException:
            self.steps.append((name, time.monotonic() - start, False))
            raise
        self.steps.append((name, time.monotonic() - start, True))

    def total(self) -> float:
        return sum(seconds for _, seconds, _ in self.steps)

    def print_table(self, out: TextIO, title: str) -> None:
        width = max((len(name) for name, _, _ in self.steps), default=4)
        print(f"{title}", file=out)
        for name, seconds, passed in self.steps:
            print(f"  timing: {name:<{width}}  {seconds:6.1f} s{'' if passed else '  (failed)'}", file=out)
        print(f"  timing: {'total':<{width}}  {self.total():6.1f} s", file=out)

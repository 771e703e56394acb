"""Progress on long runs: a count of users every few seconds, never anything about a user."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TextIO

PROGRESS_INTERVAL_SECONDS = 5.0


class Progress:
    """``counted(n)`` prints ``<prefix>: n <what>`` (and the expected total, if known) at most once per
    interval, so a short run prints nothing and a long one shows it is moving."""

    def __init__(
        self,
        stream: TextIO,
        prefix: str,
        what: str,
        *,
        total: int | None = None,
        interval: float | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._stream = stream
        self._prefix = prefix
        self._what = what
        self._total = total
        self._interval = PROGRESS_INTERVAL_SECONDS if interval is None else interval
        self._clock = clock
        self._last = clock()

    def counted(self, done: int) -> None:
        now = self._clock()
        if now - self._last < self._interval:
            return
        self._last = now
        of = f" of about {self._total}" if self._total else ""
        self._stream.write(f"{self._prefix}: {done}{of} {self._what}\n")
        self._stream.flush()

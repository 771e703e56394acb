"""Work done once per test run, whatever the number of pytest-xdist workers (``make test`` runs two).

Each worker is its own Python process with its own session fixtures, so a session-scoped synth would
run once per worker. Instead the first worker that needs such a result builds it, under a file lock,
into a directory every worker of the run shares; the others wait for the lock and read what it
left. Without xdist the directory is the session's own, and nothing changes.

A process started in the background for the whole run (cfn-lint) writes its output and exit status
into files there, so any worker can wait for it and read them.
"""

from __future__ import annotations

import fcntl
import os
import subprocess
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest


def shared_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A directory shared by every worker of this run (under xdist, their base temp's parent)."""
    base = tmp_path_factory.getbasetemp()
    root = base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base
    shared = root / "shared"
    shared.mkdir(exist_ok=True)
    return shared


@contextmanager
def exclusive(lock: Path) -> Iterator[None]:
    """Hold ``lock`` (a file, created if need be) against every other process of the run."""
    with lock.open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


@dataclass(frozen=True)
class Finished:
    """A background run's exit status and output."""

    returncode: int
    stdout: str
    stderr: str


class BackgroundRun:
    """``cmd``, started once in the background, its stdout, stderr and exit status kept in ``prefix.*``.

    ``start`` starts it; any process of the run may then ``wait`` for it (the exit status file
    appears, by a rename, only once the output files are complete).
    """

    def __init__(self, prefix: Path) -> None:
        self._out = prefix.with_name(f"{prefix.name}.out")
        self._err = prefix.with_name(f"{prefix.name}.err")
        self._status = prefix.with_name(f"{prefix.name}.status")
        self._process: subprocess.Popen[bytes] | None = None

    def start(self, cmd: Sequence[str], cwd: Path) -> None:
        script = '"$@" >"$OUT" 2>"$ERR"; echo $? >"$STATUS.part"; mv "$STATUS.part" "$STATUS"'
        env = {**os.environ, "OUT": str(self._out), "ERR": str(self._err), "STATUS": str(self._status)}
        self._process = subprocess.Popen(
            ["/bin/sh", "-c", script, "sh", *cmd], cwd=cwd, env=env, stdin=subprocess.DEVNULL
        )

    def wait(self, timeout: float = 600) -> Finished:
        deadline = time.monotonic() + timeout
        while not self._status.exists():
            if time.monotonic() > deadline:
                raise TimeoutError(f"{self._status} did not appear within {timeout:.0f} s")
            time.sleep(0.05)
        if self._process is not None:
            self._process.wait()
        return Finished(
            int(self._status.read_text().strip()),
            self._out.read_text(encoding="utf-8"),
            self._err.read_text(encoding="utf-8"),
        )

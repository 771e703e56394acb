"""Write every user of a pool to a private file, in the user-file format, atomically.

Guarantees:

- the file is never readable by anyone but its owner, not even while it is written: the data goes to
  a temporary file created with mode 0600 in the same directory, which is renamed into place only
  once complete and flushed to disk; a failure leaves no file (and no temporary file) behind;
- an existing file is never overwritten (each export is a backup worth keeping), nor written through
  a symlink;
- the default place is ``.local/exports/`` of the project, which git ignores, so an export is not
  committed by accident.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import TextIO

from functions.user_export.user_file import Header, utc_timestamp, write_users
from operator_tools.lib.errors import ToolError
from operator_tools.users.cognito_calls import CognitoCalls
from operator_tools.users.pool_reader import read_users

EXPORT_DIR = Path(__file__).resolve().parents[2] / ".local" / "exports"
PRIVATE = 0o600


def default_path(env: str, now: datetime, directory: Path = EXPORT_DIR) -> Path:
    """``.local/exports/users-<env>-<UTC time>.jsonl``."""
    return directory / f"users-{env}-{now.astimezone(UTC).strftime('%Y%m%dT%H%M%SZ')}.jsonl"


def check_target(path: Path) -> None:
    """Refuse, before any AWS call, a target that exists, is a symlink, or has no directory."""
    if path.is_symlink() or path.exists():
        raise ToolError(f"{path} already exists; an export never overwrites one. Choose another FILE")
    if not path.parent.is_dir():
        raise ToolError(f"{path.parent} is not a directory; create it or choose another FILE")


def export_users(
    calls: CognitoCalls,
    env: str,
    pool_id: str,
    path: Path,
    *,
    now: datetime,
    counted: Callable[[int], None] = lambda _: None,
) -> int:
    """Write the pool's users to ``path`` (mode 0600); return how many were written."""
    header = Header(environment=env, user_pool_id=pool_id, exported_at=utc_timestamp(now))
    records = read_users(calls, pool_id, counted=counted)
    return write_private(path, lambda out: write_users(out, header, records))


def write_private(path: Path, write: Callable[[TextIO], int]) -> int:
    """Run ``write`` on a 0600 temporary file beside ``path``, then move it to ``path``; its result."""
    if path.parent == EXPORT_DIR:
        EXPORT_DIR.mkdir(mode=0o700, parents=True, exist_ok=True)
    check_target(path)
    descriptor, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".partial")
    try:
        # mkstemp creates the file 0600; a umask can only take bits away, so set it exactly.
        os.fchmod(descriptor, PRIVATE)
        with os.fdopen(descriptor, "w", encoding="utf-8", newline="\n") as out:
            result = write(out)
            out.flush()
            os.fsync(out.fileno())
        _move_into_place(Path(temporary), path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
        raise
    _sync_directory(path.parent)
    return result


def _move_into_place(temporary: Path, path: Path) -> None:
    """A hard link fails if ``path`` appeared meanwhile, so nothing is ever overwritten."""
    try:
        os.link(temporary, path)
    except FileExistsError:
        raise ToolError(f"{path} appeared during the export; the export was not written") from None
    except OSError:
        # A file system without hard links: check, then rename (same directory, so atomic).
        check_target(path)
        os.replace(temporary, path)
        return
    temporary.unlink()


def _sync_directory(directory: Path) -> None:
    with contextlib.suppress(OSError):
        descriptor = os.open(directory, os.O_RDONLY)
        try:
            os.fsync(descriptor)
        finally:
            os.close(descriptor)

"""Files only their owner may read (keys, passwords, client secrets): written 0600, never through a
symlink, and replaced atomically so a server rereading one never sees half a file."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from operator_tools.local.idps.errors import IdpError


def write_private(path: Path, content: str | bytes) -> None:
    """Write ``content`` to ``path`` with mode 0600, replacing it atomically."""
    data = content.encode("utf-8") if isinstance(content, str) else content
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        # O_EXCL and O_NOFOLLOW: never write a secret through a file or symlink someone else planted.
        fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600)
        with os.fdopen(fd, "wb") as handle:
            os.fchmod(handle.fileno(), 0o600)
            handle.write(data)
        os.replace(temporary, path)
    except OSError as exc:
        temporary.unlink(missing_ok=True)
        raise IdpError(f"cannot write {path}: {exc.strerror}") from None


def write_private_json(path: Path, value: Any) -> None:
    write_private(path, json.dumps(value, indent=2) + "\n")


def read_json(path: Path) -> Any:
    """The JSON in ``path``, or None if it is missing or not JSON (the caller then makes it anew)."""
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None

"""Read a user file from disk for a restore: every line checked by the format before any AWS call.

Errors are one ``ToolError`` line naming the file, the line number and the reason, never a value
from the file. A file readable by other users gets a warning: it holds personal data.
"""

from __future__ import annotations

import stat
from collections.abc import Iterator
from pathlib import Path
from typing import TextIO

from functions.user_export.user_file import Header, UserFileError, UserRecord, read_users
from operator_tools.lib.errors import ToolError


def read_user_file(path: Path, warnings: TextIO) -> tuple[Header, list[tuple[int, UserRecord]]]:
    """The file's header and its users with their line numbers."""
    try:
        data = path.read_bytes()
        mode = path.stat().st_mode
    except OSError as exc:
        raise ToolError(f"cannot read {path}: {exc.strerror or exc}") from None
    if mode & (stat.S_IRWXG | stat.S_IRWXO):
        warnings.write(
            f"restore: warning: {path} is readable by other users (mode {stat.S_IMODE(mode):04o}); "
            "it holds personal data: chmod 600 it\n"
        )
    try:
        return read_users(_decoded(data))
    except UserFileError as exc:
        raise ToolError(f"{path} {exc}") from None


def _decoded(data: bytes) -> Iterator[str]:
    # Split the bytes, not the text: str.splitlines would also split at U+2028 inside a JSON string.
    for number, raw in enumerate(data.splitlines(), start=1):
        try:
            yield raw.decode("utf-8")
        except UnicodeDecodeError:
            raise UserFileError(number, "not UTF-8 text") from None

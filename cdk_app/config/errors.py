"""The one error type config loading raises, formatted for humans (no traceback)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path


class ConfigError(Exception):
    """Bad configuration: names the file, the field path and the reason in one short paragraph."""

    def __init__(self, file: Path | str, field: str | None, reason: str) -> None:
        self.file = str(file)
        self.field = field
        self.reason = reason
        super().__init__(str(self))

    def __str__(self) -> str:
        where = f"{self.file}: {self.field}" if self.field else self.file
        return f"config error in {where}: {self.reason}"


def field_path(loc: Sequence[int | str]) -> str:
    """Render a pydantic error location as ``clients[1].callback_urls[0]``."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out or "(top level)"

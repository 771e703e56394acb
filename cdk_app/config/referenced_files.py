"""Files a config points at (SAML metadata): read safely, with errors naming the key and the file.

A referenced file must be inside the repository, at most ``MAX_FILE_BYTES``, and UTF-8. When the
loader validates a file it passes a context under ``CONTEXT_KEY``, so each referenced file is read
and checked once per load however many keys name it; that keeps loading bounded in time.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parents[2]
MAX_FILE_BYTES = 1024 * 1024
CONTEXT_KEY = "referenced_files"


def read_referenced(key: str, relative: str, context: Any, check: Callable[[str], None]) -> str:
    """The text of ``relative`` (from the repository root), named by config key ``key``, after ``check``.

    Raises ``ValueError("<key>: '<file>' <why>")`` if the file is outside the repository, missing,
    unreadable, too large or not UTF-8, or if ``check(text)`` raises ``ValueError(<why>)``.
    """
    cache: dict[tuple[str, str], str | ValueError] | None = (
        context.get(CONTEXT_KEY) if isinstance(context, dict) else None
    )
    outcome = cache.get((key, relative)) if cache is not None else None
    if outcome is None:
        try:
            outcome = _read(relative)
            check(outcome)
        except ValueError as exc:
            outcome = ValueError(f"{key}: {relative!r} {exc}")
        if cache is not None:
            cache[(key, relative)] = outcome
    if isinstance(outcome, ValueError):
        raise ValueError(str(outcome))
    return outcome


def _read(relative: str) -> str:
    path = (REPO_ROOT / relative).resolve()
    if REPO_ROOT not in path.parents:
        raise ValueError("must be inside the repository")
    if not path.is_file():
        raise ValueError("does not exist")
    try:
        with path.open("rb") as handle:
            data = handle.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        raise ValueError(f"cannot be read ({exc.strerror or exc})") from None
    if len(data) > MAX_FILE_BYTES:
        raise ValueError(f"is larger than {MAX_FILE_BYTES // 1024} KiB")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise ValueError(f"is not UTF-8 text (line {line}); save it as UTF-8") from None

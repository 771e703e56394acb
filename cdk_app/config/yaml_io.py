"""One YAML reader for every file the project parses (environments, pipeline, review allowances)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

# libyaml's C parser when PyYAML was built with it (the PyPI wheels are): the same safe subset of
# YAML as SafeLoader, with the same error marks, and many times faster than the pure-Python one.
_LOADER: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class YamlFileError(Exception):
    """The file cannot be read or is not YAML; ``str()`` is a one-line reason without the path."""


def load_yaml(text: str) -> Any:
    """Parse ``text`` with the safe loader (no arbitrary objects). Raises ``yaml.YAMLError``."""
    return yaml.load(text, Loader=_LOADER)  # noqa: S506 - the loader is a safe one


def read_yaml_file(path: Path) -> Any:
    """Read and parse ``path``. Raises ``YamlFileError`` naming the line and column of a syntax error."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise YamlFileError(f"cannot read the file: {exc}") from None
    try:
        return load_yaml(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        at = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise YamlFileError(f"invalid YAML{at}: {problem}") from None

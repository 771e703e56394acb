"""One YAML reader for every file the project parses (environments, pipeline, review allowances)."""

from __future__ import annotations

from typing import Any

import yaml

# libyaml's C parser when PyYAML was built with it (the PyPI wheels are): the same safe subset of
# YAML as SafeLoader, with the same error marks, and many times faster than the pure-Python one.
_LOADER: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load_yaml(text: str) -> Any:
    """Parse ``text`` with the safe loader (no arbitrary objects). Raises ``yaml.YAMLError``."""
    return yaml.load(text, Loader=_LOADER)  # noqa: S506 - the loader is a safe one

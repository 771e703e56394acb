"""Choose an environment by name: the first step of every operator verb that takes ``ENV``.

Guarantees: a missing or mistyped name is a ``UsageError`` (exit 2) that names the make verb, lists
the environments and suggests the closest name; a known one is loaded (and validated) from config.
"""

from __future__ import annotations

import difflib
from pathlib import Path

from cdk_app.config import EnvironmentConfig, available_environments
from cdk_app.config.loading import load_environment
from cdk_app.config.loading.loader import CONFIG_DIR
from operator_tools.lib.errors import UsageError


def choose_environment(name: str, verb: str, config_dir: Path = CONFIG_DIR) -> EnvironmentConfig:
    """Load environment ``name`` for ``make <verb>``, or raise ``UsageError`` listing every environment.

    A mistyped name gets the closest known one as a suggestion (``make diff ENV=dev``).
    """
    known = available_environments(config_dir)
    listed = ", ".join(known) or "none (add config/<name>.yaml)"
    name = name.strip()
    if not name:
        example = known[0] if known else "dev"
        raise UsageError(f"ENV is required, e.g. make {verb} ENV={example}; environments: {listed}")
    if name not in known:
        close = difflib.get_close_matches(name, known, n=1)
        hint = f" (did you mean make {verb} ENV={close[0]}?)" if close else ""
        raise UsageError(f"no environment named {name!r}{hint}; environments: {listed}")
    return load_environment(name, config_dir)

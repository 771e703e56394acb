"""Read ``config/<env>.yaml`` into a frozen ``EnvironmentConfig``, or fail with a ``ConfigError``.

This is the edge: the only place that touches raw YAML. Everything below it gets typed models.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from cdk_app.config.environment import EnvironmentConfig
from cdk_app.config.errors import ConfigError, field_path
from cdk_app.config.yaml_io import YamlFileError, read_yaml_file

CONFIG_DIR = Path(__file__).resolve().parents[2] / "config"

# Key names that would carry a credential. Their value must be a Secrets Manager reference
# (a mapping), never a string: a plaintext secret in git is a leaked secret.
_SECRET_KEY = re.compile(r"(^|_)(secret|password|passwd|passphrase|private_key|api_key|access_key)$", re.I)


def available_environments(config_dir: Path = CONFIG_DIR) -> list[str]:
    """Environment names, one per ``*.yaml`` file directly under ``config_dir``."""
    return sorted(p.stem for p in config_dir.glob("*.yaml"))


def load_environment(name: str, config_dir: Path = CONFIG_DIR) -> EnvironmentConfig:
    """Parse and validate one environment. Raises ``ConfigError`` and nothing else on bad input."""
    path = config_dir / f"{name}.yaml"
    shown = _display(path)
    if not path.is_file():
        known = ", ".join(available_environments(config_dir)) or "none"
        raise ConfigError(shown, None, f"no environment named {name!r}; environments: {known}")
    try:
        raw = read_yaml_file(path)
    except YamlFileError as exc:
        raise ConfigError(shown, None, str(exc)) from None
    if raw is None:
        raise ConfigError(shown, None, "the file is empty")
    if not isinstance(raw, dict):
        raise ConfigError(shown, None, f"the top level must be a mapping, not {type(raw).__name__}")
    if "name" in raw:
        raise ConfigError(shown, "name", "the environment's name comes from its file name; remove this key")
    _reject_plaintext_secrets(raw, shown, ())
    try:
        return EnvironmentConfig.model_validate({**raw, "name": name})
    except ValidationError as exc:
        raise _first_error(exc, shown) from None


def load_environments(names: list[str] | None, config_dir: Path = CONFIG_DIR) -> list[EnvironmentConfig]:
    """Load the named environments, or all of them; every file is validated before any synth."""
    return [load_environment(n, config_dir) for n in (names or available_environments(config_dir))]


def _reject_plaintext_secrets(node: Any, shown: str, loc: tuple[int | str, ...]) -> None:
    if isinstance(node, dict):
        for key, value in node.items():
            here = (*loc, str(key))
            if _SECRET_KEY.search(str(key)) and isinstance(value, str | int | float):
                raise ConfigError(
                    shown,
                    field_path(here),
                    "looks like a plaintext secret; store it in Secrets Manager and give "
                    "{secret_name: <name or ARN>, json_key: <key>} instead",
                )
            _reject_plaintext_secrets(value, shown, here)
    elif isinstance(node, list):
        for i, value in enumerate(node):
            _reject_plaintext_secrets(value, shown, (*loc, i))


def _first_error(exc: ValidationError, shown: str) -> ConfigError:
    err = exc.errors(include_url=False)[0]
    loc = [p for p in err["loc"] if not (isinstance(p, str) and p.startswith("function-after"))]
    message = err["msg"].removeprefix("Value error, ")
    if err["type"] == "extra_forbidden":
        message = "unknown key (check the spelling; see docs/configuration.md)"
    elif err["type"] == "missing":
        message = "required key is missing"
    # Cross-field validators cannot set a location, so they lead their message with one.
    if (m := _LEADING_PATH.match(message)) is not None:
        loc = [*loc, *_split_path(m.group(1))]
        message = m.group(2)
    more = len(exc.errors()) - 1
    suffix = f" ({more} more error{'s' if more > 1 else ''} after fixing this)" if more else ""
    return ConfigError(shown, field_path(loc) if loc else None, message + suffix)


_LEADING_PATH = re.compile(r"^([a-z_][a-z0-9_]*(?:\[\d+\]|\.[a-z_][a-z0-9_]*)*): (.+)$", re.S)


def _split_path(path: str) -> list[int | str]:
    return [int(p) if p.isdigit() else p for p in re.findall(r"[a-z_][a-z0-9_]*|\d+", path)]


def _display(path: Path) -> str:
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)

"""Read a config file into a frozen model, or fail with a ``ConfigError`` listing every problem.

This is the edge: YAML comes in through ``yaml_io``, typed models go out. ``load_project``
(``cdk_app.config.project``) is the entry a run uses; the functions here load single files.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from cdk_app.config import yaml_io
from cdk_app.config.environment import EnvironmentConfig
from cdk_app.config.errors import ConfigError, Problem, shown_path
from cdk_app.config.messages import closest, validation_problems
from cdk_app.config.referenced_files import CONTEXT_KEY

CONFIG_DIR = Path(__file__).resolve().parents[2] / "config"
Model = TypeVar("Model", bound=BaseModel)

_NAME_FROM_FILE = {"name": "the environment's name comes from its file name; remove this key"}


def available_environments(config_dir: Path = CONFIG_DIR) -> list[str]:
    """Environment names, one per ``*.yaml`` file directly under ``config_dir``."""
    return sorted(p.stem for p in config_dir.glob("*.yaml"))


def unknown_environment(name: str, known: list[str]) -> str:
    """The reason for a name that has no file: every environment, and the closest one."""
    return f"no environment named {name!r}; {environment_choices(name, known)}"


def environment_choices(name: str, known: list[str]) -> str:
    """``did you mean 'dev'? environments: dev, prod, staging`` for a mistyped ``name``."""
    listed = ", ".join(known) or "none (add config/<name>.yaml)"
    close = closest(name, known)
    return f"did you mean {close!r}? environments: {listed}" if close else f"environments: {listed}"


def load_environment(
    name: str, config_dir: Path = CONFIG_DIR, *, known: list[str] | None = None
) -> EnvironmentConfig:
    """Parse and validate one environment. Raises ``ConfigError`` (every problem) and nothing else."""
    known = available_environments(config_dir) if known is None else known
    if name not in known:
        raise ConfigError(shown_path(config_dir) + "/", None, unknown_environment(name, known))
    return read_model(
        config_dir / f"{name}.yaml", EnvironmentConfig, fixed={"name": name}, reserved=_NAME_FROM_FILE
    )


def load_environments(names: list[str] | None, config_dir: Path = CONFIG_DIR) -> list[EnvironmentConfig]:
    """Load the named environments, or all of them, reporting every file's problems at once.

    Does not read the pipeline file; ``load_project`` reads both and checks them against each other.
    """
    configs, problems, more = read_environments(names or available_environments(config_dir), config_dir)
    if problems:
        raise ConfigError.of(problems, more=more)
    return configs


def read_environments(
    names: Iterable[str], config_dir: Path
) -> tuple[list[EnvironmentConfig], list[Problem], int]:
    """Each named environment that is valid, every problem of those that are not, and the uncounted rest."""
    known = available_environments(config_dir)
    configs: list[EnvironmentConfig] = []
    problems: list[Problem] = []
    more = 0
    for name in names:
        try:
            configs.append(load_environment(name, config_dir, known=known))
        except ConfigError as exc:
            problems += exc.problems
            more += exc.more
    return configs, problems, more


def read_model(
    path: Path,
    model: type[Model],
    *,
    fixed: Mapping[str, Any] | None = None,
    reserved: Mapping[str, str] | None = None,
) -> Model:
    """Read ``path`` and validate it as ``model``; every problem (up to the cap) in one ``ConfigError``.

    ``fixed`` values are set by the loader, not the file (an environment's name); a file that sets
    a ``reserved`` key gets that key's reason. Values are validated strictly, as JSON would be: a
    boolean is ``true``/``false``, a number is not text, text is not a number.
    """
    doc = yaml_io.read_yaml_file(path)
    return validate_document(doc, model, fixed=fixed, reserved=reserved)


def validate_document(
    doc: yaml_io.YamlDocument,
    model: type[Model],
    *,
    fixed: Mapping[str, Any] | None = None,
    reserved: Mapping[str, str] | None = None,
) -> Model:
    """Validate parsed data as ``model`` (see ``read_model``). Raises ``ConfigError``."""
    data = doc.data
    if data is None:
        raise ConfigError(doc.file, None, "the file is empty")
    if not isinstance(data, dict):
        raise ConfigError(
            doc.file, None, f"the top level must be a mapping (key: value lines), not {_kind(data)}"
        )
    problems = [doc.problem((key,), reason) for key, reason in (reserved or {}).items() if key in data]
    more = 0
    result: Model | None = None
    try:
        result = model.model_validate_json(
            json.dumps({**data, **(fixed or {})}), strict=True, context={CONTEXT_KEY: {}}
        )
    except ValidationError as exc:
        found, more = validation_problems(exc, doc, model, hidden=set(fixed or ()))
        problems += found
    if result is None or problems:
        raise ConfigError.of(sorted(problems, key=lambda p: p.line or 0), more=more)
    return result


def _kind(value: Any) -> str:
    return "a list" if isinstance(value, list) else f"a single value ({value!r:.40})"

"""Read config files into frozen models and check them with the rules, or fail with every problem.

This is the edge: YAML comes in through ``yaml_io``, each file is validated as its model (every key
on its own), and the models that are valid are checked together by ``cdk_app.config.rules``.
``load_project`` (``cdk_app.config.loading.project``) is the entry a run uses; ``load_environment`` and
``load_environments`` load environments without the pipeline file, with the same rules.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from cdk_app.config import defaults, rules, yaml_io
from cdk_app.config.environment import EnvironmentConfig
from cdk_app.config.errors import ConfigError, Problem, shown_path
from cdk_app.config.files import CONFIG_DIR as CONFIG_DIR
from cdk_app.config.files import available_environments as available_environments
from cdk_app.config.files import unknown_environment
from cdk_app.config.messages import validation_problems
from cdk_app.config.pipeline import PipelineConfig
from cdk_app.config.referenced_files import CONTEXT_KEY
from cdk_app.config.rules.subject import Loaded, Sources, environment_file
from cdk_app.config.tenants import TENANT_NAME_PATTERN, TenantConfig, tenant_dir

Model = TypeVar("Model", bound=BaseModel)

_NAME_FROM_FILE = {
    "name": "the environment's name comes from its file name; remove this key",
    "tenants": "a tenant is a file of its own, config/tenants/<env>/<tenant>.yaml; move it there",
}
_TENANT_NAME_FROM_FILE = {"name": "the tenant's name comes from its file name; remove this key"}
_BAD_TENANT_NAME = (
    "a tenant's file name is its name: 1-40 lowercase letters, digits and hyphens, starting with a "
    "letter or digit (acme-corp.yaml); rename the file"
)


def load_environment(
    name: str, config_dir: Path = CONFIG_DIR, *, known: list[str] | None = None
) -> EnvironmentConfig:
    """Parse and validate one environment. Raises ``ConfigError`` (every problem) and nothing else."""
    [config] = load_environments([name], config_dir, known=known)
    return config


def load_environments(
    names: list[str] | None, config_dir: Path = CONFIG_DIR, *, known: list[str] | None = None
) -> list[EnvironmentConfig]:
    """Load the named environments, or all of them, reporting every file's problems at once.

    Does not read the pipeline file; ``load_project`` reads both and checks them against each other.
    """
    known = available_environments(config_dir) if known is None else known
    reading = Reading(config_dir, known)
    reading.environments(names or known)
    reading.check()
    return list(reading.configs.values())


@dataclass
class Reading:
    """What a run has read so far: the valid models, their documents, and every problem found.

    ``check`` runs the rules on what is valid and raises one ``ConfigError`` for all the problems,
    grouped by file in the order the files were read.
    """

    config_dir: Path
    known: list[str]
    configs: dict[str, EnvironmentConfig] = field(default_factory=dict)
    pipeline: PipelineConfig | None = None
    documents: dict[str, yaml_io.YamlDocument] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    failed: set[str] = field(default_factory=set)
    more: int = 0
    # Each file (as problems name it) in the order it was read: problems are reported in this order.
    files: dict[str, int] = field(default_factory=dict)

    def environments(self, names: Iterable[str]) -> None:
        """Read each named environment once; a name without a file is a problem."""
        for name in names:
            if name not in self.known:
                where = self._file(shown_path(self.config_dir) + "/")
                self.problems.append(Problem(where, None, None, unknown_environment(name, self.known)))
            elif name not in self.configs and name not in self.failed:
                path = self.config_dir / environment_file(name)
                found = self.read(
                    path,
                    EnvironmentConfig,
                    fixed={"name": name},
                    reserved=_NAME_FROM_FILE,
                    prepare=defaults.follow,
                )
                if found is None:
                    self.failed.add(name)
                else:
                    self.configs[name] = found.model_copy(update={"tenants": self.tenants(name)})

    def tenants(self, env: str) -> tuple[TenantConfig, ...]:
        """Every valid tenant file of ``env`` (``config/tenants/<env>/*.yaml``), each read on its own.

        Each is its own file: it has its own size caps, and its problems name it. One with problems
        is left out (they are reported); the rules across files see the others.
        """
        found: list[TenantConfig] = []
        for path in sorted((self.config_dir / tenant_dir(env)).glob("*.yaml")):
            if not re.fullmatch(TENANT_NAME_PATTERN, path.stem):
                where = self._file(shown_path(path))
                self.problems.append(Problem(where, None, None, _BAD_TENANT_NAME))
                continue
            tenant = self.read(path, TenantConfig, fixed={"name": path.stem}, reserved=_TENANT_NAME_FROM_FILE)
            if tenant is not None:
                found.append(tenant)
        return tuple(found)

    def read(
        self,
        path: Path,
        model: type[Model],
        *,
        fixed: Mapping[str, Any] | None = None,
        reserved: Mapping[str, str] | None = None,
        prepare: Callable[[Any], Any] | None = None,
    ) -> Model | None:
        """``path`` validated as ``model`` (``validate_document``), or ``None`` with its problems noted."""
        self._file(shown_path(path))
        try:
            doc = yaml_io.read_yaml_file(path)
            self.documents[path.relative_to(self.config_dir).as_posix()] = doc
            return validate_document(doc, model, fixed=fixed, reserved=reserved, prepare=prepare)
        except ConfigError as exc:
            self.problems += exc.problems
            self.more += exc.more
            return None

    def check(self) -> Loaded:
        """Run the rules on every valid model; raise ``ConfigError`` if anything was found."""
        loaded = Loaded(
            self.configs, self.pipeline, self.known, frozenset(self.failed), Sources(self.documents)
        )
        problems = self.problems + rules.check(loaded)
        if problems:
            problems.sort(key=lambda p: self.files.get(p.file, len(self.files)))
            raise ConfigError.of(problems, more=self.more)
        return loaded

    def _file(self, shown: str) -> str:
        self.files.setdefault(shown, len(self.files))
        return shown


def validate_document(
    doc: yaml_io.YamlDocument,
    model: type[Model],
    *,
    fixed: Mapping[str, Any] | None = None,
    reserved: Mapping[str, str] | None = None,
    prepare: Callable[[Any], Any] | None = None,
) -> Model:
    """Validate parsed data as ``model``: every key on its own, not the rules. Raises ``ConfigError``.

    ``fixed`` values are set by the loader, not the file (an environment's name); a file that sets
    a ``reserved`` key gets that key's reason; ``prepare`` fills in defaults that follow the file
    (``defaults.follow``). Values are validated strictly, as JSON would be: a boolean is
    ``true``/``false``, a number is not text, text is not a number.
    """
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
        prepared = prepare(data) if prepare is not None else data
        result = model.model_validate_json(
            json.dumps({**prepared, **(fixed or {})}), strict=True, context={CONTEXT_KEY: {}}
        )
    except ValidationError as exc:
        found, more = validation_problems(exc, doc, model, hidden=set(fixed or ()))
        problems += found
    if result is None or problems:
        raise ConfigError.of(sorted(problems, key=lambda p: p.line or 0), more=more)
    return result


def _kind(value: Any) -> str:
    return "a list" if isinstance(value, list) else f"a single value ({value!r:.40})"

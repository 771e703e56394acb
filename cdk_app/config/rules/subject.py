"""What the rules look at, and what they report: a ``Violation`` at a key path, in a file.

An environment rule takes one ``EnvironmentConfig``; a project rule takes ``Loaded``, everything a
run read. Both yield ``Violation``s, which ``cdk_app.config.rules.check`` turns into problems at
their file and line through ``Sources``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field

from cdk_app.config.environment import EnvironmentConfig
from cdk_app.config.errors import Loc, Problem, field_path
from cdk_app.config.federation import OidcConfig, SamlConfig
from cdk_app.config.pipeline import PIPELINE_FILE, PipelineConfig
from cdk_app.config.tenants import tenant_file
from cdk_app.config.yaml_io import YamlDocument

# Where a model built in code (no file read) is said to be: where its file would be.
SHOWN_CONFIG_DIR = "config"
# The pipeline file, as a file a violation names (relative to the config directory).
PIPELINE = PIPELINE_FILE.as_posix()


def environment_file(name: str) -> str:
    """The file of environment ``name``, relative to the config directory."""
    return f"{name}.yaml"


@dataclass(frozen=True)
class Violation:
    """One broken rule: the key path it is about (``("clients", 0, "scopes")``) and why.

    ``file`` is the file it is in, relative to the config directory (``prod.yaml``,
    ``pipeline/pipeline.yaml``); ``None``, for an environment rule, is that environment's file.
    """

    loc: Loc
    reason: str
    file: str | None = None


@dataclass(frozen=True)
class Sources:
    """The documents a run read, by file relative to the config directory, to place violations."""

    documents: Mapping[str, YamlDocument] = field(default_factory=dict)

    def problem(self, file: str, loc: Loc, reason: str, kind: str) -> Problem:
        """The problem at ``loc`` in ``file``: with its line if the file was read, else without."""
        doc = self.documents.get(file)
        if doc is None:
            return Problem(self.shown(file), None, field_path(loc) if loc else None, reason, kind)
        return doc.problem(loc, reason, kind=kind)

    def shown(self, file: str, loc: Loc = ()) -> str:
        """``file`` as messages name it (``config/dev.yaml``), and ``:<line>`` of ``loc`` if it has one.

        For a reason that points at a second place (``'dev' has no account in config/dev.yaml``).
        """
        doc = self.documents.get(file)
        if doc is None:
            return f"{SHOWN_CONFIG_DIR}/{file}"
        line = doc.line_of(loc) if loc else None
        return f"{doc.file}:{line}" if line else doc.file


@dataclass(frozen=True)
class Loaded:
    """Everything a run read that is valid on its own: what the rules across files look at.

    ``known`` names every environment that has a file (for did-you-mean); ``failed`` those whose
    own file has problems, already reported (a rule across files leaves them out).
    """

    environments: Mapping[str, EnvironmentConfig]
    pipeline: PipelineConfig | None = None
    known: Sequence[str] = ()
    failed: frozenset[str] = frozenset()
    sources: Sources = Sources()


@dataclass(frozen=True)
class ProviderPlace:
    """One provider of an environment, the file it is written in and its key path in that file."""

    provider: SamlConfig | OidcConfig
    file: str
    loc: Loc


def provider_places(name: str, env: EnvironmentConfig) -> Iterator[ProviderPlace]:
    """Every SAML and OIDC provider of environment ``name`` where it is written: the environment
    file's, in file order, then each tenant file's (``saml`` or ``oidc`` there)."""
    file = environment_file(name)
    for i, saml in enumerate(env.identity_providers.saml):
        yield ProviderPlace(saml, file, ("identity_providers", "saml", i))
    for i, oidc in enumerate(env.identity_providers.oidc):
        yield ProviderPlace(oidc, file, ("identity_providers", "oidc", i))
    for tenant in env.tenants:
        yield ProviderPlace(tenant.provider, tenant_file(name, tenant.name), (tenant.provider_key,))


EnvironmentRule = Callable[[EnvironmentConfig], Iterable[Violation]]
ProjectRule = Callable[[Loaded], Iterable[Violation]]

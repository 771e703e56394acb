"""Rules about an environment's identity providers as a whole: what Cognito refuses only at deploy.

Providers are looked at through ``_provider_places``: each provider with the file it is in and its key
path there, so a rule can name both places of a clash (tenant files add their own places).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from cdk_app.config.certificates import expiry_checks
from cdk_app.config.environment import EnvironmentConfig
from cdk_app.config.errors import Loc
from cdk_app.config.federation import OidcConfig, SamlConfig
from cdk_app.config.rules.subject import Loaded, Violation, environment_file


@dataclass(frozen=True)
class ProviderPlace:
    """One provider of an environment, the file it is written in and its key path in that file."""

    provider: SamlConfig | OidcConfig
    file: str
    loc: Loc


def _provider_places(name: str, env: EnvironmentConfig) -> Iterator[ProviderPlace]:
    """Every SAML and OIDC provider of environment ``name``, in file order, where it is written."""
    file = environment_file(name)
    for i, saml in enumerate(env.identity_providers.saml):
        yield ProviderPlace(saml, file, ("identity_providers", "saml", i))
    for i, oidc in enumerate(env.identity_providers.oidc):
        yield ProviderPlace(oidc, file, ("identity_providers", "oidc", i))


def identifiers_are_unique(loaded: Loaded) -> Iterator[Violation]:
    """No two providers of an environment share an identifier (Cognito: ``DuplicateProviderException``).

    Cognito compares identifiers (email domains) without regard to case, and so does this rule. The
    second use is the violation; its reason names the first, file and line.
    """
    for name, env in loaded.environments.items():
        if name in loaded.failed:
            continue
        first: dict[str, tuple[ProviderPlace, Loc]] = {}
        for place in _provider_places(name, env):
            for j, identifier in enumerate(place.provider.identifiers):
                loc = (*place.loc, "identifiers", j)
                seen = first.setdefault(identifier.casefold(), (place, loc))
                if seen[0] is place:
                    continue
                where = loaded.sources.shown(seen[0].file, seen[1])
                yield Violation(
                    loc,
                    f"identifier {identifier!r} (provider {place.provider.name!r}) is already used by "
                    f"provider {seen[0].provider.name!r} at {where}; Cognito refuses a duplicate identifier, "
                    "so give each provider its own",
                    place.file,
                )


def signing_certificates_are_current(env: EnvironmentConfig) -> Iterator[Violation]:
    """No ``metadata_file`` provider's signing certificate has expired (federation would fail).

    Only certificates that could be read count: the metadata's shape is the model's own check, and
    ``make idp-check`` reports metadata without a readable signing certificate.
    """
    for i, check in expiry_checks(env):
        if check.error is not None and check.certificates:
            yield Violation(("identity_providers", "saml", i, "metadata_file"), check.error)

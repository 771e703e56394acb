"""Rules about an environment's identity providers as a whole: what Cognito refuses only at deploy.

Providers are looked at through ``subject.provider_places``: each provider with the file it is in and
its key path there, so a rule can name both places of a clash (a tenant file is a place of its own).
"""

from __future__ import annotations

from collections.abc import Iterator

from cdk_app.config.certificates import expiry_checks
from cdk_app.config.environment import EnvironmentConfig
from cdk_app.config.errors import Loc
from cdk_app.config.rules.subject import Loaded, ProviderPlace, Violation, provider_places


def identifiers_are_unique(loaded: Loaded) -> Iterator[Violation]:
    """No two providers of an environment share an identifier (Cognito: ``DuplicateProviderException``).

    Cognito compares identifiers (email domains) without regard to case, and so does this rule. The
    second use is the violation; its reason names the first, file and line.
    """
    for name, env in loaded.environments.items():
        if name in loaded.failed:
            continue
        first: dict[str, tuple[ProviderPlace, Loc]] = {}
        for place in provider_places(name, env):
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

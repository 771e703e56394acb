"""Which attributes each app client may read and write: its configured lists, or the safe defaults.

An attribute filled by an identity provider's attribute mapping (``custom:idp_groups``) is only worth
trusting if no user can set it. Cognito lets a user write an attribute through a client when:

- the user holds a token with the ``aws.cognito.signin.user.admin`` scope from that client, which every
  direct (API) sign-in flow issues (choice-based sign-in's USER_AUTH included) and the hosted pages
  issue if the client allows that scope, and
  calls UpdateUserAttributes; or
- self sign-up is on and anyone calls SignUp with that client's ID.

Both are limited to the client's write attributes. Cognito also requires a client that signs users in
through a provider to be able to write what that provider maps (it updates them at every federated
sign-in). So a client that federates may write the mapped attributes, and then must issue no token
with the admin scope and must not be open to self sign-up. Standard attributes (email, name) are the
user's own profile and are not treated as asserted; email is only trusted once verified.

The refusals that follow from this (a forgeable client, a list federation cannot work with) are
rules across keys: ``cdk_app.config.rules.attribute_trust``.
"""

from __future__ import annotations

from dataclasses import dataclass

from cdk_app.config.clients import ClientConfig
from cdk_app.config.federation import IdentityProvidersConfig
from cdk_app.config.user_pool import UserPoolConfig

# Cognito sets these when a user proves the address or number; a client that could write them could
# mark any address as verified.
VERIFIED_FLAGS = {"email": "email_verified", "phone_number": "phone_number_verified"}


@dataclass(frozen=True)
class ClientAttributeAccess:
    """The resolved read and write lists of one interactive client (sorted, as Cognito returns them)."""

    read: tuple[str, ...]
    write: tuple[str, ...]


def asserted_attributes(providers: IdentityProvidersConfig) -> dict[str, tuple[str, ...]]:
    """``custom:`` attributes some provider maps, each with the providers that assert it."""
    found: dict[str, list[str]] = {}
    for provider, mapping in providers.mappings():
        for target in mapping.targets():
            if target.startswith("custom:"):
                found.setdefault(target, []).append(provider)
    return {name: tuple(names) for name, names in found.items()}


def resolve(
    pool: UserPoolConfig, providers: IdentityProvidersConfig, client: ClientConfig
) -> ClientAttributeAccess:
    """The client's configured lists, or the defaults: read what the pool holds, write only what
    federation (its providers' mappings) and self sign-up (required attributes) need."""
    mappings = dict(providers.mappings())
    mapped_here = {t for p in client.identity_providers if p in mappings for t in mappings[p].targets()}
    if client.write_attributes is not None:
        write = set(client.write_attributes)
    else:
        write = set(mapped_here)
        if pool.self_sign_up and "COGNITO" in client.identity_providers:
            write |= {name for name, a in pool.standard_attributes.items() if a.required}
    if client.read_attributes is not None:
        read = set(client.read_attributes)
    else:
        mapped = {t for _, m in providers.mappings() for t in m.targets()}
        read = (
            set(pool.standard_attributes) | mapped | {f"custom:{n}" for n in pool.custom_attributes} | write
        )
        read |= {flag for name, flag in VERIFIED_FLAGS.items() if name in read}
    return ClientAttributeAccess(read=tuple(sorted(read)), write=tuple(sorted(write)))

"""Which attributes each app client may read and write, and the rules that keep IdP claims unforgeable.

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
"""

from __future__ import annotations

from dataclasses import dataclass

from cdk_app.config.clients import COGNITO_ADMIN_SCOPE, ClientConfig
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


def check(
    pool: UserPoolConfig, providers: IdentityProvidersConfig, clients: tuple[ClientConfig, ...]
) -> None:
    """Raise ``ValueError`` (message led by the config path) for an attribute a user could forge, a
    list federation cannot work with, or a name the pool does not have."""
    _check_mapped_attributes_are_mutable(pool, providers)
    asserted = asserted_attributes(providers)
    mappings = dict(providers.mappings())
    known = pool.attribute_names | set(VERIFIED_FLAGS.values())
    for i, client in enumerate(clients):
        if client.kind == "m2m":
            continue
        where = f"clients[{i}]"
        access = resolve(pool, providers, client)
        for field, names in (("read_attributes", access.read), ("write_attributes", access.write)):
            unknown = sorted(set(names) - known)
            if unknown:
                raise ValueError(
                    f"{where}.{field}: {unknown} (client {client.name!r}) are not attributes of the pool; "
                    "custom ones need user_pool.custom_attributes"
                )
        flags = sorted(set(access.write) & set(VERIFIED_FLAGS.values()))
        if flags:
            raise ValueError(
                f"{where}.write_attributes: {flags} (client {client.name!r}) are set by Cognito when a user "
                "verifies; a client that could write them could mark any address as verified"
            )
        unreadable = sorted(set(access.write) - set(access.read))
        if unreadable:
            raise ValueError(
                f"{where}.write_attributes: {unreadable} (client {client.name!r}) must also be in "
                "read_attributes"
            )
        for provider in client.identity_providers:
            missing = (
                sorted(set(mappings[provider].targets()) - set(access.write)) if provider in mappings else []
            )
            if missing:
                raise ValueError(
                    f"{where}.write_attributes: client {client.name!r} signs users in through {provider!r}, "
                    f"which maps {missing}; Cognito writes mapped attributes through this client at every "
                    "federated sign-in and fails the sign-in if it cannot"
                )
        _refuse_forgeable(where, pool, client, access, asserted)


def _refuse_forgeable(
    where: str,
    pool: UserPoolConfig,
    client: ClientConfig,
    access: ClientAttributeAccess,
    asserted: dict[str, tuple[str, ...]],
) -> None:
    writable = sorted(set(access.write) & set(asserted))
    if not writable:
        return
    by = sorted({p for name in writable for p in asserted[name]})
    what = (
        f"client {client.name!r} can write {writable}, which identity provider(s) {by} assert (federated "
        "sign-in needs it writable)"
    )
    if client.auth_flows:
        raise ValueError(
            f"{where}.auth_flows: {what}, and direct sign-in ({', '.join(client.auth_flows)}) issues tokens "
            f"with {COGNITO_ADMIN_SCOPE}, so a user could set them with UpdateUserAttributes and tokens "
            "would carry values no provider asserted. Sign in directly through a separate client that names "
            "none of those providers"
        )
    if client.choice_based_sign_in:
        raise ValueError(
            f"{where}.choice_based_sign_in: {what}, and choice-based sign-in (ALLOW_USER_AUTH) is also a "
            f"direct sign-in API whose tokens carry {COGNITO_ADMIN_SCOPE}, so a user could set them with "
            "UpdateUserAttributes. Offer passwordless sign-in through a separate client that names none of "
            "those providers"
        )
    if COGNITO_ADMIN_SCOPE in client.scopes:
        raise ValueError(
            f"{where}.scopes: {what}, and tokens with {COGNITO_ADMIN_SCOPE} let a user set them with "
            "UpdateUserAttributes, so tokens would carry values no provider asserted"
        )
    if pool.self_sign_up:
        raise ValueError(
            f"{where}.write_attributes: {what}, and user_pool.self_sign_up lets anyone call SignUp with "
            "this client and set them; turn self sign-up off or map those claims to a client that allows it"
        )


def _check_mapped_attributes_are_mutable(pool: UserPoolConfig, providers: IdentityProvidersConfig) -> None:
    for provider, mapping in providers.mappings():
        for target in mapping.targets():
            name = target.removeprefix("custom:")
            attribute = pool.custom_attributes.get(name) if target.startswith("custom:") else None
            standard = pool.standard_attributes.get(target)
            if (attribute is not None and not attribute.mutable) or (
                standard is not None and not standard.mutable
            ):
                raise ValueError(
                    f"identity_providers.attribute_mapping: {target!r} (provider {provider!r}) is immutable; "
                    "Cognito updates mapped attributes at every federated sign-in, so it must be mutable"
                )

"""Attribute trust: no user can set an attribute an identity provider asserts, and every client's
lists work with federation. The model behind them is ``cdk_app.config.attribute_trust``."""

from __future__ import annotations

from collections.abc import Iterator

from cdk_app.config.attribute_trust import VERIFIED_FLAGS, ClientAttributeAccess, asserted_attributes
from cdk_app.config.clients import COGNITO_ADMIN_SCOPE, ClientConfig
from cdk_app.config.environment import EnvironmentConfig
from cdk_app.config.rules.subject import Violation


def _interactive(env: EnvironmentConfig) -> Iterator[tuple[int, ClientConfig, ClientAttributeAccess]]:
    """Each client that signs users in, with its index and its resolved read and write lists."""
    for i, client in enumerate(env.clients):
        if client.kind != "m2m":
            yield i, client, env.client_attributes(client)


def mapped_attributes_are_mutable(env: EnvironmentConfig) -> Iterator[Violation]:
    """Cognito updates mapped attributes at every federated sign-in, so they must be mutable."""
    pool = env.user_pool
    for provider, mapping in env.identity_providers.mappings():
        for target in mapping.targets():
            custom = pool.custom_attributes.get(target.removeprefix("custom:"))
            attribute = custom if target.startswith("custom:") else pool.standard_attributes.get(target)
            if attribute is not None and not attribute.mutable:
                yield Violation(
                    ("identity_providers", "attribute_mapping"),
                    f"{target!r} (provider {provider!r}) is immutable; Cognito updates mapped attributes at "
                    "every federated sign-in, so it must be mutable",
                )


def client_attributes_are_the_pool_s(env: EnvironmentConfig) -> Iterator[Violation]:
    """A client reads and writes attributes the pool has."""
    known = env.user_pool.attribute_names | set(VERIFIED_FLAGS.values())
    for i, client, access in _interactive(env):
        for field, names in (("read_attributes", access.read), ("write_attributes", access.write)):
            unknown = sorted(set(names) - known)
            if unknown:
                yield Violation(
                    ("clients", i, field),
                    f"{unknown} (client {client.name!r}) are not attributes of the pool; custom ones need "
                    "user_pool.custom_attributes",
                )


def no_client_writes_a_verified_flag(env: EnvironmentConfig) -> Iterator[Violation]:
    """Only Cognito marks an address or number verified."""
    for i, client, access in _interactive(env):
        flags = sorted(set(access.write) & set(VERIFIED_FLAGS.values()))
        if flags:
            yield Violation(
                ("clients", i, "write_attributes"),
                f"{flags} (client {client.name!r}) are set by Cognito when a user verifies; a client that "
                "could write them could mark any address as verified",
            )


def clients_read_what_they_write(env: EnvironmentConfig) -> Iterator[Violation]:
    """What a client writes, it reads."""
    for i, client, access in _interactive(env):
        unreadable = sorted(set(access.write) - set(access.read))
        if unreadable:
            yield Violation(
                ("clients", i, "write_attributes"),
                f"{unreadable} (client {client.name!r}) must also be in read_attributes",
            )


def federating_clients_write_what_is_mapped(env: EnvironmentConfig) -> Iterator[Violation]:
    """Cognito writes mapped attributes through the client at every federated sign-in."""
    for i, client, access in _interactive(env):
        providers, offered = env.offered(client)
        mappings = dict(providers.mappings())
        for provider in offered.identity_providers:
            missing = (
                sorted(set(mappings[provider].targets()) - set(access.write)) if provider in mappings else []
            )
            if missing:
                yield Violation(
                    ("clients", i, "write_attributes"),
                    f"client {client.name!r} signs users in through {provider!r}, which maps {missing}; "
                    "Cognito writes mapped attributes through this client at every federated sign-in and "
                    "fails the sign-in if it cannot",
                )


def asserted_attributes_cannot_be_forged(env: EnvironmentConfig) -> Iterator[Violation]:
    """A client that can write an asserted attribute offers no way for a user to write it: no direct
    sign-in, no choice-based sign-in, no admin scope, and no self sign-up."""
    for i, client, access in _interactive(env):
        asserted = asserted_attributes(env.offered(client)[0])
        writable = sorted(set(access.write) & set(asserted))
        if not writable:
            continue
        by = sorted({p for name in writable for p in asserted[name]})
        what = (
            f"client {client.name!r} can write {writable}, which identity provider(s) {by} assert (federated "
            "sign-in needs it writable)"
        )
        if client.auth_flows:
            yield Violation(
                ("clients", i, "auth_flows"),
                f"{what}, and direct sign-in ({', '.join(client.auth_flows)}) issues tokens with "
                f"{COGNITO_ADMIN_SCOPE}, so a user could set them with UpdateUserAttributes and tokens "
                "would carry values no provider asserted. Sign in directly through a separate client that "
                "names none of those providers",
            )
        if client.choice_based_sign_in:
            yield Violation(
                ("clients", i, "choice_based_sign_in"),
                f"{what}, and choice-based sign-in (ALLOW_USER_AUTH) is also a direct sign-in API whose "
                f"tokens carry {COGNITO_ADMIN_SCOPE}, so a user could set them with UpdateUserAttributes. "
                "Offer passwordless sign-in through a separate client that names none of those providers",
            )
        if COGNITO_ADMIN_SCOPE in client.scopes:
            yield Violation(
                ("clients", i, "scopes"),
                f"{what}, and tokens with {COGNITO_ADMIN_SCOPE} let a user set them with "
                "UpdateUserAttributes, so tokens would carry values no provider asserted",
            )
        if env.user_pool.self_sign_up:
            yield Violation(
                ("clients", i, "write_attributes"),
                f"{what}, and user_pool.self_sign_up lets anyone call SignUp with this client and set them; "
                "turn self sign-up off or map those claims to a client that allows it",
            )

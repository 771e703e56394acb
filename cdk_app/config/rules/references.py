"""Every name one key uses is defined by another: scopes, providers, attributes, servers, groups."""

from __future__ import annotations

from collections.abc import Iterator

from cdk_app.config.clients import COGNITO_ADMIN_SCOPE, OIDC_SCOPES
from cdk_app.config.environment import EnvironmentConfig
from cdk_app.config.rules.subject import Violation


def resource_servers_are_unique(env: EnvironmentConfig) -> Iterator[Violation]:
    """No two resource servers share an identifier."""
    if len({s.identifier for s in env.resource_servers}) != len(env.resource_servers):
        yield Violation(("resource_servers",), "identifiers must be unique")


def client_names_are_unique(env: EnvironmentConfig) -> Iterator[Violation]:
    """No two clients share a name (it is their construct ID)."""
    if len({c.name for c in env.clients}) != len(env.clients):
        yield Violation(("clients",), "names must be unique")


def client_scopes_are_defined(env: EnvironmentConfig) -> Iterator[Violation]:
    """A client's scope is an OIDC scope, the Cognito admin scope, or a resource server's."""
    custom = {n for s in env.resource_servers for n in s.scope_names}
    for i, client in enumerate(env.clients):
        for scope in client.scopes:
            if scope not in OIDC_SCOPES | {COGNITO_ADMIN_SCOPE} | custom:
                yield Violation(
                    ("clients", i, "scopes"),
                    f"{scope!r} (client {client.name!r}) is neither an OIDC scope nor a resource-server "
                    f"scope; defined: {sorted(custom)}",
                )


def client_providers_are_defined(env: EnvironmentConfig) -> Iterator[Violation]:
    """A client's identity provider is COGNITO or one defined under identity_providers."""
    providers = set(env.identity_providers.names())
    for i, client in enumerate(env.clients):
        for provider in client.identity_providers:
            if provider != "COGNITO" and provider not in providers:
                yield Violation(
                    ("clients", i, "identity_providers"),
                    f"{provider!r} (client {client.name!r}) is not defined under identity_providers; "
                    f"defined: {sorted(providers) or 'none'}",
                )


def mapped_attributes_exist(env: EnvironmentConfig) -> Iterator[Violation]:
    """An attribute mapping fills attributes the pool has."""
    pool_attrs = env.user_pool.attribute_names
    for provider, mapping in env.identity_providers.mappings():
        missing = [t for t in mapping.targets() if t not in pool_attrs]
        if missing:
            yield Violation(
                ("identity_providers", "attribute_mapping"),
                f"{missing} (provider {provider!r}) are not attributes of the pool; add them under "
                "user_pool.custom_attributes",
            )


def api_scope_server_is_defined(env: EnvironmentConfig) -> Iterator[Violation]:
    """The API's scopes come from a resource server with ``read`` and ``write`` scopes."""
    servers = {s.identifier: s for s in env.resource_servers}
    server = servers.get(env.api.scope_server)
    if server is None:
        yield Violation(
            ("api", "scope_server"),
            f"{env.api.scope_server!r} is not a resource server; defined: {sorted(servers) or 'none'}",
        )
    elif not {"read", "write"} <= {s.name for s in server.scopes}:
        yield Violation(
            ("api", "scope_server"), f"resource server {server.identifier!r} needs 'read' and 'write' scopes"
        )


def api_admin_group_is_defined(env: EnvironmentConfig) -> Iterator[Violation]:
    """The API's admin group is one of the pool's groups."""
    if env.api.admin_group not in {g.name for g in env.user_pool.groups}:
        yield Violation(("api", "admin_group"), f"{env.api.admin_group!r} is not one of user_pool.groups")

"""Rules relating each tenant file to its environment: its client and provider, checked as the
environment's own would be, and names that must not clash across the environment's files.

A tenant is checked through a *view*: its environment with the tenant's provider as its only provider
and the tenant's client as its only client. The environment rules about clients and providers run on
that view, and what they find is placed in the tenant's file (``clients[0].scopes`` there is
``client.scopes``).
"""

from __future__ import annotations

from collections.abc import Iterator

from cdk_app.config.environment import EnvironmentConfig
from cdk_app.config.errors import Loc
from cdk_app.config.federation import IdentityProvidersConfig
from cdk_app.config.rules import attribute_trust, federation, pool, references
from cdk_app.config.rules.subject import EnvironmentRule, Loaded, Violation, environment_file, provider_places
from cdk_app.config.tenants import TenantConfig, tenant_file

# The environment rules that are about one client or one provider, in the order they run there.
TENANT_VIEW_RULES: tuple[EnvironmentRule, ...] = (
    pool.refresh_token_rotation_needs_essentials_or_plus,
    references.client_scopes_are_defined,
    references.client_providers_are_defined,
    references.mapped_attributes_exist,
    attribute_trust.mapped_attributes_are_mutable,
    attribute_trust.client_attributes_are_the_pool_s,
    attribute_trust.no_client_writes_a_verified_flag,
    attribute_trust.clients_read_what_they_write,
    attribute_trust.federating_clients_write_what_is_mapped,
    attribute_trust.asserted_attributes_cannot_be_forged,
    federation.signing_certificates_are_current,
)


def _tenant_view(env: EnvironmentConfig, tenant: TenantConfig) -> EnvironmentConfig:
    """``env`` as the tenant sees it: the tenant's provider and client only."""
    providers = IdentityProvidersConfig.model_construct(
        google=None,
        saml=(tenant.saml,) if tenant.saml is not None else (),
        oidc=(tenant.oidc,) if tenant.oidc is not None else (),
    )
    clients = (tenant.client,) if tenant.client is not None else ()
    return env.model_copy(update={"identity_providers": providers, "clients": clients, "tenants": ()})


def _in_tenant_file(tenant: TenantConfig, loc: Loc) -> Loc:
    """A key path of the view as the same key in the tenant's file."""
    match loc:
        case ("clients", 0, *rest):
            return ("client", *rest)
        case ("identity_providers", "saml" | "oidc", 0, *rest):
            return (tenant.provider_key, *rest)
        case ("identity_providers", *rest):
            return (tenant.provider_key, *rest)
    return loc


def _tenants(loaded: Loaded) -> Iterator[tuple[str, EnvironmentConfig, TenantConfig]]:
    for name, env in loaded.environments.items():
        if name not in loaded.failed:
            for tenant in env.tenants:
                yield name, env, tenant


def tenants_pass_the_environment_s_rules(loaded: Loaded) -> Iterator[Violation]:
    """A tenant's client and provider pass every rule the environment's own would (the view rules)."""
    for name, env, tenant in _tenants(loaded):
        view = _tenant_view(env, tenant)
        for rule in TENANT_VIEW_RULES:
            for v in rule(view):
                yield Violation(_in_tenant_file(tenant, v.loc), v.reason, tenant_file(name, tenant.name))


def tenant_clients_offer_no_other_tenants(loaded: Loaded) -> Iterator[Violation]:
    """Only a shared client (in the environment file) offers every tenant's provider."""
    for name, _env, tenant in _tenants(loaded):
        if tenant.client is not None and tenant.client.tenant_providers:
            yield Violation(
                ("client", "tenant_providers"),
                f"tenant {tenant.name!r}'s own client offers its own provider only; tenant_providers is for "
                f"a shared client in {environment_file(name)}",
                tenant_file(name, tenant.name),
            )


def shared_clients_offering_tenants_are_not_built_yet(loaded: Loaded) -> Iterator[Violation]:
    """``tenant_providers: true`` is refused, not ignored, while the stacks cannot build it: such a
    client must live after the tenant stacks (their providers exist first), which need Identity's pool,
    where the environment's clients are. A tenant's own client offers its provider today."""
    for name, env in loaded.environments.items():
        if name in loaded.failed or not env.tenants:
            continue
        for i, client in enumerate(env.clients):
            if client.tenant_providers:
                yield Violation(
                    ("clients", i, "tenant_providers"),
                    "a shared client offering every tenant's provider is not built yet (it needs a stack "
                    "after the tenant stacks); give each tenant its own client in its tenant file",
                    environment_file(name),
                )


def provider_names_are_unique(loaded: Loaded) -> Iterator[Violation]:
    """No tenant's provider has the name of another provider of its environment (Cognito: one name,
    one provider). The reason names the other place, file and line."""
    for name, env in loaded.environments.items():
        if name in loaded.failed:
            continue
        first: dict[str, tuple[str, Loc]] = {}
        for place in provider_places(name, env):
            where = first.setdefault(place.provider.name, (place.file, place.loc))
            if where[0] != place.file or where[1] != place.loc:
                yield Violation(
                    (*place.loc, "name"),
                    f"provider name {place.provider.name!r} is already used at "
                    f"{loaded.sources.shown(where[0], (*where[1], 'name'))}; "
                    "each provider needs its own name",
                    place.file,
                )


def environment_is_within_cognito_quotas(loaded: Loaded) -> Iterator[Violation]:
    """An environment's providers and clients, tenant files included, fit Cognito's quotas
    (``quotas``: 300 providers and 1,000 clients per pool by default, raised only by AWS)."""
    for name, env in loaded.environments.items():
        if name in loaded.failed:
            continue
        providers = len(env.identity_providers.names()) + len(env.tenants)
        clients = len(env.clients) + sum(1 for t in env.tenants if t.client is not None)
        for key, figure, quota, what in (
            ("identity_providers", providers, env.quotas.identity_providers, "identity providers"),
            ("app_clients", clients, env.quotas.app_clients, "app clients"),
        ):
            if figure > quota:
                yield Violation(
                    ("quotas", key),
                    f"environment {name!r} (stack {name}-Identity and its tenant stacks) has "
                    f"{figure:,} {what}, "
                    f"over Cognito's quota of {quota:,} per user pool; remove tenants, or once AWS has "
                    f"raised the account's quota, set quotas.{key}",
                    environment_file(name),
                )

"""A tenant stack: the identity providers and clients of the tenants placed in it, beside Identity.

Tenants are placed by ``cdk_app.config.tenants.tenant_shard`` (a hash of the tenant's name alone), so
adding or removing one never moves another. Each tenant is a construct of its own (``Tenant<name>``)
holding its provider, its client, the client's managed-login branding and an SSM parameter with the
client's ID (``cdk_app.contracts.tenant_client_id_parameter``).
"""

from __future__ import annotations

import aws_cdk as cdk
from aws_cdk import aws_cognito as cognito
from aws_cdk import aws_ssm as ssm
from constructs import Construct

from cdk_app.config import EnvironmentConfig
from cdk_app.config.federation import IdentityProvidersConfig
from cdk_app.config.tenants import TenantConfig
from cdk_app.constructs.app_clients import AppClient, ResourceServers
from cdk_app.constructs.federation import Federation
from cdk_app.contracts import tenant_client_id_parameter


class Tenant(Construct):
    """One tenant: its provider (``provider``) and, if it has one, its client (``client``)."""

    def __init__(
        self,
        scope: Construct,
        *,
        env: EnvironmentConfig,
        tenant: TenantConfig,
        user_pool: cognito.IUserPool,
        resource_servers: ResourceServers,
        managed_login: bool,
    ) -> None:
        super().__init__(scope, "Tenant" + "".join(p.capitalize() for p in tenant.name.split("-")))
        providers = IdentityProvidersConfig.model_construct(
            google=None,
            saml=(tenant.saml,) if tenant.saml is not None else (),
            oidc=(tenant.oidc,) if tenant.oidc is not None else (),
        )
        federation = Federation(self, "Federation", user_pool=user_pool, config=providers)
        self.provider = federation.providers[tenant.provider.name]
        self.client: cognito.UserPoolClient | None = None
        client = tenant.client
        if client is None:
            return
        self.client = AppClient(
            self,
            user_pool=user_pool,
            config=client,
            resource_servers=resource_servers,
            providers=federation.providers,
            attributes=env.client_attributes(client) if client.kind != "m2m" else None,
        ).client
        if managed_login and client.kind != "m2m":
            # Managed login shows an error page for a client without a branding style.
            cognito.CfnManagedLoginBranding(
                self,
                "Branding",
                user_pool_id=user_pool.user_pool_id,
                client_id=self.client.user_pool_client_id,
                use_cognito_provided_values=True,
            )
        ssm.StringParameter(
            self,
            "ClientIdParameter",
            parameter_name=tenant_client_id_parameter(env.name, tenant.name),
            string_value=self.client.user_pool_client_id,
            description=f"App client ID of tenant {tenant.name!r}",
        )


class TenantStack(cdk.Stack):
    """The tenants of one shard. Exposes ``tenants`` by tenant name."""

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        config: EnvironmentConfig,
        tenants: list[TenantConfig],
        user_pool: cognito.IUserPool,
        resource_servers: ResourceServers,
        **kwargs: object,
    ) -> None:
        super().__init__(scope, construct_id, **kwargs)  # type: ignore[arg-type]
        managed = config.domain.ui == "managed_login"
        self.tenants = {
            t.name: Tenant(
                self,
                env=config,
                tenant=t,
                user_pool=user_pool,
                resource_servers=resource_servers,
                managed_login=managed,
            )
            for t in tenants
        }

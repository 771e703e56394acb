"""The root model: one environment, as read from ``config/<env>.yaml``.

It checks each key on its own; the rules across keys (tiers, references, sign-in, attribute trust)
are in ``cdk_app.config.rules``, which the loader runs on every environment it reads. Defaults that
depend on another key (``mfa: {mode: off}`` has no factor) are in ``cdk_app.config.defaults``.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, StringConstraints

from cdk_app.config import attribute_trust
from cdk_app.config.api import ApiConfig, WafConfig
from cdk_app.config.base import NOT_A_SECRET_NAME, AccountId, AwsRegion, EnvironmentName, Frozen, Tier
from cdk_app.config.clients import ClientConfig, ResourceServerConfig
from cdk_app.config.domain import DomainConfig
from cdk_app.config.federation import FederationConfig, IdentityProvidersConfig, SamlConfig
from cdk_app.config.functions import FunctionsConfig
from cdk_app.config.hardening import BackupConfig, CertificateCheckConfig, LogsConfig
from cdk_app.config.monitoring import MonitoringConfig
from cdk_app.config.quotas import QuotasConfig
from cdk_app.config.sign_in import ADMIN_SCOPE_NAME, TokenCustomizationConfig
from cdk_app.config.tenants import TenantConfig
from cdk_app.config.user_pool import UserPoolConfig

# The account the embedded local emulator reports. No AWS account has this ID, so a stack pinned to it
# can never be deployed to AWS (the CDK CLI refuses credentials of any other account).
EMULATOR_ACCOUNT = "000000000000"

DeployTarget = Literal["aws", "emulator"]

TagKey = Annotated[str, StringConstraints(pattern=r"^(?!aws:)[\w\s.:/=+@-]{1,128}$"), NOT_A_SECRET_NAME]
TagValue = Annotated[str, StringConstraints(pattern=r"^[\w\s.:/=+@-]{0,256}$")]


class EnvironmentConfig(Frozen):
    """A whole environment: every key valid on its own. The loader then checks it with the rules."""

    name: EnvironmentName
    tier: Tier = Field(
        description="`production` also makes the defaults what it requires: MFA required, feature_plan "
        "plus with standard_auth enforced, and the WAF on."
    )
    deploy_target: DeployTarget = Field(
        default="aws",
        description=(
            "Where `make deploy` sends this environment: `aws` (your credentials' account) or "
            "`emulator` (the embedded local AWS emulator that `make up` starts; never AWS)."
        ),
    )
    account: AccountId | None = None
    region: AwsRegion | None = None
    tags: dict[TagKey, TagValue] = Field(default_factory=dict)
    user_pool: UserPoolConfig = UserPoolConfig()
    resource_servers: tuple[ResourceServerConfig, ...] = ()
    identity_providers: IdentityProvidersConfig = IdentityProvidersConfig()
    federation: FederationConfig = FederationConfig()
    clients: tuple[ClientConfig, ...] = Field(min_length=1)
    domain: DomainConfig
    api: ApiConfig
    waf: WafConfig = WafConfig()
    monitoring: MonitoringConfig = MonitoringConfig()
    functions: FunctionsConfig = FunctionsConfig()
    logs: LogsConfig = LogsConfig()
    backup: BackupConfig = BackupConfig()
    idp_cert_check: CertificateCheckConfig = CertificateCheckConfig()
    token_customization: TokenCustomizationConfig | None = Field(
        default=None,
        description="A pre token generation trigger: group-earned scopes, client-credentials claims. With "
        "it, GET /admin requires `<api.scope_server>/admin` instead of checking api.admin_group.",
    )
    quotas: QuotasConfig = QuotasConfig()
    # Set by the loader from config/tenants/<env>/*.yaml, never by the environment file; left out of
    # dumps, so a model written back out is still a valid environment file.
    tenants: tuple[TenantConfig, ...] = Field(default=(), exclude=True)

    @property
    def admin_scope(self) -> str | None:
        """The scope GET /admin requires when the token trigger grants it; ``None``: the group check."""
        if self.token_customization is None:
            return None
        return f"{self.api.scope_server}/{ADMIN_SCOPE_NAME}"

    def client_attributes(self, client: ClientConfig) -> attribute_trust.ClientAttributeAccess:
        """The read and write attributes ``client`` gets (configured, or the safe defaults)."""
        providers, offered = self.offered(client)
        return attribute_trust.resolve(self.user_pool, providers, offered)

    def offered(self, client: ClientConfig) -> tuple[IdentityProvidersConfig, ClientConfig]:
        """The providers ``client`` can reach, and the client naming every one it offers.

        For a ``tenant_providers`` client, the environment's providers and every tenant's, and the
        client with the tenants' provider names added; for any other client, both unchanged.
        """
        if not client.tenant_providers or not self.tenants:
            return self.identity_providers, client
        ours = self.identity_providers
        saml = self.saml_providers
        oidc = (*ours.oidc, *(t.oidc for t in self.tenants if t.oidc is not None))
        names = (*client.identity_providers, *self.tenant_provider_names())
        return (
            ours.model_copy(update={"saml": saml, "oidc": oidc}),
            client.model_copy(update={"identity_providers": names}),
        )

    @property
    def saml_providers(self) -> tuple[SamlConfig, ...]:
        """Every SAML provider of the environment: its file's, then each tenant's, in tenant order."""
        return (*self.identity_providers.saml, *(t.saml for t in self.tenants if t.saml is not None))

    def tenant_provider_names(self) -> list[str]:
        """Every tenant's provider name, in tenant order: what a ``tenant_providers`` client offers."""
        return [t.provider.name for t in self.tenants]

    def named_client(self, name: str) -> ClientConfig | None:
        """The client called ``name``: one of the environment file's, else a tenant file's."""
        tenant_clients = (t.client for t in self.tenants if t.client is not None)
        return next((c for c in (*self.clients, *tenant_clients) if c.name == name), None)

    def tenant_of_client(self, name: str) -> TenantConfig | None:
        """The tenant whose file holds the client called ``name``; None for the environment's own."""
        return next((t for t in self.tenants if t.client is not None and t.client.name == name), None)

    def client(self, kind: str) -> ClientConfig | None:
        """The first client of a kind, for tools that need 'the' m2m or spa client."""
        return next((c for c in self.clients if c.kind == kind), None)

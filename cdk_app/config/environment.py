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
from cdk_app.config.federation import FederationConfig, IdentityProvidersConfig
from cdk_app.config.functions import FunctionsConfig
from cdk_app.config.monitoring import MonitoringConfig
from cdk_app.config.sign_in import ADMIN_SCOPE_NAME, TokenCustomizationConfig
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
    token_customization: TokenCustomizationConfig | None = Field(
        default=None,
        description="A pre token generation trigger: group-earned scopes, client-credentials claims. With "
        "it, GET /admin requires `<api.scope_server>/admin` instead of checking api.admin_group.",
    )

    @property
    def admin_scope(self) -> str | None:
        """The scope GET /admin requires when the token trigger grants it; ``None``: the group check."""
        if self.token_customization is None:
            return None
        return f"{self.api.scope_server}/{ADMIN_SCOPE_NAME}"

    def client_attributes(self, client: ClientConfig) -> attribute_trust.ClientAttributeAccess:
        """The read and write attributes ``client`` gets (configured, or the safe defaults)."""
        return attribute_trust.resolve(self.user_pool, self.identity_providers, client)

    def client(self, kind: str) -> ClientConfig | None:
        """The first client of a kind, for tools that need 'the' m2m or spa client."""
        return next((c for c in self.clients if c.kind == kind), None)

"""The root model: one environment, as read from ``config/<env>.yaml``."""

from __future__ import annotations

from typing import Annotated, Literal, Self

from pydantic import Field, StringConstraints, model_validator

from cdk_app.config import attribute_trust, sign_in_rules
from cdk_app.config.api import ApiConfig, WafConfig
from cdk_app.config.base import NOT_A_SECRET_NAME, AccountId, AwsRegion, EnvironmentName, Frozen, Tier
from cdk_app.config.clients import ADMIN_SCOPE, OIDC_SCOPES, ClientConfig, ResourceServerConfig
from cdk_app.config.domain import DomainConfig
from cdk_app.config.federation import IdentityProvidersConfig
from cdk_app.config.monitoring import MonitoringConfig
from cdk_app.config.sign_in import TokenCustomizationConfig
from cdk_app.config.user_pool import UserPoolConfig
from cdk_app.contracts import CERTIFICATE_REGION

# The account the embedded local emulator reports. No AWS account has this ID, so a stack pinned to it
# can never be deployed to AWS (the CDK CLI refuses credentials of any other account).
EMULATOR_ACCOUNT = "000000000000"

DeployTarget = Literal["aws", "emulator"]

TagKey = Annotated[str, StringConstraints(pattern=r"^(?!aws:)[\w\s.:/=+@-]{1,128}$"), NOT_A_SECRET_NAME]
TagValue = Annotated[str, StringConstraints(pattern=r"^[\w\s.:/=+@-]{0,256}$")]


class EnvironmentConfig(Frozen):
    """A whole environment. Cross-field rules (what references what, tier rules) live here."""

    name: EnvironmentName
    tier: Tier
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
    clients: tuple[ClientConfig, ...] = Field(min_length=1)
    domain: DomainConfig
    api: ApiConfig
    waf: WafConfig = WafConfig()
    monitoring: MonitoringConfig = MonitoringConfig()
    token_customization: TokenCustomizationConfig | None = Field(
        default=None,
        description="A pre token generation trigger: group-earned scopes, client-credentials claims. With "
        "it, GET /admin requires `<api.scope_server>/admin` instead of checking api.admin_group.",
    )

    @model_validator(mode="after")
    def _target_rules(self) -> Self:
        if self.deploy_target == "emulator":
            if self.tier != "development":
                raise ValueError("deploy_target: the emulator only takes tier 'development' environments")
            if self.account != EMULATOR_ACCOUNT or self.region is None:
                raise ValueError(
                    f"account: an emulator environment sets account '{EMULATOR_ACCOUNT}' (the emulator's) "
                    "and a region, so its stacks can never be deployed to a real account"
                )
        elif self.account == EMULATOR_ACCOUNT:
            raise ValueError(
                f"account: '{EMULATOR_ACCOUNT}' is the local emulator's account; set deploy_target: "
                "emulator, or give this environment its real AWS account"
            )
        return self

    @model_validator(mode="after")
    def _tier_rules(self) -> Self:
        pool = self.user_pool
        if self.tier == "production":
            if not pool.deletion_protection:
                raise ValueError("user_pool.deletion_protection: cannot be turned off in production")
            if pool.removal_policy != "retain":
                raise ValueError("user_pool.removal_policy: must be 'retain' in production")
            if not self.waf.enabled:
                raise ValueError("waf.enabled: cannot be turned off in production")
            if not self.monitoring.sign_in_logs:
                raise ValueError("monitoring.sign_in_logs: cannot be turned off in production")
            if not self.monitoring.alerts.has_destination:
                raise ValueError(
                    "monitoring.alerts: production must name where alarms go (emails or topic_arns)"
                )
            if pool.mfa.mode != "required":
                raise ValueError("user_pool.mfa.mode: must be 'required' in production")
            if pool.feature_plan != "plus" or pool.threat_protection.standard_auth != "enforced":
                raise ValueError(
                    "user_pool.threat_protection.standard_auth: production needs feature_plan 'plus' "
                    "with standard_auth 'enforced'"
                )
            if self.api.function.reserved_concurrency is None:
                raise ValueError(
                    "api.function.reserved_concurrency: production needs a ceiling, so that a flood of "
                    "requests cannot take the account's whole Lambda concurrency (or its bill) with it"
                )
        if self.domain.needs_certificate_stack and None in (self.account, self.region):
            raise ValueError(
                f"domain.custom.certificate_arn: without it a {CERTIFICATE_REGION} certificate stack is "
                "created, which needs account and region set (or give the certificate ARN)"
            )
        if self.tier != "development" and "*" in self.api.cors.allow_origins:
            raise ValueError(f"api.cors.allow_origins: '*' is not allowed in tier '{self.tier}'")
        return self

    @model_validator(mode="after")
    def _references(self) -> Self:
        servers = {s.identifier: s for s in self.resource_servers}
        if len(servers) != len(self.resource_servers):
            raise ValueError("resource_servers: identifiers must be unique")
        custom_scopes = {n for s in self.resource_servers for n in s.scope_names}
        providers = set(self.identity_providers.names())
        names = [c.name for c in self.clients]
        if len(set(names)) != len(names):
            raise ValueError("clients: names must be unique")
        for i, client in enumerate(self.clients):
            where = f"clients[{i}]"
            if (
                self.user_pool.feature_plan == "lite"
                and client.kind != "m2m"
                and client.refresh_token_rotation
            ):
                raise ValueError(
                    f"{where}.refresh_token_rotation: refresh-token rotation needs feature_plan "
                    f"'essentials' or 'plus' (client {client.name!r}); set it to false on 'lite'"
                )
            for scope in client.scopes:
                if scope not in OIDC_SCOPES | {ADMIN_SCOPE} | custom_scopes:
                    raise ValueError(
                        f"{where}.scopes: {scope!r} (client {client.name!r}) is neither an OIDC scope "
                        f"nor a resource-server scope; defined: {sorted(custom_scopes)}"
                    )
            for provider in client.identity_providers:
                if provider != "COGNITO" and provider not in providers:
                    raise ValueError(
                        f"{where}.identity_providers: {provider!r} (client {client.name!r}) is not "
                        f"defined under identity_providers; defined: {sorted(providers) or 'none'}"
                    )
        pool_attrs = self.user_pool.attribute_names
        for provider, mapping in self.identity_providers.mappings():
            missing = [t for t in mapping.targets() if t not in pool_attrs]
            if missing:
                raise ValueError(
                    f"identity_providers.attribute_mapping: {missing} (provider {provider!r}) are not "
                    "attributes of the pool; add them under user_pool.custom_attributes"
                )
        server = servers.get(self.api.scope_server)
        if server is None:
            raise ValueError(
                f"api.scope_server: {self.api.scope_server!r} is not a resource server; "
                f"defined: {sorted(servers) or 'none'}"
            )
        if not {"read", "write"} <= {s.name for s in server.scopes}:
            raise ValueError(
                f"api.scope_server: resource server {server.identifier!r} needs 'read' and 'write' scopes"
            )
        if self.api.admin_group not in {g.name for g in self.user_pool.groups}:
            raise ValueError(f"api.admin_group: {self.api.admin_group!r} is not one of user_pool.groups")
        return self

    @model_validator(mode="after")
    def _attribute_trust(self) -> Self:
        # After _references: every provider a client names exists.
        attribute_trust.check(self.user_pool, self.identity_providers, self.clients)
        return self

    @model_validator(mode="after")
    def _sign_in(self) -> Self:
        # After _references: scopes, groups and providers named anywhere exist.
        sign_in_rules.check_environment(self)
        return self

    @property
    def admin_scope(self) -> str | None:
        """The scope GET /admin requires when the token trigger grants it; ``None``: the group check."""
        if self.token_customization is None:
            return None
        return f"{self.api.scope_server}/{sign_in_rules.ADMIN_SCOPE_NAME}"

    def client_attributes(self, client: ClientConfig) -> attribute_trust.ClientAttributeAccess:
        """The read and write attributes ``client`` gets (configured, or the safe defaults)."""
        return attribute_trust.resolve(self.user_pool, self.identity_providers, client)

    def client(self, kind: str) -> ClientConfig | None:
        """The first client of a kind, for tools that need 'the' m2m or spa client."""
        return next((c for c in self.clients if c.kind == kind), None)

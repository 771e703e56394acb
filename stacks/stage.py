"""One CDK Stage per environment, named after it, so ``cdk deploy 'prod/*'`` is exactly prod."""

from __future__ import annotations

import aws_cdk as cdk
from constructs import Construct

from cdk_app.config import EnvironmentConfig
from cdk_app.config.tenants import TenantConfig, tenant_shard
from cdk_app.contracts import (
    API_STACK,
    CERTIFICATE_REGION,
    CERTIFICATE_STACK,
    IDENTITY_STACK,
    stack_name,
    tenant_stack,
)
from stacks.api_stack import ApiStack
from stacks.certificate_stack import CertificateStack
from stacks.identity_stack import IdentityStack
from stacks.tenant_stack import TenantStack


class EnvironmentStage(cdk.Stage):
    """The identity and API stacks (and, for a custom domain, a us-east-1 certificate stack).

    Stack names come from ``cdk_app.contracts.stack_name``, the names the operator tools read.
    Tags from config land on every taggable resource. Production stacks get termination
    protection.
    """

    def __init__(self, scope: Construct, config: EnvironmentConfig) -> None:
        env = cdk.Environment(account=config.account, region=config.region)
        super().__init__(scope, config.name, env=env)
        protect = config.tier == "production"
        certificate = None
        custom = config.domain.custom if config.domain.needs_certificate_stack else None
        cross_region = False
        if custom is not None:
            cross_region = config.region != CERTIFICATE_REGION
            cert_stack = CertificateStack(
                self,
                CERTIFICATE_STACK,
                stack_name=stack_name(config.name, CERTIFICATE_STACK),
                config=custom,
                env=cdk.Environment(account=config.account, region=CERTIFICATE_REGION),
                cross_region_references=cross_region,
                termination_protection=protect,
                description=(
                    f"cognito-sso {config.name}: {CERTIFICATE_REGION} certificate for {custom.domain_name}"
                ),
            )
            certificate = cert_stack.certificate
        self.identity = IdentityStack(
            self,
            IDENTITY_STACK,
            stack_name=stack_name(config.name, IDENTITY_STACK),
            config=config,
            certificate=certificate,
            cross_region_references=cross_region,
            termination_protection=protect,
            description=f"cognito-sso {config.name}: user pool, clients, federation and domain",
        )
        self.api = ApiStack(
            self,
            API_STACK,
            stack_name=stack_name(config.name, API_STACK),
            config=config,
            identity=self.identity,
            termination_protection=protect,
            description=f"cognito-sso {config.name}: protected REST API, its function and WAF",
        )
        self.tenant_stacks = self._tenants(config, protect)
        for key, value in config.tags.items():
            cdk.Tags.of(self).add(key, value)

    def _tenants(self, config: EnvironmentConfig, protect: bool) -> dict[int, TenantStack]:
        """One stack per shard that holds a tenant (none without tenant files), after Identity."""
        shards: dict[int, list[TenantConfig]] = {}
        for tenant in config.tenants:
            shards.setdefault(tenant_shard(tenant.name, config.federation.tenant_stacks), []).append(tenant)
        stacks = {}
        for shard, tenants in sorted(shards.items()):
            stacks[shard] = TenantStack(
                self,
                tenant_stack(shard),
                stack_name=stack_name(config.name, tenant_stack(shard)),
                config=config,
                tenants=tenants,
                user_pool=self.identity.user_pool,
                resource_servers=self.identity.resource_servers,
                termination_protection=protect,
                description=f"cognito-sso {config.name}: tenants' identity providers and clients ({shard})",
            )
        return stacks

"""One CDK Stage per environment, named after it, so ``cdk deploy 'prod/*'`` is exactly prod."""

from __future__ import annotations

import aws_cdk as cdk
from constructs import Construct

from cdk_app.config import EnvironmentConfig
from stacks.api_stack import ApiStack
from stacks.certificate_stack import CERTIFICATE_REGION, CertificateStack
from stacks.identity_stack import IdentityStack


class EnvironmentStage(cdk.Stage):
    """The identity and API stacks (and, for a custom domain, a us-east-1 certificate stack).

    Tags from config land on every taggable resource. Production stacks get termination
    protection.
    """

    def __init__(self, scope: Construct, config: EnvironmentConfig) -> None:
        env = cdk.Environment(account=config.account, region=config.region)
        super().__init__(scope, config.name, env=env)
        protect = config.tier == "production"
        certificate = None
        custom = config.domain.custom
        cross_region = False
        if custom is not None and custom.certificate_arn is None:
            cross_region = config.region != CERTIFICATE_REGION
            cert_stack = CertificateStack(
                self,
                "Certificate",
                config=custom,
                env=cdk.Environment(account=config.account, region=CERTIFICATE_REGION),
                cross_region_references=cross_region,
                termination_protection=protect,
                description=f"cognito-sso {config.name}: us-east-1 certificate for {custom.domain_name}",
            )
            certificate = cert_stack.certificate
        self.identity = IdentityStack(
            self,
            "Identity",
            config=config,
            certificate=certificate,
            cross_region_references=cross_region,
            termination_protection=protect,
            description=f"cognito-sso {config.name}: user pool, clients, federation and domain",
        )
        self.api = ApiStack(
            self,
            "Api",
            config=config,
            identity=self.identity,
            termination_protection=protect,
            description=f"cognito-sso {config.name}: protected REST API, its function and WAF",
        )
        for key, value in config.tags.items():
            cdk.Tags.of(self).add(key, value)

"""The hosted sign-in domain: a Cognito prefix, or a custom domain with its DNS alias."""

from __future__ import annotations

from aws_cdk import aws_certificatemanager as acm
from aws_cdk import aws_cognito as cognito
from aws_cdk import aws_route53 as route53
from aws_cdk import aws_route53_targets as targets
from constructs import Construct

from cdk_app.config.domain import DomainConfig


class HostedDomain(Construct):
    """Creates the domain and, for managed login, a Cognito-styled branding per interactive client.

    ``base_url`` is the sign-in origin (``https://...``) the OAuth endpoints hang off.
    """

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        user_pool: cognito.IUserPool,
        config: DomainConfig,
        certificate: acm.ICertificate | None,
        branded_clients: list[cognito.UserPoolClient],
    ) -> None:
        super().__init__(scope, construct_id)
        managed = config.ui == "managed_login"
        version = (
            cognito.ManagedLoginVersion.NEWER_MANAGED_LOGIN
            if managed
            else cognito.ManagedLoginVersion.CLASSIC_HOSTED_UI
        )
        custom = config.custom
        if custom is None:
            assert config.prefix is not None
            self.domain = cognito.UserPoolDomain(
                self,
                "Resource",
                user_pool=user_pool,
                cognito_domain=cognito.CognitoDomainOptions(domain_prefix=config.prefix),
                managed_login_version=version,
            )
            self.base_url = self.domain.base_url()
        else:
            if certificate is None:
                raise ValueError("a custom domain needs a certificate")
            self.domain = cognito.UserPoolDomain(
                self,
                "Resource",
                user_pool=user_pool,
                custom_domain=cognito.CustomDomainOptions(
                    domain_name=custom.domain_name, certificate=certificate
                ),
                managed_login_version=version,
            )
            self.base_url = f"https://{custom.domain_name}"
            zone = route53.HostedZone.from_hosted_zone_attributes(
                self,
                "Zone",
                hosted_zone_id=custom.hosted_zone_id,
                zone_name=custom.hosted_zone_name,
            )
            target = route53.RecordTarget.from_alias(targets.UserPoolDomainTarget(self.domain))
            record_name = custom.domain_name.removesuffix("." + custom.hosted_zone_name)
            route53.ARecord(self, "AliasA", zone=zone, record_name=record_name, target=target)
            route53.AaaaRecord(self, "AliasAaaa", zone=zone, record_name=record_name, target=target)

        cfn = self.domain.node.default_child
        assert isinstance(cfn, cognito.CfnUserPoolDomain)
        cfn.override_logical_id("UserPoolDomain")

        if managed:
            # Managed login shows an error page for a client without a branding style.
            for client in branded_clients:
                branding = cognito.CfnManagedLoginBranding(
                    self,
                    f"Branding{client.node.scope.node.id if client.node.scope else client.node.id}",
                    user_pool_id=user_pool.user_pool_id,
                    client_id=client.user_pool_client_id,
                    use_cognito_provided_values=True,
                )
                branding.node.add_dependency(cfn)

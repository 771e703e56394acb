"""A stack in ``CERTIFICATE_REGION`` (us-east-1) holding the custom sign-in domain's certificate."""

from __future__ import annotations

import aws_cdk as cdk
from aws_cdk import aws_certificatemanager as acm
from aws_cdk import aws_route53 as route53
from constructs import Construct

from cdk_app.config.domain import CustomDomainConfig


class CertificateStack(cdk.Stack):
    """Cognito serves custom domains through CloudFront, which only accepts us-east-1 certificates."""

    def __init__(
        self, scope: Construct, construct_id: str, *, config: CustomDomainConfig, **kwargs: object
    ) -> None:
        super().__init__(scope, construct_id, **kwargs)  # type: ignore[arg-type]
        zone = route53.HostedZone.from_hosted_zone_attributes(
            self, "Zone", hosted_zone_id=config.hosted_zone_id, zone_name=config.hosted_zone_name
        )
        self.certificate = acm.Certificate(
            self,
            "Certificate",
            domain_name=config.domain_name,
            validation=acm.CertificateValidation.from_dns(zone),
        )

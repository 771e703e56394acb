"""Model for the hosted sign-in domain: a Cognito prefix or a custom domain."""

from __future__ import annotations

import re
from typing import Annotated, Literal, Self

from pydantic import StringConstraints, field_validator, model_validator

from cdk_app.config.base import Frozen
from cdk_app.contracts import CERTIFICATE_REGION

RESERVED_PREFIX_WORDS = ("aws", "amazon", "cognito")
DomainName = Annotated[
    str,
    StringConstraints(
        to_lower=True, pattern=r"^(?=.{4,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$"
    ),
]


class CustomDomainConfig(Frozen):
    """A custom sign-in domain, served by CloudFront, so its certificate must live in us-east-1."""

    domain_name: DomainName
    hosted_zone_id: Annotated[str, StringConstraints(pattern=r"^Z[A-Z0-9]{1,31}$")]
    hosted_zone_name: DomainName
    certificate_arn: str | None = None

    @field_validator("certificate_arn")
    @classmethod
    def _us_east_1(cls, arn: str | None) -> str | None:
        if arn is not None and not re.fullmatch(
            rf"arn:aws[a-z-]*:acm:{re.escape(CERTIFICATE_REGION)}:\d{{12}}:certificate/[0-9a-f-]{{36}}", arn
        ):
            raise ValueError(
                f"must be an ACM certificate ARN in {CERTIFICATE_REGION} "
                "(Cognito custom domains use CloudFront)"
            )
        return arn

    @model_validator(mode="after")
    def _in_zone(self) -> Self:
        if not self.domain_name.endswith("." + self.hosted_zone_name):
            raise ValueError(f"domain_name must be a subdomain of hosted_zone_name {self.hosted_zone_name!r}")
        return self


class DomainConfig(Frozen):
    """Exactly one of ``prefix`` (``<prefix>.auth.<region>.amazoncognito.com``) or ``custom``."""

    prefix: Annotated[str, StringConstraints(min_length=1, max_length=63)] | None = None
    custom: CustomDomainConfig | None = None
    ui: Literal["managed_login", "classic"] = "managed_login"

    @field_validator("prefix")
    @classmethod
    def _cognito_prefix_rules(cls, prefix: str | None) -> str | None:
        if prefix is None:
            return None
        if not re.fullmatch(r"[a-z0-9](?:[a-z0-9-]*[a-z0-9])?", prefix):
            raise ValueError(
                f"{prefix!r}: use lowercase letters, digits and hyphens, not starting or ending with a hyphen"
            )
        reserved = [w for w in RESERVED_PREFIX_WORDS if w in prefix]
        if reserved:
            raise ValueError(f"{prefix!r}: Cognito reserves the word(s) {reserved} in domain prefixes")
        return prefix

    @property
    def needs_certificate_stack(self) -> bool:
        """True for a custom domain without ``certificate_arn``: the project then creates the certificate
        in a ``Certificate`` stack in ``CERTIFICATE_REGION`` (so account and region must be set, and
        ``make bootstrap`` covers that region too). The one place this rule is written."""
        return self.custom is not None and self.custom.certificate_arn is None

    @model_validator(mode="after")
    def _exactly_one(self) -> Self:
        if (self.prefix is None) == (self.custom is None):
            raise ValueError("give exactly one of prefix or custom")
        return self

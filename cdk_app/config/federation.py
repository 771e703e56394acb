"""Models for federated identity providers: Google, SAML and OIDC."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections import Counter
from typing import Annotated, Literal, Self

from pydantic import Field, HttpUrl, PrivateAttr, StringConstraints, ValidationInfo, model_validator

from cdk_app.config.base import Frozen, SecretRef
from cdk_app.config.referenced_files import read_referenced

# Cognito allows 1-32 characters; "COGNITO" and the social names are reserved for their own use.
SimpleName = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9][A-Za-z0-9 ._-]{1,31}$")]
Identifier = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9_ +=.@-]{1,40}$")]
RESERVED_NAMES = frozenset({"COGNITO", "Google", "Facebook", "LoginWithAmazon", "SignInWithApple"})


class AttributeMappingConfig(Frozen):
    """Which IdP claim fills which user-pool attribute (``custom:<name>`` for custom ones).

    Keys are Cognito attributes, values the IdP's claim or SAML attribute name.
    """

    email: str | None = None
    name: str | None = None
    given_name: str | None = None
    family_name: str | None = None
    custom: dict[str, str] = Field(default_factory=dict)

    def targets(self) -> tuple[str, ...]:
        fixed = [k for k in ("email", "name", "given_name", "family_name") if getattr(self, k)]
        return (*fixed, *(f"custom:{k}" if not k.startswith("custom:") else k for k in self.custom))


class GoogleConfig(Frozen):
    client_id: Annotated[str, StringConstraints(min_length=1, max_length=256)]
    client_secret: SecretRef
    scopes: tuple[str, ...] = ("openid", "email", "profile")
    attribute_mapping: AttributeMappingConfig = AttributeMappingConfig(email="email", name="name")


class SamlConfig(Frozen):
    name: SimpleName
    metadata_url: HttpUrl | None = None
    metadata_file: str | None = Field(default=None, description="Path relative to the repository root.")
    identifiers: tuple[Identifier, ...] = ()
    sign_requests: bool = False
    encrypted_assertions: bool = False
    idp_signout: bool = False
    attribute_mapping: AttributeMappingConfig = AttributeMappingConfig()
    _metadata_xml: str | None = PrivateAttr(default=None)

    @model_validator(mode="after")
    def _one_metadata_source(self, info: ValidationInfo) -> Self:
        if (self.metadata_url is None) == (self.metadata_file is None):
            raise ValueError("give exactly one of metadata_url or metadata_file")
        if self.metadata_url is not None and self.metadata_url.scheme != "https":
            raise ValueError("metadata_url: must be https")
        if self.metadata_file is not None:
            self._metadata_xml = read_referenced(
                "metadata_file", self.metadata_file, info.context, _check_metadata
            )
        return self

    @property
    def metadata_xml(self) -> str:
        """The validated metadata document (only for ``metadata_file`` providers)."""
        if self._metadata_xml is None:
            raise ValueError(f"SAML provider {self.name!r} has no metadata_file")
        return self._metadata_xml


class OidcConfig(Frozen):
    name: SimpleName
    issuer: HttpUrl
    client_id: Annotated[str, StringConstraints(min_length=1, max_length=256)]
    client_secret: SecretRef
    scopes: tuple[str, ...] = ("openid", "email", "profile")
    attributes_request_method: Literal["GET", "POST"] = "GET"
    identifiers: tuple[Identifier, ...] = ()
    attribute_mapping: AttributeMappingConfig = AttributeMappingConfig(email="email", name="name")

    @model_validator(mode="after")
    def _check(self) -> Self:
        if self.issuer.scheme != "https":
            raise ValueError("issuer must be https")
        if "openid" not in self.scopes:
            raise ValueError("scopes must include 'openid'")
        return self


class FederationConfig(Frozen):
    """How federation is checked (days of certificate warning) and how tenants are placed in stacks."""

    certificate_warning_days: Annotated[int, Field(ge=0, le=365)] = 30
    tenant_stacks: Annotated[int, Field(ge=1, le=64)] = Field(
        default=8,
        description="How many sibling stacks hold the tenants (a tenant's stack is a hash of its name). "
        "Fixed once tenants are deployed: changing it moves tenants, and a move is a replacement.",
    )


class IdentityProvidersConfig(Frozen):
    google: GoogleConfig | None = None
    saml: tuple[SamlConfig, ...] = ()
    oidc: tuple[OidcConfig, ...] = ()

    @model_validator(mode="after")
    def _unique_names(self) -> Self:
        names = self.names()
        dupes = sorted(n for n, times in Counter(names).items() if times > 1)
        if dupes:
            raise ValueError(f"provider names must be unique, repeated: {dupes}")
        if any(p.name in RESERVED_NAMES for p in self._named()):
            raise ValueError(f"these provider names are reserved by Cognito: {sorted(RESERVED_NAMES)}")
        return self

    def names(self) -> list[str]:
        """Provider names as a client lists them (``Google`` for Google)."""
        return (["Google"] if self.google else []) + [p.name for p in self._named()]

    def mappings(self) -> list[tuple[str, AttributeMappingConfig]]:
        out = [("Google", self.google.attribute_mapping)] if self.google else []
        return out + [(p.name, p.attribute_mapping) for p in self._named()]

    def _named(self) -> list[SamlConfig | OidcConfig]:
        return [*self.saml, *self.oidc]


def _check_metadata(text: str) -> None:
    """IdP metadata must be a SAML ``EntityDescriptor``: checked at synth time because Cognito only
    says "invalid metadata" at deploy time."""
    if "<!DOCTYPE" in text:
        # Metadata never needs one, and refusing it rules out entity-expansion bombs.
        raise ValueError("has a <!DOCTYPE>; SAML metadata has none")
    try:
        # The file is committed to this repository (trusted input), not fetched from the network.
        root = ET.fromstring(text)  # noqa: S314
    except ET.ParseError as exc:
        raise ValueError(f"is not well-formed XML ({exc})") from None
    if root.tag.rsplit("}", 1)[-1] != "EntityDescriptor":
        raise ValueError("has no SAML EntityDescriptor root element")

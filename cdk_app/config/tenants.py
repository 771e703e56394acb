"""A tenant: one customer's identity provider and, optionally, its own app client, in a file of its own.

``config/tenants/<env>/<tenant>.yaml`` holds exactly one provider, under ``saml:`` or ``oidc:`` (the
shape of an item of ``identity_providers.saml`` / ``.oidc``), and optionally ``client:`` (the shape of
an item of ``clients``). The tenant's name is its file's name. Adding a tenant is adding a file;
removing one is deleting it. The rules that relate a tenant to its environment (identifiers, names,
the client's scopes and attributes) are in ``cdk_app.config.rules.tenants``.
"""

from __future__ import annotations

import hashlib
from typing import Annotated, Self

from pydantic import Field, StringConstraints, model_validator

from cdk_app.config.base import Frozen
from cdk_app.config.clients import ClientConfig
from cdk_app.config.federation import OidcConfig, SamlConfig

# The file's name: it becomes construct IDs and parameter names, so it is kept plain and short.
TENANT_NAME_PATTERN = r"[a-z0-9][a-z0-9-]{0,39}"
TenantName = Annotated[str, StringConstraints(pattern=f"^{TENANT_NAME_PATTERN}$")]
TENANTS_DIR = "tenants"


def tenant_dir(env: str) -> str:
    """Where environment ``env``'s tenant files are, relative to the config directory."""
    return f"{TENANTS_DIR}/{env}"


def tenant_file(env: str, tenant: str) -> str:
    """The file of tenant ``tenant`` of ``env``, relative to the config directory."""
    return f"{tenant_dir(env)}/{tenant}.yaml"


def tenant_shard(tenant: str, stacks: int) -> int:
    """The tenant stack (``0 .. stacks-1``) that holds ``tenant``: a hash of its name alone.

    It depends on nothing else, so adding or removing a tenant never moves another one (a move is a
    replacement). SHA-256 rather than ``hash()``, which Python salts per process.
    """
    return int.from_bytes(hashlib.sha256(tenant.encode("utf-8")).digest()[:8], "big") % stacks


class TenantConfig(Frozen):
    """One tenant file: exactly one provider, under ``saml`` or ``oidc``, and optionally a client."""

    name: TenantName
    saml: SamlConfig | None = Field(default=None, description="The tenant's SAML provider.")
    oidc: OidcConfig | None = Field(default=None, description="The tenant's OIDC provider.")
    client: ClientConfig | None = Field(
        default=None,
        description="The tenant's own app client. To offer the tenant's provider, list its name under "
        "identity_providers.",
    )

    @model_validator(mode="after")
    def _one_provider(self) -> Self:
        if (self.saml is None) == (self.oidc is None):
            raise ValueError("give exactly one provider, under saml or oidc")
        return self

    @property
    def provider(self) -> SamlConfig | OidcConfig:
        """The tenant's one identity provider."""
        provider = self.saml or self.oidc
        assert provider is not None  # _one_provider
        return provider

    @property
    def provider_key(self) -> str:
        """``saml`` or ``oidc``: the key the provider is under in the file."""
        return "saml" if self.saml is not None else "oidc"

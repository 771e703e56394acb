"""Models for app clients and resource servers."""

from __future__ import annotations

from typing import Annotated, Literal, Self
from urllib.parse import urlsplit

from pydantic import Field, StringConstraints, model_validator

from cdk_app.config.base import Frozen

# Re-exported for cdk_app/config/api.py, which imports it from here; its home is cdk_app.contracts.
from cdk_app.contracts import LOOPBACK_HOSTS as LOOPBACK_HOSTS

ClientKind = Literal["spa", "web", "m2m"]
AuthFlow = Literal["user_srp", "user_password", "admin_user_password", "custom"]

# Scopes Cognito defines itself; anything else must be ``<resource server>/<scope>``.
OIDC_SCOPES = frozenset({"openid", "email", "phone", "profile"})
# Cognito's own scope for its user-pool API (GetUser, UpdateUserAttributes, ...) with the user's token.
# Not the API's admin scope (``<api.scope_server>/admin``, ``EnvironmentConfig.admin_scope``).
COGNITO_ADMIN_SCOPE = "aws.cognito.signin.user.admin"


def check_redirect_url(url: str) -> str:
    """Cognito matches redirect URLs exactly, so only exact, safe URLs are accepted."""
    if "*" in url:
        raise ValueError(f"{url!r}: wildcards are not allowed; Cognito matches URLs exactly")
    parts = urlsplit(url)
    if parts.fragment or url.endswith("#"):
        raise ValueError(f"{url!r}: a fragment (#...) is not allowed")
    if parts.scheme == "http":
        if parts.hostname not in LOOPBACK_HOSTS:
            raise ValueError(f"{url!r}: http is only allowed for localhost or 127.0.0.1; use https")
    elif parts.scheme != "https":
        raise ValueError(f"{url!r}: must be an https URL")
    if not parts.hostname:
        raise ValueError(f"{url!r}: has no host")
    return url


RedirectUrl = Annotated[str, StringConstraints(min_length=1, max_length=1024)]
# A user-pool attribute as Cognito names it in a client's read/write lists: ``email``, ``custom:team``.
AttributeName = Annotated[str, StringConstraints(pattern=r"^(custom:)?[A-Za-z0-9_]{1,32}$")]


class ScopeConfig(Frozen):
    name: Annotated[str, StringConstraints(pattern=r"^[\x21\x23-\x2E\x30-\x5B\x5D-\x7E]{1,256}$")]
    description: Annotated[str, StringConstraints(min_length=1, max_length=256)]


class ResourceServerConfig(Frozen):
    """A resource server (API) and the custom scopes its methods require."""

    identifier: Annotated[str, StringConstraints(pattern=r"^[\x21\x23-\x5B\x5D-\x7E]{1,256}$")]
    name: Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9_ +=,.@-]{1,256}$")]
    scopes: tuple[ScopeConfig, ...] = Field(min_length=1, max_length=100)

    @property
    def scope_names(self) -> tuple[str, ...]:
        return tuple(f"{self.identifier}/{s.name}" for s in self.scopes)


class ClientConfig(Frozen):
    """One app client. ``kind`` decides the grant; the rest may only narrow it."""

    name: Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9-]{0,30}$")]
    kind: ClientKind
    callback_urls: tuple[RedirectUrl, ...] = ()
    logout_urls: tuple[RedirectUrl, ...] = ()
    scopes: tuple[str, ...] = Field(min_length=1)
    identity_providers: tuple[str, ...] = ("COGNITO",)
    auth_flows: tuple[AuthFlow, ...] = Field(
        default=(),
        description="Direct (API) sign-in; none means hosted sign-in only. spa/web need auth_flows_reason.",
    )
    auth_flows_reason: Annotated[str, StringConstraints(min_length=20, max_length=500)] | None = Field(
        default=None,
        description="Why this browser client needs direct sign-in; its tokens can call the user's own APIs.",
    )
    choice_based_sign_in: bool = Field(
        default=False,
        description="Let users choose among user_pool.sign_in_policy.first_factors (ALLOW_USER_AUTH): on "
        "managed login, and through the USER_AUTH API, whose tokens carry "
        "aws.cognito.signin.user.admin like any direct sign-in.",
    )
    read_attributes: tuple[AttributeName, ...] | None = Field(
        default=None, description="Default: the pool's configured, mapped and custom attributes (spa/web)."
    )
    write_attributes: tuple[AttributeName, ...] | None = Field(
        default=None,
        description="Default: what its providers map, plus required attributes with self sign-up (spa/web).",
    )
    access_token_validity_minutes: Annotated[int, Field(ge=5, le=1440)] = Field(
        default=15, description="Also how long a disabled user keeps API access (docs/security-model.md)."
    )
    id_token_validity_minutes: Annotated[int, Field(ge=5, le=1440)] = 60
    refresh_token_validity_days: Annotated[int, Field(ge=1, le=3650)] = 30
    refresh_token_rotation: bool = Field(
        default=True, description="Default: on; off on feature_plan `lite`, which has no rotation."
    )
    refresh_token_rotation_grace_seconds: Annotated[int, Field(ge=0, le=60)] = 0
    tenant_providers: bool = Field(
        default=False,
        description="Also offer every tenant's provider (config/tenants/<env>/*.yaml); spa/web only.",
    )

    @model_validator(mode="after")
    def _exact_urls(self) -> Self:
        for field in ("callback_urls", "logout_urls"):
            urls: tuple[str, ...] = getattr(self, field)
            for url in urls:
                try:
                    check_redirect_url(url)
                except ValueError as exc:
                    raise ValueError(f"{field}: client {self.name!r}: {exc}") from None
            if len(set(urls)) != len(urls):
                raise ValueError(f"{field}: client {self.name!r}: URLs must not repeat")
        return self

    @model_validator(mode="after")
    def _kind_rules(self) -> Self:
        if self.kind == "m2m":
            if self.callback_urls or self.logout_urls:
                raise ValueError("an m2m client has no callback_urls or logout_urls")
            if self.identity_providers != ("COGNITO",):
                raise ValueError("an m2m client signs in no users, so it takes no identity_providers")
            if self.auth_flows or self.choice_based_sign_in:
                raise ValueError(
                    "an m2m client uses client_credentials only; auth_flows must be empty and "
                    "choice_based_sign_in false"
                )
            if self.tenant_providers:
                raise ValueError("an m2m client signs in no users, so it takes no tenant_providers")
            if self.read_attributes is not None or self.write_attributes is not None:
                raise ValueError("an m2m client signs in no users, so it takes no read/write_attributes")
            bad = [s for s in self.scopes if "/" not in s]
            if bad:
                raise ValueError(f"an m2m client may only use resource-server scopes, not {bad}")
        else:
            if not self.callback_urls:
                raise ValueError(f"a {self.kind} client needs at least one callback URL")
            if "openid" not in self.scopes:
                raise ValueError(f"a {self.kind} client needs the 'openid' scope to receive ID tokens")
            if not self.identity_providers:
                raise ValueError("identity_providers must name at least one provider (or COGNITO)")
        if self.kind == "spa" and "user_password" in self.auth_flows:
            raise ValueError("a public spa client must not allow user_password (plaintext password auth)")
        if self.auth_flows and self.kind != "m2m" and self.auth_flows_reason is None:
            raise ValueError(
                f"auth_flows: a {self.kind} client signs in through the hosted pages; direct sign-in "
                f"({', '.join(self.auth_flows)}) issues tokens with {COGNITO_ADMIN_SCOPE}, which let the "
                "user change their own attributes, so say why this client needs it in auth_flows_reason"
            )
        if self.auth_flows_reason is not None and not self.auth_flows:
            raise ValueError("auth_flows_reason: give it only together with auth_flows")
        refresh_minutes = self.refresh_token_validity_days * 24 * 60
        if refresh_minutes <= max(self.access_token_validity_minutes, self.id_token_validity_minutes):
            raise ValueError("refresh_token_validity_days must outlast the access and ID tokens")
        return self

    @property
    def construct_id(self) -> str:
        """Stable PascalCase construct ID, e.g. ``spa`` -> ``SpaClient``. Never change a client's name."""
        return "".join(p.capitalize() for p in self.name.split("-")) + "Client"

    @property
    def generates_secret(self) -> bool:
        return self.kind != "spa"

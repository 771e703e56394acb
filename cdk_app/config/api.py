"""Models for the protected REST API and its web application firewall."""

from __future__ import annotations

from typing import Annotated, Literal
from urllib.parse import urlsplit

from pydantic import Field, StringConstraints, field_validator

from cdk_app.config.base import Frozen, LogRetentionDays
from cdk_app.config.clients import LOOPBACK_HOSTS

HttpMethod = Literal["GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "HEAD"]


class CorsConfig(Frozen):
    allow_origins: tuple[str, ...] = Field(min_length=1)
    allow_methods: tuple[HttpMethod, ...] = ("GET", "POST", "OPTIONS")
    allow_headers: tuple[str, ...] = ("Authorization", "Content-Type")
    max_age_seconds: Annotated[int, Field(ge=0, le=86400)] = 600

    @field_validator("allow_origins")
    @classmethod
    def _origins(cls, origins: tuple[str, ...]) -> tuple[str, ...]:
        for origin in origins:
            if origin == "*":
                continue
            parts = urlsplit(origin)
            loopback = parts.scheme == "http" and parts.hostname in LOOPBACK_HOSTS
            if not (parts.scheme == "https" or loopback) or not parts.hostname:
                raise ValueError(f"{origin!r}: an origin is https://host[:port] (http only for localhost)")
            if parts.path or parts.query or parts.fragment or origin.endswith("/"):
                raise ValueError(f"{origin!r}: an origin has no path or trailing slash")
        return origins


class FunctionConfig(Frozen):
    memory_mb: Annotated[int, Field(ge=128, le=10240)] = 256
    # API Gateway gives up on an integration after 29 s, so a longer timeout is never useful.
    timeout_seconds: Annotated[int, Field(ge=1, le=29)] = 10
    log_retention_days: LogRetentionDays = 30
    # 0 would throttle every request, so the floor is 1. Required in production (tier rules).
    reserved_concurrency: Annotated[int, Field(ge=1, le=10000)] | None = Field(
        default=None,
        description="Concurrent executions reserved for the function, and its ceiling. Unset: no "
        "reservation, no ceiling. Required in production.",
    )


class ApiConfig(Frozen):
    scope_server: Annotated[str, StringConstraints(min_length=1)] = Field(
        description="Identifier of the resource server whose read/write scopes the routes require."
    )
    admin_group: str = "admins"
    cors: CorsConfig
    authorizer_cache_ttl_seconds: Annotated[int, Field(ge=0, le=3600)] = 300
    throttling_rate_limit: Annotated[float, Field(gt=0, le=10000)] = 50
    throttling_burst_limit: Annotated[int, Field(ge=1, le=5000)] = 100
    log_retention_days: LogRetentionDays = 30
    function: FunctionConfig = FunctionConfig()


class WafConfig(Frozen):
    enabled: bool = False
    # Requests per 5 minutes from one IP before the rate rule blocks it (WAF accepts 10 and up).
    rate_limit: Annotated[int, Field(ge=10, le=2_000_000_000)] = 1000
    # Requests per 5 minutes from one IP to the sign-in endpoints (hosted pages, token endpoint, SAML
    # response, Cognito's sign-in API) before the sign-in web ACL blocks it. Users behind one NAT share it.
    sign_in_rate_limit: Annotated[int, Field(ge=10, le=2_000_000_000)] = 500
    log_retention_days: LogRetentionDays = 90

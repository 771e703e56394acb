"""The one mapping from AWS URLs (as the stack outputs name them) to the emulator's gateway."""

from __future__ import annotations

import pytest

from operator_tools.lib.errors import ToolError
from operator_tools.local.endpoints import emulator_url

GATEWAY = "http://127.0.0.1:4566"


@pytest.mark.parametrize(
    ("aws", "local"),
    [
        (
            "https://sso-local.auth.eu-west-1.amazoncognito.com/oauth2/authorize",
            f"{GATEWAY}/oauth2/authorize",
        ),
        ("https://sso-local.auth.eu-west-1.amazoncognito.com/oauth2/token", f"{GATEWAY}/oauth2/token"),
        ("https://sso-local.auth.eu-west-1.amazoncognito.com/logout", f"{GATEWAY}/logout"),
        (
            "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Abc123/.well-known/jwks.json",
            f"{GATEWAY}/eu-west-1_Abc123/.well-known/jwks.json",
        ),
        (
            "https://41a92314.execute-api.eu-west-1.amazonaws.com/v1/me",
            f"{GATEWAY}/restapis/41a92314/v1/_user_request_/me",
        ),
        (
            "https://41a92314.execute-api.eu-west-1.amazonaws.com/v1/",
            f"{GATEWAY}/restapis/41a92314/v1/_user_request_/",
        ),
        (
            "https://sso-local.auth.eu-west-1.amazoncognito.com/oauth2/authorize?client_id=abc&scope=openid",
            f"{GATEWAY}/oauth2/authorize?client_id=abc&scope=openid",
        ),
    ],
)
def test_aws_endpoints_map_to_where_the_emulator_serves_them(aws: str, local: str) -> None:
    assert emulator_url(aws, GATEWAY) == local


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("https://login.example.com/oauth2/token", "no stand-in"),
        ("http://sso-local.auth.eu-west-1.amazoncognito.com/oauth2/token", "not an AWS endpoint"),
        ("https://41a92314.execute-api.eu-west-1.amazonaws.com/", "no API stage"),
    ],
)
def test_an_endpoint_the_emulator_does_not_serve_is_refused_not_passed_through(url: str, reason: str) -> None:
    with pytest.raises(ToolError, match=reason):
        emulator_url(url, GATEWAY)

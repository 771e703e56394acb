"""Pre token generation trigger events in the shapes the Cognito developer guide documents
("Pre token generation Lambda trigger": the version 2 user event, and the version 3
``TokenGeneration_ClientCredentials`` event). ``response.claimsAndScopeOverrideDetails`` arrives null.
"""

from __future__ import annotations

from typing import Any

REGION = "eu-west-1"
USER_POOL_ID = f"{REGION}_Examp1e00"
CLIENT_ID = "1example23456789"


def user_event(
    *,
    groups: list[str],
    scopes: list[str],
    version: str = "2",
    trigger_source: str = "TokenGeneration_HostedAuth",
) -> dict[str, Any]:
    """A user's sign-in (hosted pages by default), version 2 or 3: the same shape for both."""
    return {
        "version": version,
        "triggerSource": trigger_source,
        "region": REGION,
        "userPoolId": USER_POOL_ID,
        "userName": "alice",
        "callerContext": {"awsSdkVersion": "aws-sdk-unknown-unknown", "clientId": CLIENT_ID},
        "request": {
            "userAttributes": {
                "sub": "9f1c2e3a-7b4d-4e5f-8a6b-1c2d3e4f5a6b",
                "cognito:user_status": "CONFIRMED",
                "email_verified": "true",
                "email": "alice@example.com",
            },
            "groupConfiguration": {
                "groupsToOverride": groups,
                "iamRolesToOverride": [],
                "preferredRole": None,
            },
            "scopes": scopes,
        },
        "response": {"claimsAndScopeOverrideDetails": None},
    }


def client_credentials_event(*, scopes: list[str]) -> dict[str, Any]:
    """A machine's client-credentials token request (version 3 only): no user, no groups."""
    return {
        "version": "3",
        "triggerSource": "TokenGeneration_ClientCredentials",
        "region": REGION,
        "userPoolId": USER_POOL_ID,
        "userName": "ClientCredentials",
        "callerContext": {"awsSdkVersion": "aws-sdk-unknown-unknown", "clientId": CLIENT_ID},
        "request": {"userAttributes": {}, "groupConfiguration": None, "scopes": scopes},
        "response": {"claimsAndScopeOverrideDetails": None},
    }

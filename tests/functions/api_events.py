"""API Gateway REST proxy events as API Gateway delivers them through a Cognito user pool authorizer.

The authorizer has verified the token; its claims reach the function in
``requestContext.authorizer.claims``, every value a string (lists flattened, dates rendered as text).
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass, field
from typing import Any

REGION = "eu-west-1"
ACCOUNT_ID = "123456789012"
API_ID = "a1b2c3d4e5"
STAGE = "prod"
DOMAIN = f"{API_ID}.execute-api.{REGION}.amazonaws.com"
USER_POOL_ISSUER = f"https://cognito-idp.{REGION}.amazonaws.com/{REGION}_Examp1e00"
CLIENT_ID = "3n4mpl3cl13nt1d0000000000"
SUB = "9f1c2e3a-7b4d-4e5f-8a6b-1c2d3e4f5a6b"
# The tests load the function with CORS_ALLOW_ORIGINS listing this origin (and one other).
ALLOWED_ORIGIN = "https://app.example.com"


def _token_times() -> dict[str, str]:
    # API Gateway renders exp and iat as dates, not epoch seconds.
    return {
        "auth_time": "1764140400",
        "iat": "Wed Nov 26 07:00:00 UTC 2026",
        "exp": "Wed Nov 26 08:00:00 UTC 2026",
        "jti": str(uuid.uuid4()),
        "origin_jti": str(uuid.uuid4()),
        "event_id": str(uuid.uuid4()),
    }


def access_token_claims(
    *, username: str = "alice", scope: str = "api/read api/write", groups: str | None = None
) -> dict[str, str]:
    """Claims of a Cognito access token; ``groups`` is the flattened ``cognito:groups`` (None: absent)."""
    claims = {
        "sub": SUB,
        "iss": USER_POOL_ISSUER,
        "version": "2",
        "client_id": CLIENT_ID,
        "token_use": "access",
        "scope": scope,
        "username": username,
        **_token_times(),
    }
    if groups is not None:
        claims["cognito:groups"] = groups
    return claims


def id_token_claims(
    *, username: str = "alice", email: str | None = "alice@example.com", groups: str | None = "admins,users"
) -> dict[str, str]:
    """Claims of a Cognito ID token; ``groups`` is the flattened ``cognito:groups`` (None: absent)."""
    claims = {
        "sub": SUB,
        "iss": USER_POOL_ISSUER,
        "aud": CLIENT_ID,
        "token_use": "id",
        "cognito:username": username,
        "email_verified": "true",
        **_token_times(),
    }
    if email is not None:
        claims["email"] = email
    if groups is not None:
        claims["cognito:groups"] = groups
    return claims


def rest_event(
    method: str,
    path: str,
    *,
    claims: dict[str, str] | None,
    body: str | dict[str, Any] | None = None,
    headers: dict[str, str] | None = None,
    resource: str | None = None,
    is_base64_encoded: bool = False,
) -> dict[str, Any]:
    """A full v1 proxy event; ``claims=None`` leaves out the authorizer, as on a method without one.

    A dict ``body`` is sent as JSON. Each event has a fresh ``requestContext.requestId``.
    """
    all_headers = {
        "Accept": "application/json",
        "Authorization": "Bearer eyJraWQiOiJleGFtcGxlIn0.eyJzdWIiOiJleGFtcGxlIn0.c2lnbmF0dXJl",
        "Host": DOMAIN,
        "User-Agent": "curl/8.5.0",
        "X-Amzn-Trace-Id": "Root=1-6926a5c0-0123456789abcdef01234567",
        "X-Forwarded-For": "203.0.113.10",
        "X-Forwarded-Port": "443",
        "X-Forwarded-Proto": "https",
    }
    if body is not None:
        all_headers["Content-Type"] = "application/json"
    all_headers.update(headers or {})
    resource = resource or path
    request_context: dict[str, Any] = {
        "resourceId": "abc123",
        "resourcePath": resource,
        "httpMethod": method,
        "extendedRequestId": "Ab1CdE2fFiAEXAMPLE=",
        "requestTime": "26/Nov/2026:07:00:00 +0000",
        "path": f"/{STAGE}{path}",
        "accountId": ACCOUNT_ID,
        "protocol": "HTTP/1.1",
        "stage": STAGE,
        "domainPrefix": API_ID,
        "requestTimeEpoch": 1764140400000,
        "requestId": str(uuid.uuid4()),
        "identity": {
            "cognitoIdentityPoolId": None,
            "accountId": None,
            "cognitoIdentityId": None,
            "caller": None,
            "sourceIp": "203.0.113.10",
            "principalOrgId": None,
            "accessKey": None,
            "cognitoAuthenticationType": None,
            "cognitoAuthenticationProvider": None,
            "userArn": None,
            "userAgent": "curl/8.5.0",
            "user": None,
        },
        "domainName": DOMAIN,
        "apiId": API_ID,
    }
    if claims is not None:
        request_context["authorizer"] = {"claims": claims}
    return {
        "resource": resource,
        "path": path,
        "httpMethod": method,
        "headers": all_headers,
        "multiValueHeaders": {name: [value] for name, value in all_headers.items()},
        "queryStringParameters": None,
        "multiValueQueryStringParameters": None,
        "pathParameters": {"proxy": path.lstrip("/")} if resource == "/{proxy+}" else None,
        "stageVariables": None,
        "requestContext": request_context,
        "body": json.dumps(body) if isinstance(body, dict) else body,
        "isBase64Encoded": is_base64_encoded,
    }


@dataclass
class FakeLambdaContext:
    """The parts of the Lambda context object that Powertools reads."""

    function_name: str = "api"
    function_version: str = "$LATEST"
    memory_limit_in_mb: int = 256
    invoked_function_arn: str = f"arn:aws:lambda:{REGION}:{ACCOUNT_ID}:function:api"
    aws_request_id: str = field(default_factory=lambda: str(uuid.uuid4()))
    log_group_name: str = "/aws/lambda/api"
    log_stream_name: str = "2026/11/26/[$LATEST]0123456789abcdef"

    def get_remaining_time_in_millis(self) -> int:
        return 10_000


@dataclass(frozen=True)
class ApiResponse:
    """A proxy response, decoded: status, headers (name -> values) and the JSON body."""

    status: int
    headers: dict[str, list[str]]
    body: Any

    def header(self, name: str) -> list[str]:
        """Values of header ``name`` (case-insensitive); empty when absent."""
        return [v for key, values in self.headers.items() if key.lower() == name.lower() for v in values]


def decode(response: dict[str, Any]) -> ApiResponse:
    """Merge ``headers`` and ``multiValueHeaders`` and parse the body as JSON (it must be JSON)."""
    headers = {name: [value] for name, value in (response.get("headers") or {}).items()}
    for name, values in (response.get("multiValueHeaders") or {}).items():
        headers.setdefault(name, []).extend(values)
    return ApiResponse(status=int(response["statusCode"]), headers=headers, body=json.loads(response["body"]))

"""The smoke test's checks: a deployed environment works end to end, from its outputs and AWS APIs alone.

Checks, in order: OIDC discovery names the pool as issuer; the JWKS has keys; the m2m client's secret
(read with ``DescribeUserPoolClient``, never from outputs) buys an access token with client_credentials;
that token verifies against the JWKS; ``GET /me`` answers 401 without a token, 200 with the read scope
(echoing this client's claims) and 401/403 with a token that lacks the read scope.

Guarantees: ``smoke`` returns 0 only if every check passed; secrets and tokens never reach the output
(every line is scrubbed of them); every HTTP call has a timeout. ``make smoke`` (``verbs/smoke.py``)
and ``make up`` (``local/lifecycle.py``) both run them.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TextIO, TypeVar

import jwt

from cdk_app.config import EnvironmentConfig
from operator_tools.lib import http_json
from operator_tools.lib.cli import EXIT_FAILED
from operator_tools.lib.client_credentials import client_credentials_token
from operator_tools.lib.client_secret import CognitoClient, fetch_client_secret
from operator_tools.lib.errors import ToolError
from operator_tools.lib.jwt_check import fetch_jwks, scopes_of, verify_access_token
from operator_tools.lib.stack_outputs import StackOutputs

T = TypeVar("T")
# API Gateway answers 401 for "invalid scope for access token"; a stricter API may say 403. Both deny.
DENIED = frozenset({401, 403})


@dataclass(frozen=True)
class Check:
    """One line of the report."""

    name: str
    passed: bool
    detail: str


@dataclass
class _Run:
    checks: list[Check] = field(default_factory=list)
    # Every secret or token seen so far; any of them in a detail is replaced before it is stored.
    secrets: set[str] = field(default_factory=set)

    def step(self, name: str, action: Callable[[], tuple[str, T]]) -> T | None:
        try:
            detail, value = action()
        except ToolError as exc:
            self._add(name, False, str(exc))
            return None
        self._add(name, True, detail)
        return value

    def skip(self, name: str, because: str) -> None:
        self._add(name, False, f"not run: {because}")

    def _add(self, name: str, passed: bool, detail: str) -> None:
        for secret in self.secrets:
            detail = detail.replace(secret, "<redacted>")
        self.checks.append(Check(name, passed, detail))


def run_smoke(
    config: EnvironmentConfig,
    outputs: StackOutputs,
    cognito: CognitoClient,
    *,
    timeout: float = http_json.DEFAULT_TIMEOUT_SECONDS,
) -> list[Check]:
    """Run every check (a failed step skips only the steps that need its result) and return the report."""
    m2m = config.client("m2m")
    if m2m is None:
        raise ToolError(f"environment {config.name!r} has no m2m client to test the API with")
    client_id = outputs.client_id(m2m)
    read, write = f"{config.api.scope_server}/read", f"{config.api.scope_server}/write"
    run = _Run()

    run.step("discovery issuer", lambda: _discovery(outputs, timeout))
    jwks = run.step("JWKS keys", lambda: _jwks(outputs, timeout))
    secret = run.step("m2m client secret", lambda: _secret(cognito, outputs, client_id))
    run.step("GET /me without token", lambda: _expect_status(outputs, None, DENIED, timeout))
    if secret is None:
        for name in (
            "token (read write)",
            "access token claims",
            "GET /me with read",
            "GET /me without read",
        ):
            run.skip(name, "no client secret")
        return run.checks
    run.secrets.add(secret)

    def token(scopes: tuple[str, ...]) -> tuple[str, str]:
        value = client_credentials_token(outputs.token_endpoint, client_id, secret, scopes, timeout)
        run.secrets.add(value)
        return f"issued for scope {' '.join(scopes)}", value

    access = run.step("token (read write)", lambda: token((read, write)))
    if access is None:
        run.skip("access token claims", "no token")
        run.skip("GET /me with read", "no token")
    else:
        if jwks is None:
            run.skip("access token claims", "no JWKS")
        else:
            run.step("access token claims", lambda: _claims(access, jwks, outputs, client_id, read))
        run.step("GET /me with read", lambda: _me_claims(outputs, access, client_id, read, timeout))

    def without_read() -> tuple[str, None]:
        _, write_only = token((write,))
        return _expect_status(outputs, write_only, DENIED, timeout)

    run.step("GET /me without read", without_read)
    return run.checks


def smoke(
    config: EnvironmentConfig,
    outputs: StackOutputs,
    cognito: CognitoClient,
    *,
    timeout: float = http_json.DEFAULT_TIMEOUT_SECONDS,
    out: TextIO | None = None,
) -> int:
    """Run the checks, print the table (to ``out``, default stdout), and return the exit code (0 only if
    everything passed)."""
    out = out or sys.stdout
    checks = run_smoke(config, outputs, cognito, timeout=timeout)
    print(f"smoke test of {config.name}", file=out)
    width = max(len(c.name) for c in checks)
    for check in checks:
        print(f"  {'PASS' if check.passed else 'FAIL'}  {check.name:<{width}}  {check.detail}", file=out)
    failed = sum(not c.passed for c in checks)
    print(f"{len(checks) - failed} passed, {failed} failed", file=out)
    return EXIT_FAILED if failed else 0


def _discovery(outputs: StackOutputs, timeout: float) -> tuple[str, None]:
    url = outputs.discovery_url
    response = http_json.get(url, what="OIDC discovery", timeout=timeout)
    if response.status != 200:
        raise ToolError(f"{url} answered HTTP {response.status}")
    issuer = response.json_object("OIDC discovery").get("issuer")
    if issuer != outputs.issuer_url:
        raise ToolError(f"discovery says issuer {issuer!r}, the IssuerUrl output says {outputs.issuer_url!r}")
    return f"issuer is {issuer}", None


def _jwks(outputs: StackOutputs, timeout: float) -> tuple[str, jwt.PyJWKSet]:
    jwks = fetch_jwks(outputs.jwks_url, timeout=timeout)
    return f"{len(jwks.keys)} usable key(s)", jwks


def _secret(cognito: CognitoClient, outputs: StackOutputs, client_id: str) -> tuple[str, str]:
    return "read with DescribeUserPoolClient", fetch_client_secret(cognito, outputs.user_pool_id, client_id)


def _claims(
    access: str, jwks: jwt.PyJWKSet, outputs: StackOutputs, client_id: str, read: str
) -> tuple[str, None]:
    claims = verify_access_token(access, jwks, issuer=outputs.issuer_url, client_id=client_id)
    if read not in scopes_of(claims):
        raise ToolError(f"access token scopes {sorted(scopes_of(claims))} lack {read}")
    return "RS256 signature, issuer, client_id, token_use and scope verified", None


def _call_me(outputs: StackOutputs, token: str | None, timeout: float) -> http_json.HttpResponse:
    # The REST API's Cognito authorizer takes the token with or without the "Bearer " prefix.
    headers = {"Authorization": f"Bearer {token}"} if token is not None else {}
    return http_json.get(outputs.me_route_url, what="GET /me", headers=headers, timeout=timeout)


def _expect_status(
    outputs: StackOutputs, token: str | None, wanted: frozenset[int], timeout: float
) -> tuple[str, None]:
    response = _call_me(outputs, token, timeout)
    if response.status not in wanted:
        raise ToolError(f"expected HTTP {'/'.join(map(str, sorted(wanted)))}, got {response.status}")
    return f"HTTP {response.status}", None


def _me_claims(
    outputs: StackOutputs, access: str, client_id: str, read: str, timeout: float
) -> tuple[str, None]:
    response = _call_me(outputs, access, timeout)
    if response.status != 200:
        raise ToolError(f"expected HTTP 200, got {response.status}: {response.excerpt()}")
    body = response.json_object("GET /me")
    wrong = []
    if body.get("client_id") != client_id:
        wrong.append(f"client_id is {body.get('client_id')!r}, expected {client_id!r}")
    if body.get("token_use") != "access":
        wrong.append(f"token_use is {body.get('token_use')!r}, expected 'access'")
    scopes = _as_scopes(body.get("scopes"))
    if read not in scopes:
        wrong.append(f"scopes {sorted(scopes)} lack {read}")
    if wrong:
        raise ToolError("HTTP 200 but " + "; ".join(wrong))
    return "HTTP 200, client_id, token_use and scopes match", None


def _as_scopes(value: Any) -> frozenset[str]:
    if isinstance(value, str):
        return frozenset(value.split())
    if isinstance(value, list):
        return frozenset(str(v) for v in value)
    return frozenset()

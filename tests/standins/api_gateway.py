"""An API Gateway REST API with a Cognito authorizer, as far as ``GET /me`` and ``POST /items`` go.

Like the real authorizer it answers 401 without a token or with a token that fails signature, issuer or
expiry checks; on a scoped method it accepts only access tokens carrying the method's scope (an ID token
gets 401). Knobs: ``enforce_auth=False`` plays a broken API that lets everyone in, ``enforce_scopes=False``
one that ignores scopes, ``denied_scope_status`` the status for a missing scope, and ``leaky_error`` a
backend that fails with a 500 dumping the request's Authorization header.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import jwt

from tests.standins.http_stub import Reply, Request, RunningServer, serve
from tests.standins.keys import SigningKey

STAGE = "/prod"
UNAUTHORIZED = {"message": "Unauthorized"}


@dataclass
class ApiGatewayStandIn:
    key: SigningKey
    issuer: str
    scope_server: str = "api"
    enforce_auth: bool = True
    enforce_scopes: bool = True
    denied_scope_status: int = 401
    leaky_error: bool = False
    _server: RunningServer | None = None

    @property
    def base_url(self) -> str:
        assert self._server is not None, "API not started"
        return f"{self._server.base_url}{STAGE}/"

    @property
    def me_calls(self) -> int:
        assert self._server is not None
        return sum(r.path == f"{STAGE}/me" for r in self._server.requests)

    @contextmanager
    def running(self) -> Iterator[ApiGatewayStandIn]:
        with serve(self.handle) as server:
            self._server = server
            yield self

    def handle(self, request: Request) -> Reply:
        routes = {("GET", f"{STAGE}/me"): "read", ("POST", f"{STAGE}/items"): "write"}
        needed = routes.get((request.method, request.path))
        if needed is None:
            return Reply.json(403, {"message": "Missing Authentication Token"})  # API Gateway's 404
        if not self.enforce_auth:
            return Reply.json(200, {"sub": None, "token_use": None, "client_id": None, "scopes": []})
        claims = self._authorize(request.headers.get("authorization", ""))
        if claims is None or claims.get("token_use") != "access":
            return Reply.json(401, UNAUTHORIZED)
        scopes = str(claims.get("scope", "")).split()
        if self.enforce_scopes and f"{self.scope_server}/{needed}" not in scopes:
            return Reply.json(self.denied_scope_status, UNAUTHORIZED)
        if self.leaky_error:
            return Reply.json(500, {"error": "boom", "authorization": request.headers.get("authorization")})
        return Reply.json(200, _me(claims, scopes))

    def _authorize(self, header: str) -> dict[str, Any] | None:
        token = header.removeprefix("Bearer ").strip()  # the authorizer takes either form
        if not token:
            return None
        try:
            claims: dict[str, Any] = jwt.decode(
                token, self.key.private_key.public_key(), algorithms=["RS256"], issuer=self.issuer,
                options={"require": ["exp", "iss", "token_use"], "verify_aud": False},
            )  # fmt: skip
        except jwt.PyJWTError:
            return None
        return claims


def _me(claims: dict[str, Any], scopes: list[str]) -> dict[str, Any]:
    return {
        "sub": claims.get("sub"),
        "username": claims.get("username"),
        "email": claims.get("email"),
        "groups": claims.get("cognito:groups", []),
        "scopes": scopes,
        "token_use": claims.get("token_use"),
        "client_id": claims.get("client_id"),
    }

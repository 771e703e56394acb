"""A Cognito-like OAuth 2.0 / OIDC provider: discovery, JWKS, hosted-UI authorize and token endpoints.

Like Cognito it matches redirect URIs exactly (else ``redirect_mismatch``), checks client secrets with
HTTP Basic, refuses scopes a client may not use, and binds each one-time code to its client, redirect
URI and PKCE challenge, so only the matching ``code_verifier`` redeems it. Instead of a login page,
``/oauth2/authorize`` signs in a fixed user at once and redirects.

Knobs for tampering tests: ``discovery_issuer``, ``id_token_claims`` (overrides), ``id_token_key``
(sign ID tokens with another key) and ``redirect_state`` (send back a different state).
"""

from __future__ import annotations

import base64
import hashlib
import secrets
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import unquote, urlencode

from tests.standins.http_stub import Reply, Request, RunningServer, serve
from tests.standins.keys import SigningKey

USER = {"sub": "0f1e2d3c-user", "cognito:username": "alice", "email": "alice@example.com"}
USER_GROUPS = ["admins"]


@dataclass(frozen=True)
class BrowserClient:
    """A client that signs users in: public (spa) without a secret, confidential (web) with one."""

    redirect_uris: frozenset[str]
    scopes: frozenset[str]
    secret: str | None = None


@dataclass(frozen=True)
class ConfidentialClient:
    secret: str
    scopes: frozenset[str]


@dataclass(frozen=True)
class _Grant:
    client_id: str
    redirect_uri: str
    challenge: str
    nonce: str | None
    scopes: tuple[str, ...]


@dataclass
class OidcProvider:
    key: SigningKey
    pool_id: str = "eu-west-1_StandIn"
    browser_clients: dict[str, BrowserClient] = field(default_factory=dict)
    confidential_clients: dict[str, ConfidentialClient] = field(default_factory=dict)
    discovery_issuer: str | None = None
    id_token_claims: dict[str, Any] = field(default_factory=dict)
    id_token_key: SigningKey | None = None
    redirect_state: str | None = None
    issued_tokens: list[str] = field(default_factory=list)
    _codes: dict[str, _Grant] = field(default_factory=dict)
    _server: RunningServer | None = None

    @property
    def base_url(self) -> str:
        assert self._server is not None, "provider not started"
        return self._server.base_url

    @property
    def issuer(self) -> str:
        return f"{self.base_url}/{self.pool_id}"

    @property
    def authorize_endpoint(self) -> str:
        return f"{self.base_url}/oauth2/authorize"

    @property
    def token_endpoint(self) -> str:
        return f"{self.base_url}/oauth2/token"

    def register_redirect_uri(self, client_id: str, uri: str) -> None:
        client = self.browser_clients[client_id]
        self.browser_clients[client_id] = BrowserClient(
            client.redirect_uris | {uri}, client.scopes, client.secret
        )

    @contextmanager
    def running(self) -> Iterator[OidcProvider]:
        with serve(self.handle) as server:
            self._server = server
            yield self

    def handle(self, request: Request) -> Reply:
        route = (request.method, request.path)
        if route == ("GET", f"/{self.pool_id}/.well-known/openid-configuration"):
            return Reply.json(200, self._discovery())
        if route == ("GET", f"/{self.pool_id}/.well-known/jwks.json"):
            return Reply.json(200, {"keys": [self.key.public_jwk()]})
        if route == ("GET", "/oauth2/authorize"):
            return self._authorize(request.query)
        if route == ("POST", "/oauth2/token"):
            return self._token(request)
        return Reply.json(404, {"message": "not found"})

    def _discovery(self) -> dict[str, Any]:
        return {
            "issuer": self.discovery_issuer or self.issuer,
            "jwks_uri": f"{self.issuer}/.well-known/jwks.json",
            "authorization_endpoint": self.authorize_endpoint,
            "token_endpoint": self.token_endpoint,
            "response_types_supported": ["code", "token"],
            "id_token_signing_alg_values_supported": ["RS256"],
        }

    def _authorize(self, query: Mapping[str, str]) -> Reply:
        client = self.browser_clients.get(query.get("client_id", ""))
        if client is None:
            return Reply(400, b"error=invalid_request&error_description=unknown client")
        redirect_uri = query.get("redirect_uri", "")
        if redirect_uri not in client.redirect_uris:  # exact match, as Cognito does
            return Reply(400, b"error=redirect_mismatch")
        scopes = tuple(query.get("scope", "").split())
        problem = None
        if query.get("response_type") != "code":
            problem = "unsupported_response_type"
        elif query.get("code_challenge_method") != "S256" or not query.get("code_challenge"):
            problem = "invalid_request"  # this stand-in insists on PKCE S256
        elif not scopes or not set(scopes) <= client.scopes:
            problem = "invalid_scope"
        state = self.redirect_state if self.redirect_state is not None else query.get("state", "")
        if problem:
            return Reply.redirect(f"{redirect_uri}?{urlencode({'error': problem, 'state': state})}")
        code = secrets.token_urlsafe(16)
        self._codes[code] = _Grant(
            query["client_id"], redirect_uri, query["code_challenge"], query.get("nonce"), scopes
        )
        return Reply.redirect(f"{redirect_uri}?{urlencode({'code': code, 'state': state})}")

    def _token(self, request: Request) -> Reply:
        form = request.form()
        if form.get("grant_type") == "authorization_code":
            return self._redeem_code(request, form)
        if form.get("grant_type") == "client_credentials":
            return self._client_credentials(request, form)
        return Reply.json(400, {"error": "unsupported_grant_type"})

    def _redeem_code(self, request: Request, form: dict[str, str]) -> Reply:
        client = self.browser_clients.get(form.get("client_id", ""))
        if client is None:
            return Reply.json(400, {"error": "invalid_client"})
        if client.secret is not None:
            client_id, secret = _basic_credentials(request.headers.get("authorization", ""))
            if client_id != form.get("client_id") or not secrets.compare_digest(client.secret, secret):
                return Reply.json(400, {"error": "invalid_client"})
        grant = self._codes.pop(form.get("code", ""), None)  # one-time, like Cognito's codes
        if grant is None or grant.client_id != form.get("client_id"):
            return Reply.json(400, {"error": "invalid_grant"})
        if grant.redirect_uri != form.get("redirect_uri"):
            return Reply.json(400, {"error": "invalid_grant"})
        digest = hashlib.sha256(form.get("code_verifier", "").encode()).digest()
        if base64.urlsafe_b64encode(digest).rstrip(b"=").decode() != grant.challenge:
            return Reply.json(400, {"error": "invalid_grant"})
        now = int(time.time())
        id_claims = {
            **USER, "cognito:groups": USER_GROUPS, "aud": grant.client_id, "iss": self.issuer,
            "token_use": "id", "auth_time": now, "iat": now, "exp": now + 3600, "nonce": grant.nonce,
            **self.id_token_claims,
        }  # fmt: skip
        access_claims = {
            "sub": USER["sub"], "username": USER["cognito:username"], "cognito:groups": USER_GROUPS,
            "client_id": grant.client_id, "scope": " ".join(grant.scopes), "iss": self.issuer,
            "token_use": "access", "iat": now, "exp": now + 3600, "jti": secrets.token_hex(8),
        }  # fmt: skip
        id_token = (self.id_token_key or self.key).sign(id_claims)
        access_token = self.key.sign(access_claims)
        self.issued_tokens += [id_token, access_token]
        return Reply.json(
            200,
            {"id_token": id_token, "access_token": access_token, "refresh_token": secrets.token_urlsafe(32),
             "token_type": "Bearer", "expires_in": 3600},
        )  # fmt: skip

    def _client_credentials(self, request: Request, form: dict[str, str]) -> Reply:
        client_id, secret = _basic_credentials(request.headers.get("authorization", ""))
        client = self.confidential_clients.get(client_id)
        if client is None or not secrets.compare_digest(client.secret, secret):
            return Reply.json(400, {"error": "invalid_client"})
        scopes = form.get("scope", "").split()
        if not scopes or not set(scopes) <= client.scopes:
            return Reply.json(400, {"error": "invalid_scope"})
        now = int(time.time())
        token = self.key.sign(
            {"sub": client_id, "client_id": client_id, "scope": " ".join(scopes), "iss": self.issuer,
             "token_use": "access", "iat": now, "exp": now + 900, "jti": secrets.token_hex(8)}
        )  # fmt: skip
        self.issued_tokens.append(token)
        return Reply.json(200, {"access_token": token, "token_type": "Bearer", "expires_in": 900})


def _basic_credentials(header: str) -> tuple[str, str]:
    if not header.startswith("Basic "):
        return "", ""
    try:
        pair = base64.b64decode(header.removeprefix("Basic ")).decode()
    except ValueError:
        return "", ""
    client_id, _, secret = pair.partition(":")
    return unquote(client_id), unquote(secret)

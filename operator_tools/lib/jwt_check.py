"""Verify Cognito tokens the way a careful client must: RS256 signature against the pool's JWKS, then claims.

Guarantees: a token is accepted only if its ``kid`` is in the JWKS, its RS256 signature verifies, its
issuer is the pool, it has not expired (30 s of clock skew allowed), ``token_use`` is the expected one
and, for an ID token, the audience is the client and the nonce is the one this sign-in sent. Every
rejection is a ``TokenRejectedError`` whose message says which check failed and never contains the token.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import jwt

from operator_tools.lib import http_json
from operator_tools.lib.errors import ToolError

CLOCK_SKEW_SECONDS = 30


class TokenRejectedError(ToolError):
    """A token failed verification."""


def fetch_jwks(jwks_url: str, *, timeout: float = http_json.DEFAULT_TIMEOUT_SECONDS) -> jwt.PyJWKSet:
    """Download and parse the pool's JWKS; a ``ToolError`` unless it holds at least one usable key."""
    response = http_json.get(jwks_url, what="JWKS", timeout=timeout)
    if response.status != 200:
        raise ToolError(f"JWKS {jwks_url} answered HTTP {response.status}")
    return parse_jwks(response.json_object("JWKS"), jwks_url)


def parse_jwks(data: Mapping[str, Any], source: str) -> jwt.PyJWKSet:
    """A ``PyJWKSet`` from a JWKS document; keys PyJWT cannot use are skipped, none usable is an error."""
    try:
        return jwt.PyJWKSet.from_dict(dict(data))
    except jwt.PyJWTError as exc:
        raise ToolError(f"JWKS {source} has no usable keys: {exc}") from None


def verify_id_token(
    token: str, jwks: jwt.PyJWKSet, *, issuer: str, client_id: str, nonce: str
) -> dict[str, Any]:
    """The ID token's claims, after every check in the module docstring."""
    claims = _decode(token, jwks, issuer=issuer, audience=client_id, what="ID token")
    _expect(claims, "token_use", "id", "ID token")
    # The nonce binds the token to this sign-in; a replayed or injected ID token carries another one.
    if claims.get("nonce") != nonce:
        raise TokenRejectedError(
            "ID token rejected: nonce does not match the one this sign-in sent (replayed token?)"
        )
    return claims


def verify_access_token(token: str, jwks: jwt.PyJWKSet, *, issuer: str, client_id: str) -> dict[str, Any]:
    """The access token's claims. Cognito access tokens have no ``aud``; ``client_id`` names the client."""
    claims = _decode(token, jwks, issuer=issuer, audience=None, what="access token")
    _expect(claims, "token_use", "access", "access token")
    _expect(claims, "client_id", client_id, "access token")
    return claims


def scopes_of(claims: Mapping[str, Any]) -> frozenset[str]:
    """The scopes in an access token's space-separated ``scope`` claim."""
    scope = claims.get("scope")
    return frozenset(scope.split()) if isinstance(scope, str) else frozenset()


def _decode(
    token: str, jwks: jwt.PyJWKSet, *, issuer: str, audience: str | None, what: str
) -> dict[str, Any]:
    try:
        kid = jwt.get_unverified_header(token).get("kid")
    except jwt.PyJWTError:
        raise TokenRejectedError(f"{what} rejected: not a JWT") from None
    try:
        key = jwks[str(kid)]
    except KeyError:
        raise TokenRejectedError(
            f"{what} rejected: signed with key {kid!r}, which is not in the pool's JWKS"
        ) from None
    required = ["exp", "iat", "iss", "sub", "token_use"] + (["aud"] if audience is not None else [])
    try:
        # Only RS256: accepting the header's own "alg" would let a forger pick "none" or HS256.
        claims: dict[str, Any] = jwt.decode(
            token,
            key,
            algorithms=["RS256"],
            issuer=issuer,
            audience=audience,
            leeway=CLOCK_SKEW_SECONDS,
            options={"require": required, "verify_aud": audience is not None},
        )
    except jwt.InvalidSignatureError:
        raise TokenRejectedError(
            f"{what} rejected: signature does not verify against the pool's JWKS"
        ) from None
    except jwt.ExpiredSignatureError:
        raise TokenRejectedError(
            f"{what} rejected: expired (check this machine's clock if it was just issued)"
        ) from None
    except jwt.InvalidAudienceError:
        raise TokenRejectedError(f"{what} rejected: audience is not client {audience}") from None
    except jwt.InvalidIssuerError:
        raise TokenRejectedError(f"{what} rejected: issuer is not {issuer}") from None
    except jwt.MissingRequiredClaimError as exc:
        raise TokenRejectedError(f"{what} rejected: missing claim {exc.claim!r}") from None
    except jwt.PyJWTError as exc:
        raise TokenRejectedError(f"{what} rejected: {exc}") from None
    return claims


def _expect(claims: Mapping[str, Any], claim: str, wanted: str, what: str) -> None:
    if claims.get(claim) != wanted:
        raise TokenRejectedError(f"{what} rejected: {claim} is {claims.get(claim)!r}, expected {wanted!r}")

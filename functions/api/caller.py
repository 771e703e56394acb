"""The caller's identity, read from the claims API Gateway's Cognito authorizer has already verified.

API Gateway REST passes every claim to the function as a string, so list claims arrive flattened:
``cognito:groups`` as ``"admins,users"`` or ``"[admins users]"``, ``scope`` as ``"api/read api/write"``.
Access tokens name the caller in ``username`` and the app client in ``client_id``; ID tokens use
``cognito:username`` and ``aud`` instead.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Caller:
    """A verified caller. ``sub`` is never empty; claims the token lacks are ``None`` or empty."""

    sub: str
    username: str | None
    email: str | None
    groups: tuple[str, ...]
    scopes: tuple[str, ...]
    token_use: str | None
    client_id: str | None

    def is_member(self, group: str) -> bool:
        """True only if the token lists ``group`` exactly (case-sensitive, as Cognito group names are)."""
        return group in self.groups

    def to_json(self) -> dict[str, Any]:
        """The identity as ``GET /me`` returns it, with lists for groups and scopes."""
        return {
            "sub": self.sub,
            "username": self.username,
            "email": self.email,
            "groups": list(self.groups),
            "scopes": list(self.scopes),
            "token_use": self.token_use,
            "client_id": self.client_id,
        }


def parse_groups(value: object) -> tuple[str, ...]:
    """Split a ``cognito:groups`` claim into group names, whichever way API Gateway flattened it.

    Accepts ``"a,b"``, ``"[a b]"``, a single name, an empty value, or an actual list.
    """
    if isinstance(value, list | tuple):
        return tuple(str(group) for group in value if str(group))
    if not isinstance(value, str):
        return ()
    text = value.strip()
    if text.startswith("[") and text.endswith("]"):
        text = text[1:-1]
    # Cognito group names cannot contain whitespace, so commas and whitespace are both safe separators.
    return tuple(text.replace(",", " ").split())


def parse_scopes(value: object) -> tuple[str, ...]:
    """Split the space-separated ``scope`` claim of an access token; ID tokens have none."""
    return tuple(value.split()) if isinstance(value, str) else ()


def _text(claims: Mapping[str, Any], *names: str) -> str | None:
    for name in names:
        value = claims.get(name)
        if isinstance(value, str) and value:
            return value
    return None


def caller_from_claims(claims: Mapping[str, Any] | None) -> Caller | None:
    """Build the caller from verified claims; ``None`` when there is no subject to identify."""
    if not claims:
        return None
    sub = _text(claims, "sub")
    if sub is None:
        return None
    return Caller(
        sub=sub,
        username=_text(claims, "cognito:username", "username"),
        email=_text(claims, "email"),
        groups=parse_groups(claims.get("cognito:groups")),
        scopes=parse_scopes(claims.get("scope")),
        token_use=_text(claims, "token_use"),
        # An access token carries client_id; an ID token's audience is the client id.
        client_id=_text(claims, "client_id", "aud"),
    )

"""The caller's identity, read from the claims API Gateway's Cognito authorizer has already verified.

API Gateway REST passes every claim to the function as a string, so list claims arrive flattened:
``cognito:groups`` as ``"admins,users"`` (or ``"[admins users]"``, see ``parse_groups``), ``scope`` as
``"api/read api/write"``.
Access tokens name the caller in ``username`` and the app client in ``client_id``; ID tokens use
``cognito:username`` and ``aud`` instead.
"""

from __future__ import annotations

import re
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


class AmbiguousGroupsClaimError(ValueError):
    """The ``cognito:groups`` claim is not in either encoding API Gateway uses, so it cannot be trusted."""


# How the claim reaches the function, as a string (Cognito's token has a JSON array):
# - a REST API's Cognito user pool authorizer joins the names with commas: "ops,admins", or "admins" for
#   one group. AWS does not document it; events from real REST APIs show it, e.g. aws/chalice#783
#   (https://github.com/aws/chalice/issues/783, splitting on ",") and
#   https://openillumi.com/en/en-api-gateway-cognito-jwt-claim-conversion-zero-trust
#   (["group-a", "group-b"] arrives as "group-a,group-b").
# - an HTTP API's JWT authorizer renders the array Go-style, in brackets, space-separated: "[ops admins]"
#   (measured on AWS in https://github.com/floci-io/floci/pull/2011; also https://github.com/
#   aws-solutions-library-samples/guidance-for-claude-code-with-amazon-bedrock/issues/802). The MiniStack
#   emulator renders REST claims that way too (ministack/services/apigateway_v1.py, _stringify_claims).
# Cognito group names cannot contain whitespace, but they may contain "," "[" and "]", which would make
# either encoding ambiguous ("[ops,admins users]": is "ops,admins" one group?). So a name here is a run
# of anything but whitespace, commas and brackets; the config refuses group names outside that
# (cdk_app/config/user_pool.py, GroupConfig), and any claim outside the two encodings is refused. A group
# made by hand outside the config with a comma in its name still reads as two groups in the REST form;
# nothing in the claim can tell, which is why groups are made through the config only.
_NAME = r"[^\s,\[\]]+"
_COMMA_JOINED = re.compile(rf"{_NAME}(?:,{_NAME})*")
_BRACKETED = re.compile(rf"\[(?:{_NAME}(?: {_NAME})*)?\]")


def parse_groups(value: object) -> tuple[str, ...]:
    """The group names in a ``cognito:groups`` claim, exactly as API Gateway encoded them.

    Accepts an absent claim (``None``) or an empty one (no groups), ``"a,b"`` and ``"[a b]"``. Raises
    ``AmbiguousGroupsClaimError`` for anything else: a value that is not a string, spaces around names,
    empty names, mixed separators, stray brackets.
    """
    if value is None or value == "":
        return ()
    if not isinstance(value, str):
        raise AmbiguousGroupsClaimError("cognito:groups is not a string")
    if _BRACKETED.fullmatch(value):
        return tuple(value[1:-1].split(" ")) if len(value) > 2 else ()
    if _COMMA_JOINED.fullmatch(value):
        return tuple(value.split(","))
    raise AmbiguousGroupsClaimError("cognito:groups is in neither of API Gateway's encodings")


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
    """Build the caller from verified claims; ``None`` when there is no subject to identify.

    Raises ``AmbiguousGroupsClaimError`` when the groups claim cannot be read exactly (``parse_groups``).
    """
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

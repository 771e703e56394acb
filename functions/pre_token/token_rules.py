"""What the trigger changes in an access token, as plain functions of the configuration and the event.

Kept apart from the handler so that the rules read (and are tested) without Lambda or Powertools.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass


class ConfigurationError(ValueError):
    """An environment variable the CDK app sets is missing or malformed."""


@dataclass(frozen=True)
class ScopeChanges:
    """Scopes to add to and to remove from one user's access token (sorted, disjoint)."""

    add: tuple[str, ...]
    suppress: tuple[str, ...]


def group_scopes_from(text: str | None) -> dict[str, tuple[str, ...]]:
    """Parse ``GROUP_SCOPES``: a JSON object of group name -> list of scopes."""
    data = _json_object("GROUP_SCOPES", text)
    parsed: dict[str, tuple[str, ...]] = {}
    for group, scopes in data.items():
        if not isinstance(scopes, list) or not all(isinstance(s, str) and s for s in scopes):
            raise ConfigurationError(f"GROUP_SCOPES: {group!r} must map to a list of scopes")
        parsed[group] = tuple(scopes)
    return parsed


def claims_from(text: str | None) -> dict[str, str]:
    """Parse ``CLIENT_CREDENTIALS_CLAIMS``: a JSON object of claim name -> text value."""
    data = _json_object("CLIENT_CREDENTIALS_CLAIMS", text)
    if not all(isinstance(v, str) for v in data.values()):
        raise ConfigurationError("CLIENT_CREDENTIALS_CLAIMS: every value must be text")
    return {str(k): str(v) for k, v in data.items()}


def scope_changes(groups: Iterable[str], group_scopes: Mapping[str, tuple[str, ...]]) -> ScopeChanges:
    """The scopes a member of ``groups`` earns, and every other mapped scope, which is removed.

    Removing the scopes a user did not earn means a client that (against the config's rules) lets users
    request one still never hands it out: only group membership puts a mapped scope in a token.
    Group names match exactly (Cognito group names are case-sensitive).
    """
    member_of = set(groups)
    earned = {s for group, scopes in group_scopes.items() if group in member_of for s in scopes}
    mapped = {s for scopes in group_scopes.values() for s in scopes}
    return ScopeChanges(add=tuple(sorted(earned)), suppress=tuple(sorted(mapped - earned)))


def _json_object(name: str, text: str | None) -> dict[str, object]:
    if text is None:
        raise ConfigurationError(f"{name} is not set")
    try:
        data = json.loads(text)
    except ValueError:
        raise ConfigurationError(f"{name} is not JSON") from None
    if not isinstance(data, dict):
        raise ConfigurationError(f"{name} must be a JSON object")
    return data

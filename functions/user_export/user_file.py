"""The user file: one home for the format that ``make export-users`` and the scheduled export write and
``make restore-users`` reads.

Plain Python (standard library only, no project import, no relative import), because it has two
readers: the scheduled export's Lambda, whose asset is this folder (imported there as ``user_file``),
and the operator tools (``functions.user_export.user_file``). So the format is written once.

The file is JSON Lines, UTF-8:

- line 1, the header: ``{"format": "cognito-sso-users", "version": 1, "environment": ..., "user_pool_id":
  ..., "exported_at": "<UTC, ISO 8601>"}``;
- one line per user: ``{"username", "sub", "status", "enabled", "groups", "identities", "attributes",
  "created_at"}``. ``attributes`` holds every attribute Cognito returns except ``sub`` and
  ``identities``, which have their own keys; ``identities`` is the parsed ``identities`` attribute
  (a federated or linked user's provider and provider user ID), empty for a native user;
- the last line, ``{"format": "cognito-sso-users", "end": true, "users": N}``, so a file cut short is
  refused instead of restoring part of a pool.

Guarantees: a record can hold no password, secret or token, because reading refuses any key the format
does not name; every reading error is a ``UserFileError`` naming the line and the reason, and never
quotes a value from the file (values are personal data).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field, fields
from datetime import UTC, datetime
from typing import Any, Protocol

FORMAT = "cognito-sso-users"
VERSION = 1
FEDERATED_STATUS = "EXTERNAL_PROVIDER"
STATUSES = frozenset(
    {
        "UNCONFIRMED", "CONFIRMED", "ARCHIVED", "COMPROMISED", "UNKNOWN", "RESET_REQUIRED",
        "FORCE_CHANGE_PASSWORD", FEDERATED_STATUS,
    }
)  # fmt: skip
# Attributes with their own key in a record; never listed under "attributes".
OWN_KEYS = frozenset({"sub", "identities"})
_END_KEYS = frozenset({"format", "end", "users"})


class UserFileError(ValueError):
    """A line the format refuses: ``line`` (1-based) and a ``reason`` that quotes no user data."""

    def __init__(self, line: int, reason: str) -> None:
        super().__init__(f"line {line}: {reason}")
        self.line = line
        self.reason = reason


@dataclass(frozen=True)
class Header:
    """Where and when a file was exported."""

    environment: str
    user_pool_id: str
    exported_at: str


@dataclass(frozen=True)
class Identity:
    """One provider identity of a user: a federated user's own, or one linked to a native user."""

    provider: str
    user_id: str
    provider_type: str | None = None
    primary: bool = False


@dataclass(frozen=True)
class UserRecord:
    """One user as exported. ``attributes`` excludes ``sub`` and ``identities`` (their own fields)."""

    username: str
    sub: str
    status: str
    enabled: bool
    groups: tuple[str, ...] = ()
    identities: tuple[Identity, ...] = ()
    attributes: Mapping[str, str] = field(default_factory=dict)
    created_at: str | None = None

    @property
    def federated(self) -> bool:
        """Created by Cognito at a federated sign-in (status ``EXTERNAL_PROVIDER``), not by an admin."""
        return self.status == FEDERATED_STATUS


# A line holds exactly these keys, in this order (the dataclasses' fields).
_HEADER_KEYS = frozenset({"format", "version"} | {f.name for f in fields(Header)})
_USER_KEYS = frozenset(f.name for f in fields(UserRecord))
_IDENTITY_KEYS = frozenset(f.name for f in fields(Identity))


class LineWriter(Protocol):
    """Where ``write_users`` writes: a text file, or a buffer the Lambda uploads."""

    def write(self, text: str, /) -> int: ...


def utc_timestamp(moment: datetime) -> str:
    """``2026-05-01T06:00:00Z``: a time in the file, always UTC, to the second."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def is_provider_group(pool_id: str, group: str) -> bool:
    """Cognito's own group for a provider's users, ``<pool id>_<provider>``: it makes one per provider,
    adds each federated user itself, and a new pool has its own. Never exported or restored."""
    return group.startswith(f"{pool_id}_")


def user_record(user: Mapping[str, Any], groups: Iterable[str]) -> UserRecord:
    """A record from Cognito's ``UserType`` (a ``ListUsers`` item) and the user's group names."""
    attributes = {str(a["Name"]): str(a.get("Value", "")) for a in user.get("Attributes", [])}
    created = user.get("UserCreateDate")
    return UserRecord(
        username=str(user["Username"]),
        sub=attributes.get("sub", ""),
        status=str(user.get("UserStatus", "UNKNOWN")),
        enabled=bool(user.get("Enabled", True)),
        groups=tuple(sorted(set(groups))),
        identities=_identities_attribute(attributes.get("identities")),
        attributes={k: v for k, v in sorted(attributes.items()) if k not in OWN_KEYS},
        created_at=utc_timestamp(created) if isinstance(created, datetime) else None,
    )


def write_users(out: LineWriter, header: Header, records: Iterable[UserRecord]) -> int:
    """Write the header, one line per record and the closing line; return the number of users."""
    out.write(_line({"format": FORMAT, "version": VERSION, **asdict(header)}))
    count = 0
    for record in records:
        out.write(_line(asdict(record)))
        count += 1
    out.write(_line({"format": FORMAT, "end": True, "users": count}))
    return count


def read_users(lines: Iterable[str]) -> tuple[Header, list[tuple[int, UserRecord]]]:
    """Parse a whole file: its header and ``(line number, record)`` for every user, in file order.

    Raises ``UserFileError`` for the first line the format refuses, including a file with no closing
    line (cut short) and a username that repeats an earlier line's.
    """
    numbered = enumerate(lines, start=1)
    header = _parse_header(next(numbered, (1, "")))
    records: list[tuple[int, UserRecord]] = []
    seen: dict[str, int] = {}
    for number, text in numbered:
        data = _json_object(number, text)
        if "format" in data:
            _parse_end(number, data, len(records))
            if next(numbered, None) is not None:
                raise UserFileError(number + 1, "text after the closing line")
            return header, records
        record = _parse_user(number, data)
        if record.username in seen:
            raise UserFileError(number, f"the same username as line {seen[record.username]}")
        seen[record.username] = number
        records.append((number, record))
    raise UserFileError(len(records) + 2, "the file ends without its closing line (a cut-short export)")


def _line(data: Mapping[str, Any]) -> str:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n"


def _identities_attribute(text: str | None) -> tuple[Identity, ...]:
    """Cognito's ``identities`` attribute: JSON text, a list of ``{userId, providerName, ...}``."""
    if not text:
        return ()
    try:
        items = json.loads(text)
    except ValueError:
        return ()
    found = []
    for item in items if isinstance(items, list) else []:
        if isinstance(item, dict) and item.get("providerName") and item.get("userId"):
            found.append(
                Identity(
                    provider=str(item["providerName"]),
                    user_id=str(item["userId"]),
                    provider_type=str(item["providerType"]) if item.get("providerType") else None,
                    # Cognito writes it as a JSON boolean or as the text "true".
                    primary=item.get("primary") in (True, "true"),
                )
            )
    return tuple(found)


def _json_object(number: int, text: str) -> dict[str, Any]:
    if not text.strip():
        raise UserFileError(number, "an empty line")
    try:
        data = json.loads(text)
    except ValueError:
        raise UserFileError(number, "not valid JSON") from None
    if not isinstance(data, dict):
        raise UserFileError(number, "not a JSON object")
    return data


def _parse_header(first: tuple[int, str]) -> Header:
    number, text = first
    try:
        data = _json_object(number, text)
    except UserFileError:
        data = {}
    if data.get("format") != FORMAT:
        raise UserFileError(number, f"not a {FORMAT} file: line 1 is not its header")
    if data.get("version") != VERSION:
        raise UserFileError(number, f"format version {data.get('version')!r}; this tool reads {VERSION}")
    _exact_keys(number, data, _HEADER_KEYS, "the header")
    return Header(*(_text(number, data, f.name) for f in fields(Header)))


def _parse_end(number: int, data: Mapping[str, Any], count: int) -> None:
    _exact_keys(number, data, _END_KEYS, "the closing line")
    if data.get("format") != FORMAT or data.get("end") is not True:
        raise UserFileError(number, "a second header, or a closing line that is not this format's")
    users = data.get("users")
    if users != count:
        raise UserFileError(number, f"the closing line counts {users!r} users, the file holds {count}")


def _parse_user(number: int, data: Mapping[str, Any]) -> UserRecord:
    _exact_keys(number, data, _USER_KEYS, "a user")
    status = _text(number, data, "status")
    if status not in STATUSES:
        raise UserFileError(number, "status is not a Cognito user status")
    enabled = data["enabled"]
    if not isinstance(enabled, bool):
        raise UserFileError(number, "enabled is not true or false")
    groups = data["groups"]
    if not isinstance(groups, list) or not all(isinstance(g, str) and g for g in groups):
        raise UserFileError(number, "groups is not a list of group names")
    if len(set(groups)) != len(groups):
        raise UserFileError(number, "a group is listed twice")
    attributes = data["attributes"]
    if not isinstance(attributes, dict) or not all(
        isinstance(k, str) and k and isinstance(v, str) for k, v in attributes.items()
    ):
        raise UserFileError(number, "attributes is not an object of attribute names to text")
    for name in sorted(OWN_KEYS & attributes.keys()):
        raise UserFileError(number, f"attribute {name} belongs in its own field, not under attributes")
    created = data["created_at"]
    if created is not None and not isinstance(created, str):
        raise UserFileError(number, "created_at is neither a time nor null")
    return UserRecord(
        username=_text(number, data, "username"),
        sub=_text(number, data, "sub"),
        status=status,
        enabled=enabled,
        groups=tuple(groups),
        identities=_parse_identities(number, data["identities"]),
        attributes=dict(attributes),
        created_at=created,
    )


def _parse_identities(number: int, items: Any) -> tuple[Identity, ...]:
    if not isinstance(items, list):
        raise UserFileError(number, "identities is not a list")
    parsed = []
    for item in items:
        if not isinstance(item, dict):
            raise UserFileError(number, "an identity is not an object")
        _exact_keys(number, item, _IDENTITY_KEYS, "an identity")
        kind = item["provider_type"]
        if (kind is not None and not isinstance(kind, str)) or not isinstance(item["primary"], bool):
            raise UserFileError(number, "an identity's provider_type or primary has the wrong type")
        parsed.append(
            Identity(_text(number, item, "provider"), _text(number, item, "user_id"), kind, item["primary"])
        )
    return tuple(parsed)


def _exact_keys(number: int, data: Mapping[str, Any], keys: frozenset[str], what: str) -> None:
    unknown = sorted(set(data) - keys)
    if unknown:
        # A key name is the format's vocabulary, not user data; this is how a password field is refused.
        raise UserFileError(number, f"{what} has a field this format does not have: {unknown[0]!r}")
    missing = sorted(keys - set(data))
    if missing:
        raise UserFileError(number, f"{what} has no {missing[0]!r}")


def _text(number: int, data: Mapping[str, Any], key: str) -> str:
    value = data.get(key)
    if not isinstance(value, str) or not value:
        raise UserFileError(number, f"{key} is not a non-empty text")
    return value

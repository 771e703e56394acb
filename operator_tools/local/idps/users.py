"""Each local IdP's one test user, kept in a 0600 JSON file that the IdP rereads at every sign-in.

Guarantees: the password is random (``secrets``, 24 URL-safe characters), lives only in that file and
is never part of a ``repr``, a message or a log line; a second ``ensure`` keeps the password and the
groups; ``set_groups`` changes only the groups, so the IdP's next sign-in asserts the new ones.
"""

from __future__ import annotations

import hmac
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from operator_tools.local.idps.errors import IdpError
from operator_tools.local.idps.private_files import read_json, write_private_json

DEFAULT_GROUPS = ("engineering",)


@dataclass(frozen=True)
class IdpUser:
    """A test user as the IdP sees it; ``password`` is only held, never shown."""

    username: str
    email: str
    name: str
    groups: tuple[str, ...]
    password: str

    def __repr__(self) -> str:
        return f"IdpUser(username={self.username!r}, email={self.email!r}, groups={self.groups!r})"

    def accepts(self, username: str, password: str) -> bool:
        """True if both match; compared in constant time."""
        same_user = hmac.compare_digest(username.encode("utf-8"), self.username.encode("utf-8"))
        same_password = hmac.compare_digest(password.encode("utf-8"), self.password.encode("utf-8"))
        return same_user and same_password


def ensure(path: Path, username: str, email: str, name: str) -> IdpUser:
    """The user in ``path`` if it is this one, else a new one in ``DEFAULT_GROUPS`` with a new password."""
    try:
        current = load(path)
    except IdpError:
        current = None
    if current is not None and (current.username, current.email, current.name) == (username, email, name):
        return current
    user = IdpUser(username, email, name, DEFAULT_GROUPS, secrets.token_urlsafe(18))
    _save(path, user)
    return user


def load(path: Path) -> IdpUser:
    """The user in ``path``; an ``IdpError`` naming the file if it is missing or malformed."""
    data = read_json(path)
    try:
        return _from_json(data)
    except (TypeError, KeyError, ValueError):
        raise IdpError(f"{path} holds no test user; `make up` makes it again") from None


def set_groups(path: Path, groups: tuple[str, ...]) -> IdpUser:
    """Give the user in ``path`` exactly ``groups``; the password is kept."""
    if not all(isinstance(g, str) and g and g == g.strip() for g in groups):
        raise IdpError(f"group names must be non-empty strings without surrounding spaces: {groups!r}")
    user = load(path)
    changed = IdpUser(user.username, user.email, user.name, tuple(groups), user.password)
    _save(path, changed)
    return changed


def _from_json(data: Any) -> IdpUser:
    fields = ("username", "email", "name", "password")
    if not isinstance(data, dict) or not all(isinstance(data.get(k), str) and data[k] for k in fields):
        raise ValueError("incomplete")
    groups = data["groups"]
    if not isinstance(groups, list) or not all(isinstance(g, str) for g in groups):
        raise ValueError("groups")
    return IdpUser(data["username"], data["email"], data["name"], tuple(groups), data["password"])


def _save(path: Path, user: IdpUser) -> None:
    write_private_json(
        path,
        {
            "username": user.username,
            "email": user.email,
            "name": user.name,
            "groups": list(user.groups),
            "password": user.password,
        },
    )

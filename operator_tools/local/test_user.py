"""The local deployment's test user: created once, its password kept in a 0600 file, never printed.

Guarantees: the password is random (``secrets``), satisfies any policy the config allows (upper,
lower, digit and symbol, 24 characters), is set as permanent (no forced change on first sign-in),
and lives only in ``.local/<env>-test-user.json``, readable by its owner. A second ``ensure`` reuses
the user and the file; if the file is gone the password is reset and written again.
"""

from __future__ import annotations

import json
import os
import secrets
import string
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from operator_tools.lib.errors import ToolError

_SYMBOLS = "^$*.[]{}()?-!@#%&/,><:;|_~"


@dataclass(frozen=True)
class TestUser:
    """A user of the local pool; ``password_file`` is where the password is, never the password."""

    __test__ = False  # not a pytest test class, whatever its name

    username: str
    password: str
    password_file: Path

    def __repr__(self) -> str:
        return f"TestUser(username={self.username!r}, password_file={str(self.password_file)!r})"


def new_password() -> str:
    """24 random characters with at least one of each class Cognito's password policy can require."""
    classes = (string.ascii_uppercase, string.ascii_lowercase, string.digits, _SYMBOLS)
    alphabet = "".join(classes)
    while True:
        password = "".join(secrets.choice(alphabet) for _ in range(24))
        if all(any(ch in group for ch in password) for group in classes):
            return password


def ensure(cognito: Any, pool_id: str, username: str, group: str | None, password_file: Path) -> TestUser:
    """Create ``username`` in the pool (verified email, permanent password, in ``group``) unless it exists."""
    saved = _read(password_file, username)
    present = exists(cognito, pool_id, username)
    if present and saved is not None:
        return TestUser(username, saved, password_file)
    password = new_password()
    if not present:
        cognito.admin_create_user(
            UserPoolId=pool_id,
            Username=username,
            UserAttributes=[
                {"Name": "email", "Value": username},
                {"Name": "email_verified", "Value": "true"},
            ],
            MessageAction="SUPPRESS",
        )
    cognito.admin_set_user_password(UserPoolId=pool_id, Username=username, Password=password, Permanent=True)
    if group:
        cognito.admin_add_user_to_group(UserPoolId=pool_id, Username=username, GroupName=group)
    _write(password_file, username, password)
    return TestUser(username, password, password_file)


def exists(cognito: Any, pool_id: str, username: str) -> bool:
    """True if the pool has a user of that name."""
    try:
        cognito.admin_get_user(UserPoolId=pool_id, Username=username)
    except cognito.exceptions.UserNotFoundException:
        return False
    return True


def _read(path: Path, username: str) -> str | None:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or data.get("username") != username:
        return None
    password = data.get("password")
    return password if isinstance(password, str) and password else None


def _write(path: Path, username: str, password: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        # O_NOFOLLOW: never write a password through a symlink someone else planted.
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_NOFOLLOW, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            os.fchmod(handle.fileno(), 0o600)
            json.dump({"username": username, "password": password}, handle)
    except OSError as exc:
        raise ToolError(f"cannot write the test user's password file {path}: {exc.strerror}") from None

"""The local test user: a strong password that lives only in a 0600 file and never in a repr."""

from __future__ import annotations

import json
import stat
import string
from pathlib import Path
from typing import Any

import pytest

from operator_tools.local import test_user


class FakeCognito:
    """Records the calls ``ensure`` makes; users exist once created."""

    class exceptions:  # noqa: N801 - boto3's attribute name
        class UserNotFoundException(Exception):  # noqa: N818 - boto3's name
            pass

    def __init__(self, existing: bool = False) -> None:
        self.users = {"test-user@local.localhost"} if existing else set()
        self.calls: list[tuple[str, dict[str, Any]]] = []

    def admin_get_user(self, **kwargs: Any) -> dict[str, Any]:
        if kwargs["Username"] not in self.users:
            raise self.exceptions.UserNotFoundException
        return {}

    def admin_create_user(self, **kwargs: Any) -> None:
        self.calls.append(("create", kwargs))
        self.users.add(kwargs["Username"])

    def admin_set_user_password(self, **kwargs: Any) -> None:
        self.calls.append(("password", kwargs))

    def admin_add_user_to_group(self, **kwargs: Any) -> None:
        self.calls.append(("group", kwargs))


USER = "test-user@local.localhost"


def test_passwords_have_every_character_class_cognito_can_require() -> None:
    for _ in range(50):
        password = test_user.new_password()
        assert len(password) == 24
        assert any(c in string.ascii_uppercase for c in password)
        assert any(c in string.ascii_lowercase for c in password)
        assert any(c in string.digits for c in password)
        assert any(not c.isalnum() for c in password)


def test_a_new_user_is_created_verified_with_a_permanent_password_kept_only_in_a_0600_file(
    tmp_path: Path,
) -> None:
    cognito = FakeCognito()
    path = tmp_path / "local-test-user.json"
    user = test_user.ensure(cognito, "pool", USER, "admins", path)
    kinds = [kind for kind, _ in cognito.calls]
    assert kinds == ["create", "password", "group"]
    create, password = cognito.calls[0][1], cognito.calls[1][1]
    assert create["MessageAction"] == "SUPPRESS"
    assert {"Name": "email_verified", "Value": "true"} in create["UserAttributes"]
    assert password["Permanent"] is True
    assert password["Password"] == user.password
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert json.loads(path.read_text()) == {"username": USER, "password": user.password}
    assert user.password not in repr(user)


def test_a_second_run_reuses_the_user_and_its_password(tmp_path: Path) -> None:
    cognito = FakeCognito()
    path = tmp_path / "local-test-user.json"
    first = test_user.ensure(cognito, "pool", USER, None, path)
    cognito.calls.clear()
    again = test_user.ensure(cognito, "pool", USER, None, path)
    assert again.password == first.password
    assert cognito.calls == []


def test_a_lost_password_file_resets_the_password_of_the_existing_user(tmp_path: Path) -> None:
    cognito = FakeCognito(existing=True)
    user = test_user.ensure(cognito, "pool", USER, None, tmp_path / "gone.json")
    assert [kind for kind, _ in cognito.calls] == ["password"]
    assert json.loads((tmp_path / "gone.json").read_text())["password"] == user.password


def test_the_password_is_never_written_through_a_planted_symlink(tmp_path: Path) -> None:
    target = tmp_path / "elsewhere"
    link = tmp_path / "local-test-user.json"
    link.symlink_to(target)
    with pytest.raises(test_user.ToolError, match="cannot write the test user's password file"):
        test_user.ensure(FakeCognito(), "pool", USER, None, link)
    assert not target.exists()

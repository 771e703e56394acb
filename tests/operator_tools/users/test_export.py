"""``make export-users``: every user, paged, to a file that is private from its first byte."""

from __future__ import annotations

import io
import json
import math
import os
from datetime import UTC, datetime
from pathlib import Path

import pytest

from cdk_app.config import EnvironmentConfig
from operator_tools.lib.errors import ToolError
from operator_tools.users import export, progress
from operator_tools.users.export import export_users, write_private
from operator_tools.verbs.export_users import run_export
from tests.operator_tools.users.conftest import calls_to, deployed
from tests.operator_tools.users.fake_cognito import FakeCognito

NOW = datetime(2026, 5, 1, 6, 0, tzinfo=UTC)


def lines_of(path: Path) -> list[dict[str, object]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_every_user_is_exported_across_pages_with_groups_listed_per_group_not_per_user(
    tmp_path: Path,
) -> None:
    fake = FakeCognito(page=7)
    admins = {
        fake.add_user({"email": f"admin{n}@example.com"}, groups=["users", "admins"]).username
        for n in range(3)
    }
    for n in range(27):
        fake.add_user({"email": f"user{n}@example.com"}, groups=["users"])
    path = tmp_path / "users.jsonl"

    count = export_users(calls_to(fake), "dev", fake.pool_id, path, now=NOW)

    lines = lines_of(path)
    assert count == 30
    assert lines[0] == {
        "format": "cognito-sso-users",
        "version": 1,
        "environment": "dev",
        "user_pool_id": fake.pool_id,
        "exported_at": "2026-05-01T06:00:00Z",
    }
    assert lines[-1] == {"format": "cognito-sso-users", "end": True, "users": 30}
    exported = {str(u["username"]): u for u in lines[1:-1]}
    assert exported.keys() == fake.users.keys()
    assert {name for name, u in exported.items() if u["groups"] == ["admins", "users"]} == admins
    assert all(u["groups"] == ["users"] for name, u in exported.items() if name not in admins)
    operations = [op for op, _ in fake.calls]
    # 30 users in pages of 7; the memberships cost one call per page of a group's members.
    assert operations.count("ListUsers") == math.ceil(30 / 7)
    assert operations.count("ListUsersInGroup") == math.ceil(30 / 7) + 1
    assert "AdminListGroupsForUser" not in operations


def test_a_federated_user_keeps_provider_and_id_but_not_cognitos_own_provider_group(tmp_path: Path) -> None:
    fake = FakeCognito()
    fake.federated_sign_in("Corp", "corp-42", {"email": "f@example.com"})
    fake.find("Corp_corp-42").groups.add("users")
    fake.groups["users"].append("Corp_corp-42")
    path = tmp_path / "users.jsonl"

    export_users(calls_to(fake), "dev", fake.pool_id, path, now=NOW)

    (user,) = lines_of(path)[1:-1]
    assert user["status"] == "EXTERNAL_PROVIDER"
    assert user["groups"] == ["users"]
    assert user["identities"] == [
        {"provider": "Corp", "user_id": "corp-42", "provider_type": "OIDC", "primary": True}
    ]


def test_the_file_is_0600_while_it_is_written_and_after_even_with_an_open_umask(tmp_path: Path) -> None:
    path = tmp_path / "users.jsonl"
    modes = []

    def write(out: io.TextIOBase) -> int:
        modes.append(os.fstat(out.fileno()).st_mode & 0o777)
        return 0

    old = os.umask(0)
    try:
        write_private(path, write)
    finally:
        os.umask(old)

    assert modes == [0o600]
    assert path.stat().st_mode & 0o777 == 0o600


def test_a_failure_part_way_leaves_neither_the_file_nor_a_temporary_one(tmp_path: Path) -> None:
    fake = FakeCognito(page=2)
    for n in range(5):
        fake.add_user({"email": f"user{n}@example.com"})
    fake.failures["ListUsers"] = "InternalErrorException"

    with pytest.raises(ToolError, match="ListUsers failed: InternalErrorException"):
        export_users(calls_to(fake), "dev", fake.pool_id, tmp_path / "users.jsonl", now=NOW)

    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("kind", ["file", "symlink"])
def test_an_existing_file_is_never_overwritten(tmp_path: Path, kind: str) -> None:
    path = tmp_path / "users.jsonl"
    if kind == "file":
        path.write_text("an older export\n")
    else:
        path.symlink_to(tmp_path / "elsewhere")

    with pytest.raises(ToolError, match="already exists; an export never overwrites one"):
        write_private(path, lambda out: 0)

    assert sorted(p.name for p in tmp_path.iterdir()) == ["users.jsonl"]


def test_the_default_file_is_in_the_git_ignored_exports_folder() -> None:
    path = export.default_path("prod", NOW)

    assert path == export.EXPORT_DIR / "users-prod-20260501T060000Z.jsonl"
    assert export.EXPORT_DIR.relative_to(Path(__file__).resolve().parents[3]) == Path(".local/exports")


def test_the_verb_prints_counts_only_never_a_user(
    tmp_path: Path, dev_config: EnvironmentConfig, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(progress, "PROGRESS_INTERVAL_SECONDS", 0.0)
    fake = FakeCognito(page=2)
    for n in range(5):
        fake.add_user({"email": f"user{n}@example.com", "name": f"Person {n}"})
    out, err = io.StringIO(), io.StringIO()
    path = tmp_path / "users.jsonl"

    run_export(deployed(dev_config, fake.pool_id), path, calls=calls_to(fake), now=NOW, out=out, err=err)

    assert out.getvalue() == f"export: 5 users of dev (pool {fake.pool_id}) written to {path} (mode 0600)\n"
    assert err.getvalue().splitlines()[-1] == "export: 5 of about 5 users read"
    shown = out.getvalue() + err.getvalue()
    assert not any(
        name in shown for user in fake.users.values() for name in (user.username, *user.attributes.values())
    )

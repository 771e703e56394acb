"""``make restore-users`` against an in-memory pool: what comes back, what Cognito is asked, what is
never sent, that a second run is a no-op, and that a bad line changes nothing at all."""

from __future__ import annotations

import io
from datetime import UTC, datetime
from pathlib import Path

import pytest

from cdk_app.config import EnvironmentConfig
from operator_tools.lib.errors import ToolError
from operator_tools.users.export import export_users
from operator_tools.users.file_reader import read_user_file
from operator_tools.verbs.restore_users import run_restore
from tests.operator_tools.users.conftest import calls_to, deployed
from tests.operator_tools.users.fake_cognito import FakeCognito, FakeUser

NOW = datetime(2026, 5, 1, 6, 0, tzinfo=UTC)
ALICE = {"email": "alice@example.com", "email_verified": "true", "name": "Alice", "custom:tenant": "t1"}
BOB = {"email": "bob@example.com", "email_verified": "true", "name": "Bob"}
CAROL = {"email": "carol@example.com", "email_verified": "false"}


def source_pool() -> FakeCognito:
    """Alice (admins, users), Bob (disabled), Carol (invited, never signed in, unverified)."""
    old = FakeCognito(pool_id="eu-west-1_Old")
    old.add_user(dict(ALICE), groups=["admins", "users"])
    old.add_user(dict(BOB), groups=["users"], enabled=False)
    old.add_user(dict(CAROL), status="FORCE_CHANGE_PASSWORD")
    return old


def exported(tmp_path: Path, pool: FakeCognito, env: str = "dev") -> Path:
    path = tmp_path / f"users-{len(list(tmp_path.iterdir()))}.jsonl"
    export_users(calls_to(pool), env, pool.pool_id, path, now=NOW)
    return path


def restore(config: EnvironmentConfig, target: FakeCognito, path: Path, **options: object) -> str:
    header, records = read_user_file(path, io.StringIO())
    out = io.StringIO()
    run_restore(
        deployed(config, target.pool_id),
        path,
        header,
        records,
        calls=calls_to(target),
        out=out,
        err=io.StringIO(),
        **options,
    )
    return out.getvalue()


def profile(user: FakeUser) -> tuple[dict[str, str], set[str], bool]:
    attributes = {k: v for k, v in user.attributes.items() if k not in ("sub", "identities")}
    return attributes, user.groups, user.enabled


def test_native_users_come_back_with_attributes_groups_and_state_and_no_invitation(
    tmp_path: Path, dev_config: EnvironmentConfig
) -> None:
    old, new = source_pool(), FakeCognito()

    said = restore(dev_config, new, exported(tmp_path, old))

    assert said.splitlines() == [
        "restore: 3 created, 0 updated, 0 unchanged",
        "restore: 1 users must reset their password; Cognito sends each a code",
        "restore: 2 new users cannot reset a password themselves (disabled, never signed in, or no "
        "verified email or phone); see docs/operating.md to invite them",
    ]
    for before in old.users.values():
        after = new.find(before.attributes["email"])
        assert profile(after) == profile(before)
        assert after.attributes["sub"] != before.attributes["sub"]  # Cognito gives each a new one
    assert new.find("alice@example.com").status == "RESET_REQUIRED"
    assert new.find("bob@example.com").status == "FORCE_CHANGE_PASSWORD"
    assert new.find("carol@example.com").status == "FORCE_CHANGE_PASSWORD"
    # The one message is Alice's reset code: no invitation, no temporary password, nothing to Bob.
    assert new.messages == [("password reset code", new.find("alice@example.com").username)]
    creates = [params for op, params in new.calls if op == "AdminCreateUser"]
    assert all(p["MessageAction"] == "SUPPRESS" and "TemporaryPassword" not in p for p in creates)
    assert all(a["Name"] not in ("sub", "identities") for p in creates for a in p["UserAttributes"])


def test_a_disabled_user_is_disabled_right_after_it_is_created(
    tmp_path: Path, dev_config: EnvironmentConfig
) -> None:
    old = FakeCognito(pool_id="eu-west-1_Old")
    old.add_user(dict(BOB), groups=["users"], enabled=False)
    new = FakeCognito()

    restore(dev_config, new, exported(tmp_path, old))

    assert new.writes() == ["AdminCreateUser", "AdminDisableUser", "AdminAddUserToGroup"]


def test_a_second_restore_changes_nothing_and_says_so(tmp_path: Path, dev_config: EnvironmentConfig) -> None:
    new, path = FakeCognito(), exported(tmp_path, source_pool())
    restore(dev_config, new, path)
    new.calls.clear()

    said = restore(dev_config, new, path)

    assert said == "restore: 0 created, 0 updated, 3 unchanged\n"
    assert new.writes() == []


def test_federated_users_return_at_sign_in_and_a_later_restore_gives_back_groups_and_state(
    tmp_path: Path, dev_config: EnvironmentConfig
) -> None:
    old = FakeCognito(pool_id="eu-west-1_Old")
    federated = old.federated_sign_in("Corp", "corp-42", {"email": "f@example.com"})
    old.groups["admins"].append(federated.username)
    federated.groups.add("admins")
    federated.enabled = False
    new, path = FakeCognito(), exported(tmp_path, old)

    before_sign_in = restore(dev_config, new, path)
    assert before_sign_in == (
        "restore: 0 created, 0 updated, 0 unchanged, 1 federated users come back at their next sign-in\n"
    )
    assert new.writes() == []

    new.federated_sign_in("Corp", "corp-42", {"email": "f@example.com"})
    after_sign_in = restore(dev_config, new, path)

    assert after_sign_in == "restore: 0 created, 1 updated, 0 unchanged\n"
    again = new.find("Corp_corp-42")
    assert again.groups == {"admins", f"{new.pool_id}_Corp"}
    assert not again.enabled
    assert new.writes() == ["AdminDisableUser", "AdminAddUserToGroup"]


def test_a_native_user_linked_to_a_provider_is_linked_again(
    tmp_path: Path, dev_config: EnvironmentConfig
) -> None:
    old = FakeCognito(pool_id="eu-west-1_Old")
    dave = old.add_user({"email": "dave@example.com", "email_verified": "true"})
    old.admin_link_provider_for_user(
        UserPoolId=old.pool_id,
        DestinationUser={"ProviderName": "Cognito", "ProviderAttributeValue": dave.username},
        SourceUser={
            "ProviderName": "Corp",
            "ProviderAttributeName": "Cognito_Subject",
            "ProviderAttributeValue": "c-7",
        },
    )
    new = FakeCognito()

    restore(dev_config, new, exported(tmp_path, old))

    (link,) = [params for op, params in new.calls if op == "AdminLinkProviderForUser"]
    assert link["DestinationUser"] == {
        "ProviderName": "Cognito",
        "ProviderAttributeValue": new.find("dave@example.com").username,
    }
    assert link["SourceUser"] == {
        "ProviderName": "Corp",
        "ProviderAttributeName": "Cognito_Subject",
        "ProviderAttributeValue": "c-7",
    }


def test_an_email_pool_matches_users_by_email_ignoring_case_and_updates_only_what_differs(
    tmp_path: Path, dev_config: EnvironmentConfig
) -> None:
    new = FakeCognito()
    present = new.add_user({"email": "ALICE@example.com", "email_verified": "true", "name": "Old name"})
    present.status = "CONFIRMED"

    said = restore(dev_config, new, exported(tmp_path, source_pool()))

    assert said.splitlines()[0] == "restore: 2 created, 1 updated, 0 unchanged"
    updates = [params for op, params in new.calls if op == "AdminUpdateUserAttributes"]
    assert [u["UserAttributes"] for u in updates] == [
        [{"Name": "custom:tenant", "Value": "t1"}, {"Name": "name", "Value": "Alice"}]
    ]
    assert present.groups == {"admins", "users"}
    assert present.status == "CONFIRMED"  # an existing user's password is never touched


def test_a_changed_address_is_written_with_its_verified_flag_so_no_verification_is_sent(
    tmp_path: Path, dev_config: EnvironmentConfig
) -> None:
    old, new = (
        FakeCognito(pool_id="eu-west-1_Old", username_attributes=()),
        FakeCognito(username_attributes=()),
    )
    old.add_user({"username": "alice", "email": "new@example.com", "email_verified": "true"})
    new.add_user({"username": "alice", "email": "old@example.com", "email_verified": "true"})

    restore(dev_config, new, exported(tmp_path, old))

    (update,) = [params for op, params in new.calls if op == "AdminUpdateUserAttributes"]
    assert update["Username"] == "alice"
    assert update["UserAttributes"] == [
        {"Name": "email", "Value": "new@example.com"},
        {"Name": "email_verified", "Value": "true"},
    ]


def test_a_restore_stopped_before_the_reset_marks_the_user_on_its_next_run(
    tmp_path: Path, dev_config: EnvironmentConfig
) -> None:
    new, path = FakeCognito(), exported(tmp_path, source_pool())
    new.failures["AdminSetUserPassword"] = "InternalErrorException"

    with pytest.raises(ToolError) as stopped:
        restore(dev_config, new, path)
    assert str(stopped.value) == (
        f"{path} line 2: AdminSetUserPassword failed: InternalErrorException: injected by the test; "
        "the user is partly restored; run the restore again to finish it"
    )

    said = restore(dev_config, new, path)

    assert said.splitlines()[0] == "restore: 2 created, 1 updated, 0 unchanged"
    assert new.find("alice@example.com").status == "RESET_REQUIRED"


def test_no_reset_where_the_pools_account_recovery_cannot_reach_the_user(
    tmp_path: Path, dev_config: EnvironmentConfig
) -> None:
    new = FakeCognito(recovery=["verified_phone_number"])

    said = restore(dev_config, new, exported(tmp_path, source_pool()))

    assert "must reset" not in said
    assert "AdminResetUserPassword" not in new.writes()
    assert new.messages == []


def test_a_dry_run_says_what_would_change_and_changes_nothing(
    tmp_path: Path, dev_config: EnvironmentConfig
) -> None:
    new = FakeCognito()

    said = restore(dev_config, new, exported(tmp_path, source_pool()), dry_run=True)

    assert said.splitlines()[0] == "restore (dry run, nothing changed): 3 to create, 0 to update, 0 unchanged"
    assert new.writes() == []

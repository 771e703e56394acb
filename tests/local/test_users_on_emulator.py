"""A pool's users survive its loss, on the real emulator: export, delete the pool, create a new one,
restore, compare; a second restore changes nothing. The test starts (and stops) its own emulator and
makes the pools with the Cognito API directly, in the shape the Identity stack gives them (users sign
in with their email, case-insensitive, a custom attribute, two groups, account recovery by email).

It reads the pools back with the Cognito API itself (ListUsers, AdminListGroupsForUser), not with
the code under test, and the emulator's outbox shows which messages Cognito sent.
"""

from __future__ import annotations

import io
import json
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest

from cdk_app.config.loading import load_environment
from operator_tools.local import emulator
from operator_tools.local.mailbox import OUTBOX_PATH
from operator_tools.users.file_reader import read_user_file
from operator_tools.verbs.export_users import run_export
from operator_tools.verbs.restore_users import run_restore
from tests.fixtures import FIXTURE_CONFIG_DIR
from tests.operator_tools.users.conftest import deployed

pytestmark = pytest.mark.emulator

REGION = "eu-west-1"
PASSWORD = "Their-own-pa55word!"
USERS: dict[str, dict[str, Any]] = {
    "alice@example.com": {
        "attributes": {"email_verified": "true", "name": "Alice", "custom:tenant": "t1"},
        "groups": ["admins", "users"],
    },
    "bob@example.com": {
        "attributes": {"email_verified": "true", "name": "Bob"},
        "groups": ["users"],
        "enabled": False,
    },
    # Invited, never signed in, address unverified.
    "carol@example.com": {"attributes": {"email_verified": "false"}, "groups": [], "invited": True},
    "dave@example.com": {"attributes": {"email_verified": "true"}, "groups": ["users"], "link": "corp-42"},
}


@pytest.fixture(scope="module")
def running(tmp_path_factory: pytest.TempPathFactory) -> Iterator[emulator.Emulator]:
    state = tmp_path_factory.mktemp("local")
    started, fresh = emulator.start(REGION, state_dir=state)
    assert fresh
    try:
        yield started
    finally:
        emulator.stop(state)


@pytest.fixture(scope="module")
def session() -> boto3.session.Session:
    return boto3.session.Session(
        aws_access_key_id=emulator.DUMMY_KEY_ID,
        aws_secret_access_key=emulator.DUMMY_SECRET,
        region_name=REGION,
    )


def new_pool(cognito: Any) -> str:
    pool: str = cognito.create_user_pool(
        PoolName="users-survive",
        UsernameAttributes=["email"],
        UsernameConfiguration={"CaseSensitive": False},
        Schema=[
            {"Name": "email", "AttributeDataType": "String", "Required": True, "Mutable": True},
            {"Name": "tenant", "AttributeDataType": "String", "Mutable": True},
        ],
        AccountRecoverySetting={"RecoveryMechanisms": [{"Priority": 1, "Name": "verified_email"}]},
        Policies={"PasswordPolicy": {"MinimumLength": 12}},
    )["UserPool"]["Id"]
    for group in ("admins", "users"):
        cognito.create_group(UserPoolId=pool, GroupName=group)
    cognito.create_identity_provider(
        UserPoolId=pool,
        ProviderName="Corp",
        ProviderType="OIDC",
        ProviderDetails={
            "client_id": "c",
            "client_secret": "s",
            "authorize_scopes": "openid",
            "oidc_issuer": "https://idp.example",
        },
    )
    return pool


def seed(cognito: Any, pool: str) -> None:
    for email, user in USERS.items():
        attributes = [
            {"Name": "email", "Value": email},
            *({"Name": k, "Value": v} for k, v in user["attributes"].items()),
        ]
        name = cognito.admin_create_user(
            UserPoolId=pool, Username=email, UserAttributes=attributes, MessageAction="SUPPRESS"
        )["User"]["Username"]
        if not user.get("invited"):
            cognito.admin_set_user_password(UserPoolId=pool, Username=name, Password=PASSWORD, Permanent=True)
        for group in user["groups"]:
            cognito.admin_add_user_to_group(UserPoolId=pool, Username=name, GroupName=group)
        if not user.get("enabled", True):
            cognito.admin_disable_user(UserPoolId=pool, Username=name)
        if user.get("link"):
            cognito.admin_link_provider_for_user(
                UserPoolId=pool,
                DestinationUser={"ProviderName": "Cognito", "ProviderAttributeValue": name},
                SourceUser={
                    "ProviderName": "Corp",
                    "ProviderAttributeName": "Cognito_Subject",
                    "ProviderAttributeValue": user["link"],
                },
            )


def users_of(cognito: Any, pool: str) -> dict[str, tuple[Any, ...]]:
    """email -> (attributes but sub, groups, enabled, linked identities, status), from Cognito's API."""
    found = {}
    for user in cognito.list_users(UserPoolId=pool)["Users"]:
        attributes = {a["Name"]: a["Value"] for a in user["Attributes"]}
        identities = {
            (i["providerName"], i["userId"]) for i in json.loads(attributes.pop("identities", "[]"))
        }
        attributes.pop("sub")
        groups = {
            g["GroupName"]
            for g in cognito.admin_list_groups_for_user(UserPoolId=pool, Username=user["Username"])["Groups"]
        }
        found[attributes["email"]] = (attributes, groups, user["Enabled"], identities, user["UserStatus"])
    return found


def outbox(endpoint: str) -> list[tuple[str, list[str]]]:
    with urllib.request.urlopen(endpoint + OUTBOX_PATH, timeout=10) as answer:  # loopback, our emulator
        messages = json.loads(answer.read())["messages"]
    return sorted((m["Type"], m["To"]) for by_account in messages.values() for m in by_account)


def keys(value: Any) -> set[str]:
    if isinstance(value, dict):
        return set(value) | {k for v in value.values() for k in keys(v)}
    if isinstance(value, list):
        return {k for v in value for k in keys(v)}
    return set()


def test_users_survive_a_lost_pool_through_export_and_restore(
    running: emulator.Emulator, session: boto3.session.Session, tmp_path: Path
) -> None:
    cognito = session.client("cognito-idp", endpoint_url=running.endpoint)
    config = load_environment("dev", FIXTURE_CONFIG_DIR)
    old = new_pool(cognito)
    seed(cognito, old)
    before = users_of(cognito, old)
    file = tmp_path / "users.jsonl"

    run_export(deployed(config, old, session, running.endpoint), file, out=io.StringIO(), err=io.StringIO())

    assert file.stat().st_mode & 0o777 == 0o600
    lines = [json.loads(line) for line in file.read_text().splitlines()]
    assert len(lines) == len(USERS) + 2
    assert not {k for k in keys(lines) if any(word in k.lower() for word in ("password", "token", "secret"))}

    cognito.delete_user_pool(UserPoolId=old)  # the disaster
    new = new_pool(cognito)
    header, records = read_user_file(file, io.StringIO())
    first, second = io.StringIO(), io.StringIO()
    target = deployed(config, new, session, running.endpoint)

    run_restore(target, file, header, records, out=first, err=io.StringIO())
    after = users_of(cognito, new)
    run_restore(target, file, header, records, out=second, err=io.StringIO())

    assert {email: user[:4] for email, user in after.items()} == {
        email: user[:4] for email, user in before.items()
    }
    assert {email: user[4] for email, user in after.items()} == {
        "alice@example.com": "RESET_REQUIRED",
        "bob@example.com": "FORCE_CHANGE_PASSWORD",  # disabled: asked nothing, sent nothing
        "carol@example.com": "FORCE_CHANGE_PASSWORD",  # invited, unverified: an admin invites her again
        "dave@example.com": "RESET_REQUIRED",
    }
    assert first.getvalue().splitlines()[0] == "restore: 4 created, 0 updated, 0 unchanged"
    assert second.getvalue() == "restore: 0 created, 0 updated, 4 unchanged\n"
    # No invitation, no temporary password: the only messages are the two reset codes.
    assert outbox(running.endpoint) == [
        ("CognitoVerificationMessage", ["alice@example.com"]),
        ("CognitoVerificationMessage", ["dave@example.com"]),
    ]

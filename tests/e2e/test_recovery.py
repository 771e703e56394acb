"""Users survive a lost pool (`make e2e-recovery`): users with attributes and groups, one disabled,
exported with `make export-users`; the stacks destroyed and deployed again, which makes a new, empty
pool; the file restored with `make restore-users`; users, attributes, groups and enabled state
compared; and a second restore that changes nothing.

Its own target, not a step of `make e2e`: a second deployment costs about as much as the whole
loop, and `make e2e` keeps to its time. `.ci/run` runs both.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

from cdk_app.config import EnvironmentConfig
from operator_tools.lib.cdk_cli import destroy_command
from operator_tools.local import aws
from operator_tools.local.lifecycle import LocalDeployment, bring_up
from tests.e2e.deployment import PROJECT_ROOT, TIMER, Step

PASSWORD = "Recovery-Test-Passw0rd!"  # only ever in the emulator's disposable pool
USERS: dict[str, dict[str, Any]] = {
    "ada@example.com": {"name": "Ada", "groups": {"admins"}, "enabled": True},
    "ben@example.com": {"name": "Ben", "groups": {"users"}, "enabled": False},
    "cy@example.com": {"name": "Cy", "groups": {"admins", "users"}, "enabled": True},
}


def _seed(cognito: Any, pool: str) -> None:
    for email, user in USERS.items():
        attributes = [{"Name": "email", "Value": email}, {"Name": "name", "Value": user["name"]}]
        name = cognito.admin_create_user(
            UserPoolId=pool, Username=email, UserAttributes=attributes, MessageAction="SUPPRESS"
        )["User"]["Username"]
        cognito.admin_set_user_password(UserPoolId=pool, Username=name, Password=PASSWORD, Permanent=True)
        for group in user["groups"]:
            cognito.admin_add_user_to_group(UserPoolId=pool, Username=name, GroupName=group)
        if not user["enabled"]:
            cognito.admin_disable_user(UserPoolId=pool, Username=name)


def _users(cognito: Any, pool: str) -> dict[str, tuple[dict[str, str], set[str], bool]]:
    """email -> (attributes but sub, groups, enabled), as Cognito's API reports them."""
    found = {}
    for page in cognito.get_paginator("list_users").paginate(UserPoolId=pool):
        for user in page["Users"]:
            attributes = {a["Name"]: a["Value"] for a in user["Attributes"] if a["Name"] != "sub"}
            groups = cognito.admin_list_groups_for_user(UserPoolId=pool, Username=user["Username"])["Groups"]
            found[attributes["email"]] = (attributes, {g["GroupName"] for g in groups}, user["Enabled"])
    return found


def _make(*args: str) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(
        ["make", "--no-print-directory", *args],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, f"make {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}"
    return done


def test_users_survive_destroy_and_redeploy_through_export_and_restore(
    local: LocalDeployment, config: EnvironmentConfig, cdk: str, step: Step, tmp_path: Path
) -> None:
    cognito = aws.client(local.emulator, "cognito-idp")
    old_pool = local.outputs.user_pool_id
    with step("seed users"):
        _seed(cognito, old_pool)
        before = _users(cognito, old_pool)
    assert set(USERS) <= set(before)

    file = tmp_path / "users.jsonl"
    with step("export-users"):
        _make("export-users", f"ENV={config.name}", f"FILE={file}")
    assert file.stat().st_mode & 0o777 == 0o600
    text = file.read_text(encoding="utf-8")
    assert PASSWORD not in text
    assert not any("password" in key.lower() for line in text.splitlines() for key in json.loads(line))

    with step("destroy"):  # the disaster: the stacks, and with them the pool, are gone
        aws.run_cdk(local.emulator, destroy_command(config, cdk), cwd=PROJECT_ROOT, quiet=True)
    with step("up again"):
        again = bring_up(config, cdk, TIMER)
    new_pool = again.outputs.user_pool_id
    assert new_pool != old_pool
    assert set(USERS).isdisjoint(_users(cognito, new_pool)), "the new pool is not empty"

    with step("restore-users"):
        first = _make("restore-users", f"ENV={config.name}", f"FILE={file}")
    after = _users(cognito, new_pool)
    assert {email: after[email] for email in USERS} == {email: before[email] for email in USERS}
    print(
        f"recovery: {len(USERS)} users, their attributes, groups and enabled state survived: {first.stdout}"
    )

    with step("restore-users again"):
        second = _make("restore-users", f"ENV={config.name}", f"FILE={file}")
    assert " 0 created, 0 updated, " in second.stdout, second.stdout
    assert _users(cognito, new_pool) == after

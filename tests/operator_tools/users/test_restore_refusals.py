"""Every line a restore cannot apply as it is: one line naming the file, the line and the reason, and
not a single write to the pool, for that user or any other."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from cdk_app.config import EnvironmentConfig
from operator_tools.lib.errors import ToolError
from tests.operator_tools.users.fake_cognito import FakeCognito
from tests.operator_tools.users.test_restore import ALICE, BOB, exported, restore


def two_users(old: FakeCognito) -> None:
    old.add_user(dict(BOB), groups=["users"])
    old.add_user(dict(ALICE), groups=["admins", "users"])


def same_email_twice(old: FakeCognito) -> None:
    old.add_user({"username": "alice", "email": "a@example.com"})
    old.add_user({"username": "alice2", "email": "A@example.com"})


def no_email(old: FakeCognito) -> None:
    old.add_user({"username": "bob", **BOB})
    old.add_user({"username": "nomail", "name": "No Mail"})


def immutable_tenant(new: FakeCognito) -> None:
    new.add_user({"email": "alice@example.com", "custom:tenant": "another"})


def nobody(new: FakeCognito) -> None:
    """The pool it restores into is empty."""


# (pool it restores into, users already there, the refused line, the reason); the file holds Bob
# (line 2, group users) and then Alice (line 3, groups admins and users, custom:tenant set).
CASES = {
    "unknown attribute": ({"custom": ()}, nobody, 3, "attribute custom:tenant is not in this pool's schema"),
    "group the pool lacks": (
        {"groups": ("users",)},
        nobody,
        3,
        "group admins is not in this pool; deploy the config that defines it first",
    ),
    "required attribute": (
        {"required": ("email", "custom:tenant")},
        nobody,
        2,
        "attribute custom:tenant is required in this pool and the user has none",
    ),
    "immutable attribute differs": (
        {"immutable": ("custom:tenant",)},
        immutable_tenant,
        3,
        "attribute custom:tenant differs from the pool user's and is immutable in this pool",
    ),
}


@pytest.mark.parametrize("case", CASES)
def test_a_line_the_pool_cannot_take_refuses_the_whole_file(
    tmp_path: Path, dev_config: EnvironmentConfig, case: str
) -> None:
    pool, present, line, reason = CASES[case]
    old = FakeCognito(pool_id="eu-west-1_Old")
    two_users(old)
    path = exported(tmp_path, old)
    new = FakeCognito(**pool)
    present(new)

    with pytest.raises(ToolError) as refused:
        restore(dev_config, new, path)

    assert str(refused.value) == f"{path} line {line}: {reason}"
    assert new.writes() == []


def test_a_provider_the_pool_lacks_is_refused(tmp_path: Path, dev_config: EnvironmentConfig) -> None:
    old = FakeCognito(pool_id="eu-west-1_Old")
    old.federated_sign_in("Corp", "corp-42", {"email": "f@example.com"})
    path = exported(tmp_path, old)
    new = FakeCognito(providers=())

    with pytest.raises(ToolError) as refused:
        restore(dev_config, new, path)

    assert str(refused.value) == f"{path} line 2: identity provider Corp is not in this pool"


@pytest.mark.parametrize(
    ("fill", "reason"),
    [
        (same_email_twice, "line 3: the same user in this pool as line 2"),
        (no_email, "line 3: the user has no email, which this pool's users sign in with"),
    ],
    ids=["two lines for one pool user", "no sign-in attribute"],
)
def test_a_username_pools_file_into_an_email_pool_needs_one_email_per_user(
    tmp_path: Path, dev_config: EnvironmentConfig, fill: Callable[[FakeCognito], None], reason: str
) -> None:
    old = FakeCognito(pool_id="eu-west-1_Old", username_attributes=())
    fill(old)
    path = exported(tmp_path, old)
    new = FakeCognito()

    with pytest.raises(ToolError) as refused:
        restore(dev_config, new, path)

    assert str(refused.value) == f"{path} {reason}"
    assert new.writes() == []

"""The user file format (functions/user_export/user_file.py): what it writes, and every line it refuses.

The module is shared by the scheduled export's Lambda and the operator tools, so it must run with the
standard library alone.
"""

from __future__ import annotations

import ast
import io
import json
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest

from functions.user_export import user_file
from functions.user_export.user_file import Header, Identity, UserFileError, UserRecord

MODULE = Path(user_file.__file__)
HEADER = Header(environment="dev", user_pool_id="eu-west-1_Old", exported_at="2026-05-01T06:00:00Z")
ALICE = UserRecord(
    username="6f1c0d2e-alice",
    sub="6f1c0d2e-alice",
    status="CONFIRMED",
    enabled=True,
    groups=("admins",),
    attributes={"email": "alice@example.com", "email_verified": "true", "custom:tenant": "t1"},
    created_at="2026-01-02T03:04:05Z",
)


def written(records: list[UserRecord]) -> list[str]:
    out = io.StringIO()
    user_file.write_users(out, HEADER, records)
    return out.getvalue().splitlines()


def test_the_module_imports_the_standard_library_only() -> None:
    tree = ast.parse(MODULE.read_text(encoding="utf-8"))
    imported = {
        (node.module or "").split(".")[0] if isinstance(node, ast.ImportFrom) else alias.name.split(".")[0]
        for node in ast.walk(tree)
        if isinstance(node, ast.Import | ast.ImportFrom)
        for alias in node.names
    }
    assert not [n for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and n.level]  # no relative import
    assert imported - {"__future__"} <= set(sys.stdlib_module_names)


def test_a_file_is_a_header_one_line_per_user_and_a_closing_count() -> None:
    lines = written([ALICE])

    assert json.loads(lines[0]) == {"format": "cognito-sso-users", "version": 1, **HEADER.__dict__}
    assert json.loads(lines[1])["attributes"] == dict(ALICE.attributes)
    assert json.loads(lines[2]) == {"format": "cognito-sso-users", "end": True, "users": 1}
    assert user_file.read_users(lines) == (HEADER, [(2, ALICE)])


def test_a_cognito_user_becomes_a_record_with_sub_and_identities_in_their_own_fields() -> None:
    identities = [{"userId": "corp-42", "providerName": "Corp", "providerType": "SAML", "primary": "true"}]
    user = {
        "Username": "Corp_corp-42",
        "UserStatus": "EXTERNAL_PROVIDER",
        "Enabled": False,
        "UserCreateDate": datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC),
        "Attributes": [
            {"Name": "sub", "Value": "s-1"},
            {"Name": "email", "Value": "c@example.com"},
            {"Name": "identities", "Value": json.dumps(identities)},
        ],
    }

    record = user_file.user_record(user, ["users", "admins", "users"])

    assert record == UserRecord(
        username="Corp_corp-42",
        sub="s-1",
        status="EXTERNAL_PROVIDER",
        enabled=False,
        groups=("admins", "users"),
        identities=(Identity("Corp", "corp-42", "SAML", primary=True),),
        attributes={"email": "c@example.com"},
        created_at="2026-01-02T03:04:05Z",
    )
    assert record.federated


def test_cognitos_own_provider_groups_are_recognised_by_the_pool_id() -> None:
    assert user_file.is_provider_group("eu-west-1_Old", "eu-west-1_Old_Corp")
    assert not user_file.is_provider_group("eu-west-1_Old", "admins")


def _user_line(**changes: object) -> str:
    data = json.loads(written([ALICE])[1])
    data.update(changes)
    return json.dumps(data)


GOOD = written([ALICE])


@pytest.mark.parametrize(
    ("lines", "line", "reason"),
    [
        ([], 1, "not a cognito-sso-users file: line 1 is not its header"),
        (["username,sub,email", *GOOD[1:]], 1, "not a cognito-sso-users file: line 1 is not its header"),
        (
            [GOOD[0].replace('"version":1', '"version":2'), *GOOD[1:]],
            1,
            "format version 2; this tool reads 1",
        ),
        ([GOOD[0], "{not json", GOOD[2]], 2, "not valid JSON"),
        ([GOOD[0], "[1, 2]", GOOD[2]], 2, "not a JSON object"),
        ([GOOD[0], "", GOOD[2]], 2, "an empty line"),
        (
            [GOOD[0], _user_line(password="hunter2"), GOOD[2]],
            2,
            "a user has a field this format does not have: 'password'",
        ),
        ([GOOD[0], _user_line(status="HAPPY"), GOOD[2]], 2, "status is not a Cognito user status"),
        ([GOOD[0], _user_line(enabled="yes"), GOOD[2]], 2, "enabled is not true or false"),
        ([GOOD[0], _user_line(groups=["a", "a"]), GOOD[2]], 2, "a group is listed twice"),
        (
            [GOOD[0], _user_line(attributes={"email": 5}), GOOD[2]],
            2,
            "attributes is not an object of attribute names to text",
        ),
        (
            [GOOD[0], _user_line(attributes={"sub": "x"}), GOOD[2]],
            2,
            "attribute sub belongs in its own field, not under attributes",
        ),
        (
            [GOOD[0], _user_line(identities=[{"provider": "Corp"}]), GOOD[2]],
            2,
            "an identity has no 'primary'",
        ),
        ([GOOD[0], _user_line(username=""), GOOD[2]], 2, "username is not a non-empty text"),
        ([GOOD[0], GOOD[1], GOOD[1], GOOD[2]], 3, "the same username as line 2"),
        (GOOD[:2], 3, "the file ends without its closing line (a cut-short export)"),
        (
            [GOOD[0], GOOD[1], GOOD[2].replace('"users":1', '"users":7')],
            3,
            "the closing line counts 7 users, the file holds 1",
        ),
        ([*GOOD, GOOD[1]], 4, "text after the closing line"),
    ],
    ids=lambda v: v if isinstance(v, str) else None,
)
def test_a_refused_line_names_its_number_and_the_reason(lines: list[str], line: int, reason: str) -> None:
    with pytest.raises(UserFileError) as refused:
        user_file.read_users(lines)

    assert (refused.value.line, refused.value.reason) == (line, reason)


def test_no_refusal_quotes_a_value_from_the_file() -> None:
    secret_value = "alice-private@example.com"
    bad = _user_line(status=secret_value)
    with pytest.raises(UserFileError) as refused:
        user_file.read_users([GOOD[0], bad, GOOD[2]])
    assert secret_value not in str(refused.value)

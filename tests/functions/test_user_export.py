"""The scheduled user export (functions/user_export/handler.py) against stubbed Cognito and S3: it pages
every list, leaves Cognito's provider groups out, and writes a file user_file's reader reads back."""

from __future__ import annotations

import importlib.util
import sys
from datetime import UTC, datetime
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from botocore.stub import ANY, Stubber

from tests.functions.api_events import FakeLambdaContext

CODE_DIR = Path(__file__).resolve().parents[2] / "functions" / "user_export"
POOL = "eu-west-1_Example"


@pytest.fixture
def handler(monkeypatch: pytest.MonkeyPatch) -> ModuleType:
    monkeypatch.syspath_prepend(str(CODE_DIR))
    monkeypatch.setattr(sys, "dont_write_bytecode", True)
    for name, value in {
        "AWS_DEFAULT_REGION": "eu-west-1",
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "POWERTOOLS_SERVICE_NAME": "export-test",
        "POWERTOOLS_METRICS_NAMESPACE": "Test",
        "POWERTOOLS_TRACE_DISABLED": "1",
        "USER_POOL_ID": POOL,
        "ENVIRONMENT": "prod",
        "BUCKET": "backups",
        "PREFIX": "users/",
    }.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("AWS_PROFILE", raising=False)
    spec = importlib.util.spec_from_file_location("user_export_handler", CODE_DIR / "handler.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    module.logger.logger_handler.stream = sys.stdout
    return module


def _user(name: str, enabled: bool = True) -> dict[str, Any]:
    return {
        "Username": name,
        "Enabled": enabled,
        "UserStatus": "CONFIRMED",
        "Attributes": [
            {"Name": "sub", "Value": f"sub-{name}"},
            {"Name": "email", "Value": f"{name}@example.com"},
        ],
        "UserCreateDate": datetime(2026, 1, 1, tzinfo=UTC),
    }


def _stub_cognito(stubber: Stubber) -> None:
    base = {"UserPoolId": POOL, "Limit": 60}
    groups_page_2 = {"Groups": [{"GroupName": f"{POOL}_Google"}]}
    stubber.add_response("list_groups", {"Groups": [{"GroupName": "admins"}], "NextToken": "g2"}, base)
    stubber.add_response(
        "list_users_in_group", {"Users": [_user("alice")], "NextToken": "m2"}, {**base, "GroupName": "admins"}
    )
    stubber.add_response(
        "list_users_in_group", {"Users": [_user("bob")]}, {**base, "GroupName": "admins", "NextToken": "m2"}
    )
    # Groups are listed lazily: the first page's members come before the second page.
    stubber.add_response("list_groups", groups_page_2, {**base, "NextToken": "g2"})
    stubber.add_response("list_users", {"Users": [_user("alice")], "PaginationToken": "u2"}, base)
    stubber.add_response(
        "list_users",
        {"Users": [_user("bob"), _user("carol", enabled=False)]},
        {**base, "PaginationToken": "u2"},
    )


def test_every_page_is_exported_to_the_bucket_in_user_file_s_format(handler: ModuleType) -> None:
    written: dict[str, bytes] = {}
    with Stubber(handler.cognito) as cognito, Stubber(handler.s3) as s3:
        _stub_cognito(cognito)
        s3.add_response(
            "put_object",
            {},
            {"Bucket": "backups", "Key": ANY, "Body": ANY, "ContentType": "application/jsonl"},
        )
        original = handler.s3.put_object

        def capture(**kwargs: Any) -> Any:
            written[kwargs["Key"]] = kwargs["Body"]
            return original(**kwargs)

        handler.s3.put_object = capture
        result = handler.handler({}, FakeLambdaContext())
        cognito.assert_no_pending_responses()
    assert result["users"] == 3
    ((key, body),) = written.items()
    assert key.startswith("users/")
    assert key.endswith(".jsonl")
    header, records = handler.user_file.read_users(body.decode().splitlines())
    assert (header.environment, header.user_pool_id) == ("prod", POOL)
    by_name = {r.username: r for _, r in records}
    assert by_name["alice"].groups == ("admins",)
    assert by_name["bob"].groups == ("admins",)
    assert by_name["carol"].groups == ()
    assert by_name["carol"].enabled is False
    assert by_name["alice"].attributes == {"email": "alice@example.com"}
    assert "password" not in body.decode().lower()


def test_a_failed_cognito_call_fails_the_run(handler: ModuleType) -> None:
    with Stubber(handler.cognito) as cognito:
        cognito.add_client_error("list_groups", "TooManyRequestsException")
        with pytest.raises(Exception, match="TooManyRequests"):
            handler.handler({}, FakeLambdaContext())

"""The pre token generation trigger, driven with version 2 and version 3 events as Cognito sends them:
group-earned scopes reach users' access tokens (and no one else's), configured claims reach
client-credentials tokens, and nothing else in the event changes."""

from __future__ import annotations

import copy
import importlib.util
import json
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from tests.functions.api_events import FakeLambdaContext
from tests.functions.pre_token_events import client_credentials_event, user_event

CODE_DIR = Path(__file__).resolve().parents[2] / "functions" / "pre_token"
GROUP_SCOPES = {"admins": ["api/admin"], "auditors": ["api/admin", "api/audit"]}
CLAIMS = {"tenant": "acme"}

Load = Callable[..., ModuleType]


@pytest.fixture
def load(monkeypatch: pytest.MonkeyPatch) -> Iterator[Load]:
    """Import the trigger the way Lambda does (its folder on sys.path), with the given environment.

    Loaded under its own name: the API function's ``handler`` module is already imported as ``handler``.
    """
    monkeypatch.syspath_prepend(str(CODE_DIR))
    monkeypatch.setattr(sys, "dont_write_bytecode", True)  # no bytecode in the Lambda asset
    monkeypatch.setenv("POWERTOOLS_SERVICE_NAME", "pre-token-tests")

    def load_with(*, group_scopes: Any = GROUP_SCOPES, claims: Any = CLAIMS) -> ModuleType:
        for name, value in (("GROUP_SCOPES", group_scopes), ("CLIENT_CREDENTIALS_CLAIMS", claims)):
            if value is None:
                monkeypatch.delenv(name, raising=False)
            else:
                monkeypatch.setenv(name, value if isinstance(value, str) else json.dumps(value))
        spec = importlib.util.spec_from_file_location("pre_token_handler", CODE_DIR / "handler.py")
        assert spec is not None
        assert spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        return module

    yield load_with
    sys.modules.pop("token_rules", None)


def run(module: ModuleType, event: dict[str, Any]) -> dict[str, Any]:
    result: dict[str, Any] = module.handler(copy.deepcopy(event), FakeLambdaContext())
    return result


def access_overrides(result: dict[str, Any]) -> dict[str, Any]:
    details: dict[str, Any] = result["response"]["claimsAndScopeOverrideDetails"]
    assert set(details) == {"accessTokenGeneration"}, "only the access token may change"
    overrides: dict[str, Any] = details["accessTokenGeneration"]
    return overrides


@pytest.mark.parametrize("version", ["2", "3"])
def test_a_member_of_a_mapped_group_gets_its_scopes_in_the_access_token(load: Load, version: str) -> None:
    event = user_event(groups=["users", "admins"], scopes=["openid", "api/read"], version=version)

    result = run(load(), event)

    assert access_overrides(result) == {"scopesToAdd": ["api/admin"], "scopesToSuppress": ["api/audit"]}


@pytest.mark.parametrize("version", ["2", "3"])
def test_a_user_outside_every_mapped_group_loses_every_mapped_scope(load: Load, version: str) -> None:
    # Even if a client let the user ask for api/admin, the token must not carry it.
    event = user_event(groups=["users"], scopes=["openid", "api/read", "api/admin"], version=version)

    result = run(load(), event)

    assert access_overrides(result) == {"scopesToSuppress": ["api/admin", "api/audit"]}


def test_group_names_match_exactly(load: Load) -> None:
    event = user_event(groups=["Admins", "admins-readonly"], scopes=["api/read"])

    result = run(load(), event)

    assert "scopesToAdd" not in access_overrides(result)


def test_scopes_earned_through_several_groups_are_added_once(load: Load) -> None:
    event = user_event(
        groups=["admins", "auditors"], scopes=["api/read"], trigger_source="TokenGeneration_RefreshTokens"
    )

    result = run(load(), event)

    assert access_overrides(result) == {"scopesToAdd": ["api/admin", "api/audit"]}


def test_a_client_credentials_token_gets_the_configured_claims_and_no_scope_changes(load: Load) -> None:
    event = client_credentials_event(scopes=["api/read", "api/write"])

    result = run(load(), event)

    assert access_overrides(result) == {"claimsToAddOrOverride": {"tenant": "acme"}}


def test_without_configured_claims_a_client_credentials_token_is_left_alone(load: Load) -> None:
    result = run(load(claims={}), client_credentials_event(scopes=["api/read"]))

    assert access_overrides(result) == {}


def test_everything_outside_the_response_is_returned_unchanged(load: Load) -> None:
    event = user_event(groups=["admins"], scopes=["openid"])

    result = run(load(), event)

    assert {k: v for k, v in result.items() if k != "response"} == {
        k: v for k, v in event.items() if k != "response"
    }


@pytest.mark.parametrize(
    ("group_scopes", "claims", "message"),
    [
        (None, CLAIMS, "GROUP_SCOPES is not set"),
        ("{not json", CLAIMS, "GROUP_SCOPES is not JSON"),
        ('["api/admin"]', CLAIMS, "GROUP_SCOPES must be a JSON object"),
        ({"admins": "api/admin"}, CLAIMS, "'admins' must map to a list of scopes"),
        (GROUP_SCOPES, {"tenant": 7}, "CLIENT_CREDENTIALS_CLAIMS: every value must be text"),
    ],
    ids=["unset", "not-json", "not-an-object", "scope-not-a-list", "claim-not-text"],
)
def test_a_broken_configuration_fails_the_cold_start(
    load: Load, group_scopes: Any, claims: Any, message: str
) -> None:
    # Failing is safer than issuing tokens without the scopes the configuration asks for.
    with pytest.raises(ValueError, match=message):
        load(group_scopes=group_scopes, claims=claims)

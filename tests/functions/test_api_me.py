"""GET /me returns the verified caller, whichever kind of Cognito token API Gateway accepted."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from tests.functions.api_events import (
    CLIENT_ID,
    SUB,
    ApiResponse,
    access_token_claims,
    id_token_claims,
    rest_event,
)

Invoke = Callable[[dict[str, Any]], ApiResponse]


def test_me_with_access_token_lists_scopes_and_reports_client_id(invoke: Invoke) -> None:
    claims = access_token_claims(username="bob", scope="api/read api/write", groups="users")

    response = invoke(rest_event("GET", "/me", claims=claims))

    assert response.status == 200
    assert response.body == {
        "sub": SUB,
        "username": "bob",
        "email": None,
        "groups": ["users"],
        "scopes": ["api/read", "api/write"],
        "token_use": "access",
        "client_id": CLIENT_ID,
    }


def test_me_with_id_token_uses_aud_as_client_id_and_returns_email_and_groups(invoke: Invoke) -> None:
    claims = id_token_claims(username="alice", email="alice@example.com", groups="admins,users")

    response = invoke(rest_event("GET", "/me", claims=claims))

    assert response.status == 200
    assert response.body == {
        "sub": SUB,
        "username": "alice",
        "email": "alice@example.com",
        "groups": ["admins", "users"],
        "scopes": [],
        "token_use": "id",
        "client_id": CLIENT_ID,
    }


def test_me_reads_groups_flattened_in_bracket_form(invoke: Invoke) -> None:
    response = invoke(rest_event("GET", "/me", claims=id_token_claims(groups="[admins users]")))

    assert response.body["groups"] == ["admins", "users"]


def test_me_for_a_user_in_no_group_returns_empty_lists(invoke: Invoke) -> None:
    response = invoke(rest_event("GET", "/me", claims=id_token_claims(email=None, groups=None)))

    assert response.status == 200
    assert response.body["groups"] == []
    assert response.body["email"] is None


def test_request_without_authorizer_claims_is_refused_with_401(invoke: Invoke) -> None:
    response = invoke(rest_event("GET", "/me", claims=None))

    assert response.status == 401
    assert response.body["message"] == "No verified identity in the request"

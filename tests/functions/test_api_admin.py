"""GET /admin serves members of the ADMIN_GROUP group only, matching group names exactly; with ADMIN_SCOPE
set (the token trigger is on) it serves tokens carrying that scope instead."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

import pytest

from tests.functions.api_events import ApiResponse, access_token_claims, id_token_claims, rest_event

Invoke = Callable[[dict[str, Any]], ApiResponse]


@pytest.mark.parametrize(
    "claims",
    [
        id_token_claims(groups="admins"),
        id_token_claims(groups="users,admins"),
        id_token_claims(groups="[users admins]"),
        access_token_claims(groups="admins"),
    ],
    ids=["id-token-only-group", "id-token-comma-list", "id-token-bracket-list", "access-token"],
)
def test_admin_route_serves_members_of_the_admin_group(invoke: Invoke, claims: dict[str, str]) -> None:
    response = invoke(rest_event("GET", "/admin", claims=claims))

    assert response.status == 200
    assert response.body == {"message": "Welcome, administrator", "username": "alice", "group": "admins"}


@pytest.mark.parametrize(
    "claims",
    [
        id_token_claims(groups="users"),
        id_token_claims(groups="admins-readonly,superadmins"),
        id_token_claims(groups="Admins"),
        id_token_claims(groups=""),
        id_token_claims(groups=None),
        access_token_claims(groups=None),
    ],
    ids=[
        "other-group",
        "names-containing-admins",
        "different-case",
        "empty-claim",
        "no-claim",
        "access-no-claim",
    ],
)
def test_admin_route_refuses_everyone_else_with_403(invoke: Invoke, claims: dict[str, str]) -> None:
    response = invoke(rest_event("GET", "/admin", claims=claims))

    assert response.status == 403
    assert response.body == {"statusCode": 403, "message": "Only administrators may use this route"}


def test_admin_group_comes_from_the_environment(invoke: Invoke, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ADMIN_GROUP", "operators")

    member = invoke(rest_event("GET", "/admin", claims=id_token_claims(groups="operators")))
    default_group = invoke(rest_event("GET", "/admin", claims=id_token_claims(groups="admins")))

    assert member.status == 200
    assert member.body["group"] == "operators"
    assert default_group.status == 403


@pytest.mark.parametrize("value", [None, "", "  "], ids=["unset", "empty", "blank"])
def test_without_admin_group_no_one_is_an_administrator(
    invoke: Invoke, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture, value: str | None
) -> None:
    # No default to fall back on: a guessed group name could hand the route to the wrong people.
    if value is None:
        monkeypatch.delenv("ADMIN_GROUP")
    else:
        monkeypatch.setenv("ADMIN_GROUP", value)

    response = invoke(rest_event("GET", "/admin", claims=id_token_claims(groups="admins")))

    assert response.status == 403
    errors = [r.getMessage() for r in caplog.records if r.levelno == logging.ERROR]
    assert errors == ["Neither ADMIN_SCOPE nor ADMIN_GROUP is set: refusing GET /admin to everyone"]


@pytest.mark.parametrize(
    "groups",
    ["[ops,admins users]", "users, admins", "[users, admins]", "admins,"],
    ids=["comma-inside-brackets", "space-after-comma", "bracketed-with-commas", "trailing-comma"],
)
@pytest.mark.parametrize("path", ["/admin", "/me"])
def test_an_ambiguous_groups_claim_is_refused_with_403_on_every_route(
    invoke: Invoke, caplog: pytest.LogCaptureFixture, groups: str, path: str
) -> None:
    response = invoke(rest_event("GET", path, claims=id_token_claims(groups=groups)))

    assert response.status == 403
    assert response.body == {"statusCode": 403, "message": "The token's group claim is ambiguous"}
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert warnings == ["Request refused: ambiguous groups claim"]


@pytest.fixture
def scope_path(monkeypatch: pytest.MonkeyPatch) -> None:
    # What the CDK app sets with token_customization: the scope, and no group.
    monkeypatch.delenv("ADMIN_GROUP")
    monkeypatch.setenv("ADMIN_SCOPE", "api/admin")


@pytest.mark.usefixtures("scope_path")
@pytest.mark.parametrize(
    ("claims", "username"),
    [
        (access_token_claims(scope="api/read api/admin", groups="admins"), "alice"),
        (access_token_claims(scope="api/admin", groups=None), "alice"),
    ],
    ids=["user-who-earned-it", "scope-without-groups-claim"],
)
def test_with_an_admin_scope_the_route_serves_tokens_that_carry_it(
    invoke: Invoke, claims: dict[str, str], username: str
) -> None:
    response = invoke(rest_event("GET", "/admin", claims=claims))

    assert response.status == 200
    assert response.body == {"message": "Welcome, administrator", "username": username, "scope": "api/admin"}


@pytest.mark.usefixtures("scope_path")
@pytest.mark.parametrize(
    "claims",
    [
        access_token_claims(scope="api/read", groups="admins"),
        access_token_claims(scope="api/read api/administer", groups=None),
        id_token_claims(groups="admins"),
    ],
    ids=["group-member-without-the-scope", "similar-scope", "id-token"],
)
def test_with_an_admin_scope_group_membership_alone_is_refused(
    invoke: Invoke, claims: dict[str, str]
) -> None:
    response = invoke(rest_event("GET", "/admin", claims=claims))

    assert response.status == 403
    assert response.body == {"statusCode": 403, "message": "Only administrators may use this route"}

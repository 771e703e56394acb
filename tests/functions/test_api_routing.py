"""Cross-cutting behaviour: unknown routes, JSON everywhere, correlation IDs and CORS."""

from __future__ import annotations

from collections.abc import Callable
from types import ModuleType
from typing import Any

import pytest

from tests.functions.api_events import ALLOWED_ORIGIN, ApiResponse, id_token_claims, rest_event

Invoke = Callable[[dict[str, Any]], ApiResponse]


def test_unknown_route_returns_404_json(invoke: Invoke) -> None:
    event = rest_event("GET", "/nothing-here", claims=id_token_claims(), resource="/{proxy+}")

    response = invoke(event)

    assert response.status == 404
    assert response.body == {"statusCode": 404, "message": "Not found"}


@pytest.mark.parametrize(
    ("method", "path", "body", "status"),
    [
        ("GET", "/me", None, 200),
        ("POST", "/items", {"name": "Widget", "quantity": 1}, 201),
        ("POST", "/items", "{", 400),
        ("GET", "/admin", None, 200),
        ("GET", "/nothing-here", None, 404),
    ],
)
def test_every_response_is_json(
    invoke: Invoke, method: str, path: str, body: dict[str, Any] | str | None, status: int
) -> None:
    response = invoke(rest_event(method, path, claims=id_token_claims(groups="admins"), body=body))

    assert response.status == status
    assert response.header("Content-Type") == ["application/json"]


def test_logs_carry_the_api_gateway_request_id_as_correlation_id(invoke: Invoke, api: ModuleType) -> None:
    event = rest_event("GET", "/me", claims=id_token_claims())

    invoke(event)

    assert api.logger.get_correlation_id() == event["requestContext"]["requestId"]


def test_allowed_origin_gets_cors_header(invoke: Invoke) -> None:
    event = rest_event("GET", "/me", claims=id_token_claims(), headers={"Origin": ALLOWED_ORIGIN})

    response = invoke(event)

    assert response.header("Access-Control-Allow-Origin") == [ALLOWED_ORIGIN]


def test_other_origin_gets_no_cors_header(invoke: Invoke) -> None:
    event = rest_event("GET", "/me", claims=id_token_claims(), headers={"Origin": "https://evil.example"})

    response = invoke(event)

    assert response.status == 200
    assert response.header("Access-Control-Allow-Origin") == []


@pytest.mark.parametrize("origins", [None, "", " , "])
def test_no_listed_origins_means_no_cors(api: ModuleType, origins: str | None) -> None:
    assert api.cors_config(origins) is None

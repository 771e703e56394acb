"""POST /items accepts exactly the documented body and names every field it rejects."""

from __future__ import annotations

import base64
import json
import uuid
from collections.abc import Callable
from typing import Any

import items
import pytest

from stacks.api_stack import NEW_ITEM_SCHEMA_FILE
from tests.functions.api_events import ApiResponse, access_token_claims, rest_event

Invoke = Callable[[dict[str, Any]], ApiResponse]


def post_items(invoke: Invoke, body: str | dict[str, Any] | None, **kwargs: Any) -> ApiResponse:
    return invoke(rest_event("POST", "/items", claims=access_token_claims(), body=body, **kwargs))


def test_valid_item_is_created_with_a_generated_id(invoke: Invoke) -> None:
    response = post_items(invoke, {"name": "Widget", "quantity": 3, "note": "fragile"})

    assert response.status == 201
    assert response.body == {"id": response.body["id"], "name": "Widget", "quantity": 3, "note": "fragile"}
    assert uuid.UUID(response.body["id"]).version == 4


def test_each_created_item_gets_a_new_id(invoke: Invoke) -> None:
    first = post_items(invoke, {"name": "Widget", "quantity": 1})
    second = post_items(invoke, {"name": "Widget", "quantity": 1})

    assert first.body["id"] != second.body["id"]


@pytest.mark.parametrize(
    "body",
    [
        {"name": "W", "quantity": 1},
        {"name": "n" * 100, "quantity": 1000, "note": "x" * 500},
        {"name": " W ", "quantity": 2, "note": ""},
    ],
    ids=["minimal", "at-every-limit", "padded-name-empty-note"],
)
def test_bodies_within_the_limits_are_accepted(invoke: Invoke, body: dict[str, Any]) -> None:
    response = post_items(invoke, body)

    assert response.status == 201
    assert response.body["name"] == body["name"]
    assert response.body["quantity"] == body["quantity"]
    assert response.body["note"] == body.get("note")


def test_base64_encoded_body_is_decoded(invoke: Invoke) -> None:
    encoded = base64.b64encode(json.dumps({"name": "Widget", "quantity": 5}).encode()).decode()

    response = post_items(invoke, encoded, is_base64_encoded=True)

    assert response.status == 201
    assert response.body["quantity"] == 5


@pytest.mark.parametrize(
    ("body", "field", "message"),
    [
        ("{not json", "body", "is not valid JSON"),
        (None, "body", "is required"),
        ("[1, 2]", "body", "must be a JSON object"),
        ("[" * 10_000, "body", "is nested too deeply"),
        ({"quantity": 1}, "name", "is required"),
        ({"name": "Widget"}, "quantity", "is required"),
        ({"name": 42, "quantity": 1}, "name", "must be a string"),
        ({"name": "   ", "quantity": 1}, "name", "must not be empty"),
        ({"name": "n" * 101, "quantity": 1}, "name", "must be at most 100 characters"),
        ({"name": "Widget", "quantity": "3"}, "quantity", "must be an integer"),
        ({"name": "Widget", "quantity": 2.5}, "quantity", "must be an integer"),
        ({"name": "Widget", "quantity": True}, "quantity", "must be an integer"),
        ({"name": "Widget", "quantity": 0}, "quantity", "must be between 1 and 1000"),
        ({"name": "Widget", "quantity": 1001}, "quantity", "must be between 1 and 1000"),
        ({"name": "Widget", "quantity": 1, "note": 7}, "note", "must be a string"),
        # API Gateway's model refuses a null note, so the function does too (the same schema).
        ({"name": "Widget", "quantity": 1, "note": None}, "note", "must be a string"),
        ({"name": "Widget", "quantity": 1, "note": "x" * 501}, "note", "must be at most 500 characters"),
        ({"name": "Widget", "quantity": 1, "colour": "red"}, "colour", "is not an allowed field"),
    ],
    ids=[
        "invalid-json",
        "no-body",
        "not-an-object",
        "nested-too-deeply",
        "missing-name",
        "missing-quantity",
        "name-wrong-type",
        "name-blank",
        "name-too-long",
        "quantity-string",
        "quantity-float",
        "quantity-bool",
        "quantity-below-range",
        "quantity-above-range",
        "note-wrong-type",
        "note-null",
        "note-too-long",
        "extra-key",
    ],
)
def test_bad_body_is_rejected_with_400_naming_the_field(
    invoke: Invoke, body: str | dict[str, Any] | None, field: str, message: str
) -> None:
    response = post_items(invoke, body)

    assert response.status == 400
    assert response.body["statusCode"] == 400
    assert [error["field"] for error in response.body["errors"]] == [field]
    assert message in response.body["errors"][0]["message"]
    assert response.body["message"].startswith(f"Invalid request body: {field} {message}")


def test_every_bad_field_is_reported_at_once(invoke: Invoke) -> None:
    response = post_items(invoke, {"name": "", "quantity": 0, "extra": 1, "another": 2})

    assert response.status == 400
    assert [error["field"] for error in response.body["errors"]] == ["name", "quantity", "another", "extra"]


def test_invalid_base64_body_is_rejected_with_400(invoke: Invoke) -> None:
    response = post_items(invoke, "not base64!", is_base64_encoded=True)

    assert response.status == 400
    assert response.body["errors"] == [{"field": "body", "message": "is not valid base64-encoded UTF-8"}]


def test_the_function_validates_with_the_file_api_gateway_builds_its_model_from() -> None:
    assert json.loads(NEW_ITEM_SCHEMA_FILE.read_text()) == items.NEW_ITEM_SCHEMA


def test_limits_come_from_the_schema_not_from_code(invoke: Invoke, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(items.NEW_ITEM_SCHEMA["properties"]["name"], "maxLength", 5)
    monkeypatch.setitem(items.NEW_ITEM_SCHEMA["properties"]["quantity"], "maximum", 3)

    response = post_items(invoke, {"name": "Widget", "quantity": 4})

    assert response.status == 400
    assert response.body["errors"] == [
        {"field": "name", "message": "must be at most 5 characters"},
        {"field": "quantity", "message": "must be between 1 and 3"},
    ]

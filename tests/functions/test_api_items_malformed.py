"""POST /items answers every malformed body with a 400 (415 for a body not sent as JSON), never a crash.

Each event is shaped as API Gateway delivers it. A body the function does not handle would surface as an
exception from the handler (a 502 to the caller); these tests call the handler directly, so any such
exception fails them.
"""

from __future__ import annotations

import base64
import json
import sys
from collections.abc import Callable
from typing import Any

import pytest
from request_body import MAX_BODY_BYTES

from tests.functions.api_events import ApiResponse, access_token_claims, rest_event

Invoke = Callable[[dict[str, Any]], ApiResponse]
VALID = {"name": "Widget", "quantity": 1}


def post(invoke: Invoke, body: str | None, **kwargs: Any) -> ApiResponse:
    return invoke(rest_event("POST", "/items", claims=access_token_claims(), body=body, **kwargs))


def body_error(response: ApiResponse) -> str:
    """The one error message about the body as a whole, after checking the 400's shape."""
    assert response.status == 400
    assert response.body["statusCode"] == 400
    [error] = response.body["errors"]
    assert error["field"] == "body"
    assert response.body["message"] == f"Invalid request body: body {error['message']}"
    return str(error["message"])


def test_an_integer_past_pythons_digit_limit_is_a_400_not_a_crash(invoke: Invoke) -> None:
    digits = sys.get_int_max_str_digits() + 1
    body = '{"name": "Widget", "quantity": ' + "9" * digits + "}"

    message = body_error(post(invoke, body))

    assert message == f"is not acceptable JSON: a number has more than {digits - 1} digits"


def test_a_body_larger_than_the_limit_is_refused_before_parsing(invoke: Invoke) -> None:
    body = json.dumps({"name": "Widget", "quantity": 1, "note": "x" * MAX_BODY_BYTES})

    assert body_error(post(invoke, body)) == f"must be at most {MAX_BODY_BYTES} bytes"


def test_a_body_of_many_multibyte_characters_is_measured_in_bytes(invoke: Invoke) -> None:
    note = "é" * (MAX_BODY_BYTES // 2)  # two bytes each in UTF-8
    body = json.dumps({"name": "Widget", "quantity": 1, "note": note}, ensure_ascii=False)
    assert len(body) < MAX_BODY_BYTES < len(body.encode())

    assert body_error(post(invoke, body)) == f"must be at most {MAX_BODY_BYTES} bytes"


def test_a_huge_base64_body_is_refused_before_decoding(invoke: Invoke) -> None:
    encoded = base64.b64encode(b"[" * (5 * 1024 * 1024)).decode()
    message = body_error(post(invoke, encoded, is_base64_encoded=True))

    assert message == f"must be at most {MAX_BODY_BYTES} bytes"


def test_deeply_nested_json_inside_an_object_is_a_400(invoke: Invoke) -> None:
    body = '{"name": ' + "[" * 5000 + "]" * 5000 + ', "quantity": 1}'

    assert body_error(post(invoke, body)) == "is nested too deeply"


@pytest.mark.parametrize("constant", ["NaN", "Infinity", "-Infinity"])
def test_non_json_number_constants_are_refused(invoke: Invoke, constant: str) -> None:
    body = '{"name": "Widget", "quantity": ' + constant + "}"

    assert body_error(post(invoke, body)) == f"is not acceptable JSON: {constant} is not JSON"


def test_a_repeated_key_is_refused_rather_than_resolved(invoke: Invoke) -> None:
    # API Gateway's validator may have checked the first value while Python keeps the last.
    body = '{"name": "Widget", "quantity": 1, "quantity": 100000}'

    message = body_error(post(invoke, body))

    assert message == "is not acceptable JSON: the key 'quantity' appears more than once"


@pytest.mark.parametrize(
    "raw", [b"\xff\xfe{}", b'{"name": "\xc3\x28", "quantity": 1}'], ids=["bom-like", "bad-sequence"]
)
def test_base64_bytes_that_are_not_utf8_are_a_400(invoke: Invoke, raw: bytes) -> None:
    encoded = base64.b64encode(raw).decode()

    assert body_error(post(invoke, encoded, is_base64_encoded=True)) == "is not valid base64-encoded UTF-8"


def test_a_body_with_a_lone_surrogate_is_not_utf8(invoke: Invoke) -> None:
    body = '{"name": "W\udcff", "quantity": 1}'

    assert body_error(post(invoke, body)) == "is not valid UTF-8"


@pytest.mark.parametrize("body", ["[1, 2]", '"Widget"', "42", "null", "true"])
def test_a_json_body_that_is_not_an_object_is_a_400(invoke: Invoke, body: str) -> None:
    assert body_error(post(invoke, body)) == "must be a JSON object"


@pytest.mark.parametrize(
    "content_type",
    [
        "text/plain",
        "application/x-www-form-urlencoded",
        "multipart/form-data; boundary=x",
        "application/json-patch+json",
        "application/json; charset=iso-8859-1",
        "",
    ],
)
def test_a_body_not_sent_as_json_is_refused_with_415(invoke: Invoke, content_type: str) -> None:
    # API Gateway validates the body against the model only for application/json; these reach the function.
    response = post(invoke, json.dumps(VALID), headers={"Content-Type": content_type})

    assert response.status == 415
    assert response.body["statusCode"] == 415
    assert response.body["message"].startswith("Unsupported Content-Type")
    assert "application/json" in response.body["message"]


@pytest.mark.parametrize(
    "content_type", ["application/json", "Application/JSON", "application/json; charset=UTF-8", None]
)
def test_json_content_types_are_accepted(invoke: Invoke, content_type: str | None) -> None:
    event = rest_event("POST", "/items", claims=access_token_claims(), body=json.dumps(VALID))
    headers = {k: v for k, v in event["headers"].items() if k.lower() != "content-type"}
    if content_type is not None:
        headers["content-type"] = content_type
    event["headers"] = headers
    event["multiValueHeaders"] = {name: [value] for name, value in headers.items()}

    response = invoke(event)

    assert response.status == 201
    assert response.body["name"] == "Widget"

"""The body ``POST /items`` accepts, checked field by field.

Checked by hand with the standard library, not pydantic: three fields do not justify adding pydantic's
import time to every cold start, and the function then needs nothing beyond the Powertools layer.
"""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass
from typing import Any

NAME_MAX_CHARS = 100
NOTE_MAX_CHARS = 500
QUANTITY_MIN = 1
QUANTITY_MAX = 1000


@dataclass(frozen=True)
class FieldError:
    """One problem with the body; ``field`` is the offending key, or ``body`` for the body as a whole."""

    field: str
    message: str


class InvalidItemError(ValueError):
    """The body was rejected; ``errors`` lists every problem found, in field order."""

    def __init__(self, errors: list[FieldError]) -> None:
        self.errors = errors
        super().__init__("; ".join(f"{error.field} {error.message}" for error in errors))


@dataclass(frozen=True)
class NewItem:
    """A valid item: a non-blank name of at most 100 characters, 1 <= quantity <= 1000, an optional note."""

    name: str
    quantity: int
    note: str | None = None


def parse_new_item(body: str | None, *, base64_encoded: bool = False) -> NewItem:
    """Return the item ``body`` describes, or raise ``InvalidItemError`` naming each bad field.

    Unknown keys are rejected, not ignored, so a client's typo cannot pass silently. A ``null`` note
    counts as no note.
    """
    data = _json_object(_decode(body, base64_encoded))
    errors = [FieldError(field, message) for field, check in _CHECKS.items() if (message := check(data))]
    errors += [FieldError(key, "is not an allowed field") for key in sorted(data.keys() - _CHECKS.keys())]
    if errors:
        raise InvalidItemError(errors)
    return NewItem(name=data["name"], quantity=data["quantity"], note=data.get("note"))


def _name_error(data: dict[str, Any]) -> str | None:
    if "name" not in data:
        return "is required"
    name = data["name"]
    if not isinstance(name, str):
        return "must be a string"
    if not name.strip():
        return "must not be empty"
    if len(name) > NAME_MAX_CHARS:
        return f"must be at most {NAME_MAX_CHARS} characters"
    return None


def _quantity_error(data: dict[str, Any]) -> str | None:
    if "quantity" not in data:
        return "is required"
    quantity = data["quantity"]
    # bool is a subclass of int in Python, but `true` is not a quantity; 2.0 is rejected like "2".
    if not isinstance(quantity, int) or isinstance(quantity, bool):
        return "must be an integer"
    if not QUANTITY_MIN <= quantity <= QUANTITY_MAX:
        return f"must be between {QUANTITY_MIN} and {QUANTITY_MAX}"
    return None


def _note_error(data: dict[str, Any]) -> str | None:
    note = data.get("note")
    if note is None:
        return None
    if not isinstance(note, str):
        return "must be a string"
    if len(note) > NOTE_MAX_CHARS:
        return f"must be at most {NOTE_MAX_CHARS} characters"
    return None


_CHECKS = {"name": _name_error, "quantity": _quantity_error, "note": _note_error}


def _decode(body: str | None, base64_encoded: bool) -> str:
    if not body:
        raise InvalidItemError([FieldError("body", "is required and must be a JSON object")])
    if not base64_encoded:
        return body
    try:
        return base64.b64decode(body, validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        raise InvalidItemError([FieldError("body", "is not valid base64-encoded UTF-8")]) from None


def _json_object(text: str) -> dict[str, Any]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise InvalidItemError([FieldError("body", f"is not valid JSON ({error.msg})")]) from None
    except RecursionError:
        # A body of thousands of nested brackets is a client error, not a reason to crash the function.
        raise InvalidItemError([FieldError("body", "is nested too deeply")]) from None
    if not isinstance(data, dict):
        raise InvalidItemError([FieldError("body", "must be a JSON object")])
    return data

"""The body ``POST /items`` accepts: ``schemas/new_item.json``, the file API Gateway's model is built from.

No limit is written here: the schema holds them all, and ``body_schema`` names the field that breaks one.
"""

from __future__ import annotations

from dataclasses import dataclass

from body_schema import field_errors, load_schema
from request_body import BodyError, read_json_object

NEW_ITEM_SCHEMA = load_schema("new_item")


@dataclass(frozen=True)
class NewItem:
    """An item that conforms to ``schemas/new_item.json``."""

    name: str
    quantity: int
    note: str | None = None


def parse_new_item(body: str | None, *, content_type: str | None, base64_encoded: bool = False) -> NewItem:
    """Return the item ``body`` describes, or raise why not.

    Raises ``request_body.UnsupportedMediaTypeError`` for a body not sent as JSON, and ``BodyError``
    naming each bad field otherwise. Unknown keys are rejected, not ignored, so a client's typo cannot
    pass silently.
    """
    data = read_json_object(body, content_type=content_type, base64_encoded=base64_encoded)
    errors = field_errors(data, NEW_ITEM_SCHEMA)
    if errors:
        raise BodyError(errors)
    return NewItem(name=data["name"], quantity=data["quantity"], note=data.get("note"))

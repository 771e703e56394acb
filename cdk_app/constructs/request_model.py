"""API Gateway request models read from the JSON Schema files the function ships and validates with."""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from aws_cdk import aws_apigateway as apigw

DRAFT4 = "http://json-schema.org/draft-04/schema#"
# Keywords whose value is copied as it is, by their name in apigw.JsonSchema.
_PLAIN = {
    "title": "title",
    "description": "description",
    "format": "format",
    "pattern": "pattern",
    "minLength": "min_length",
    "maxLength": "max_length",
    "minimum": "minimum",
    "maximum": "maximum",
    "exclusiveMinimum": "exclusive_minimum",
    "exclusiveMaximum": "exclusive_maximum",
    "multipleOf": "multiple_of",
    "minItems": "min_items",
    "maxItems": "max_items",
    "uniqueItems": "unique_items",
    "minProperties": "min_properties",
    "maxProperties": "max_properties",
    "required": "required",
    "enum": "enum",
}


def json_schema_from_file(path: Path) -> apigw.JsonSchema:
    """The draft-04 JSON Schema in ``path`` as an ``apigw.JsonSchema``, keyword for keyword.

    Raises ``ValueError`` naming the file and the keyword for a schema that is not draft-04 or uses a
    keyword this mapping does not carry, so a schema never reaches the template with a rule silently
    dropped.
    """
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as error:
        raise ValueError(f"{path}: not a readable JSON Schema ({error})") from None
    if not isinstance(raw, dict) or raw.get("$schema") != DRAFT4:
        raise ValueError(f"{path}: $schema must be {DRAFT4!r}: API Gateway models are JSON Schema draft 4")
    return _schema(raw, f"{path}: ")


def _schema(raw: Mapping[str, Any], where: str) -> apigw.JsonSchema:
    kwargs: dict[str, Any] = {}
    for key, value in raw.items():
        here = f"{where}{key}"
        if key == "$schema":
            kwargs["schema"] = apigw.JsonSchemaVersion.DRAFT4
        elif key == "type":
            types = [_type(t, here) for t in (value if isinstance(value, list) else [value])]
            kwargs["type"] = types[0] if len(types) == 1 else types
        elif key == "properties":
            kwargs["properties"] = {name: _schema(sub, f"{here}.{name}.") for name, sub in value.items()}
        elif key == "items":
            kwargs["items"] = _schema(value, f"{here}.")
        elif key == "additionalProperties":
            kwargs["additional_properties"] = value if isinstance(value, bool) else _schema(value, f"{here}.")
        elif key in _PLAIN:
            kwargs[_PLAIN[key]] = value
        else:
            raise ValueError(f"{here}: keyword not supported for API Gateway models here")
    return apigw.JsonSchema(**kwargs)


def _type(name: object, where: str) -> apigw.JsonSchemaType:
    try:
        return apigw.JsonSchemaType[str(name).upper()]
    except KeyError:
        raise ValueError(f"{where}: {name!r} is not a JSON Schema type") from None

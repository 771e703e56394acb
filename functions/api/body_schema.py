"""Checking a parsed body against a route's JSON Schema, the same file API Gateway's model is built from.

The schemas live in ``schemas/`` beside this module (``schemas/<name>.json``, draft-04, as API Gateway
models require). The CDK app reads the same files at synth (``stacks/api_stack.py``), so the gateway and
the function can never disagree about a limit. Validation is Powertools' validation utility
(fastjsonschema, which AWS's Powertools layer carries); this module only turns its verdict into one
message per offending field.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from request_body import FieldError

SCHEMA_DIR = Path(__file__).resolve().parent / "schemas"

_TYPE_NAMES = {
    "string": "a string",
    "integer": "an integer",
    "number": "a number",
    "boolean": "true or false",
    "object": "an object",
    "array": "an array",
    "null": "null",
}
# What a pattern means, for the patterns the schemas use; any other pattern is quoted as it is.
_PATTERN_MEANINGS = {"\\S": "must not be empty or blank"}


def load_schema(name: str) -> dict[str, Any]:
    """The JSON Schema ``schemas/<name>.json``."""
    schema: dict[str, Any] = json.loads((SCHEMA_DIR / f"{name}.json").read_text(encoding="utf-8"))
    return schema


def field_errors(data: Mapping[str, Any], schema: Mapping[str, Any]) -> list[FieldError]:
    """Every way the JSON object ``data`` breaks the object ``schema``; empty when it conforms.

    The verdict is Powertools' ``validate`` on the whole object. When it fails, each property is checked
    on its own so that every bad field is named at once (fastjsonschema stops at the first): missing
    required fields in schema order, then each present field that breaks its own rules, then fields the
    schema does not allow (sorted). Should none of those explain the failure, the body as a whole is
    named with the rule it broke.
    """
    # Imported here, not at module load: only POST /items needs it, and it costs cold-start time.
    from aws_lambda_powertools.utilities.validation import SchemaValidationError, validate

    try:
        validate(event=dict(data), schema=dict(schema))
    except SchemaValidationError as error:
        whole = error
    else:
        return []
    draft = {"$schema": schema["$schema"]} if "$schema" in schema else {}
    properties: Mapping[str, Any] = schema.get("properties", {})
    required = set(schema.get("required", ()))
    errors = []
    for field, rules in properties.items():
        if field not in data:
            if field in required:
                errors.append(FieldError(field, "is required"))
            continue
        try:
            # The sub-schema keeps the document's draft: integer means "not 2.0" only in draft-04.
            validate(event=data[field], schema={**draft, **rules})
        except SchemaValidationError as error:
            errors.append(FieldError(field, _message(error.rule, error.rule_definition, rules)))
    if schema.get("additionalProperties") is False:
        extra = sorted(data.keys() - properties.keys())
        errors += [FieldError(key, "is not an allowed field") for key in extra]
    return errors or [FieldError("body", _message(whole.rule, whole.rule_definition, schema))]


def _message(rule: str | None, value: Any, rules: Mapping[str, Any]) -> str:
    """One rule broken, in words; never quotes the offending value back."""
    if rule == "type":
        types = value if isinstance(value, list) else [value]
        return "must be " + " or ".join(_TYPE_NAMES.get(t, str(t)) for t in types)
    if rule == "minLength":
        return "must not be empty" if value == 1 else f"must be at least {value} characters"
    if rule == "maxLength":
        return f"must be at most {value} characters"
    if rule in ("minimum", "maximum"):
        low, high = rules.get("minimum"), rules.get("maximum")
        if low is not None and high is not None:
            return f"must be between {low} and {high}"
        return f"must be at least {low}" if rule == "minimum" else f"must be at most {high}"
    if rule == "pattern":
        return _PATTERN_MEANINGS.get(str(value), f"must match the pattern {value!r}")
    if rule == "enum":
        return f"must be one of {value}"
    return f"breaks the schema's {rule!r} rule"

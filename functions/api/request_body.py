"""Reading a JSON request body as API Gateway hands it over, refusing anything malformed with a clear reason.

API Gateway validates a body against a route's model only when its Content-Type is ``application/json``;
any other content type reaches the function unchecked. So this module trusts nothing: every way a body can
be malformed becomes a ``BodyError`` (400) or ``UnsupportedMediaTypeError`` (415), never an exception that
Lambda turns into a 502.
"""

from __future__ import annotations

import base64
import binascii
import json
import sys
from dataclasses import dataclass
from typing import Any

JSON_MEDIA_TYPE = "application/json"
# Far above any body the routes accept (the largest valid item, every character written as a \u escape,
# is under 8 KiB) and far below what Lambda would take (6 MB): a bigger body is refused before parsing.
MAX_BODY_BYTES = 16 * 1024


@dataclass(frozen=True)
class FieldError:
    """One problem with the body; ``field`` is the offending key, or ``body`` for the body as a whole."""

    field: str
    message: str


class BodyError(ValueError):
    """The body was rejected (400); ``errors`` lists every problem found, in field order."""

    def __init__(self, errors: list[FieldError]) -> None:
        self.errors = errors
        super().__init__("; ".join(f"{error.field} {error.message}" for error in errors))


class UnsupportedMediaTypeError(ValueError):
    """The body is not sent as ``application/json`` (415)."""


def read_json_object(body: str | None, *, content_type: str | None, base64_encoded: bool) -> dict[str, Any]:
    """The body as a JSON object, or ``BodyError`` / ``UnsupportedMediaTypeError`` saying why not.

    Guarantees: the Content-Type is ``application/json`` (an absent header counts as JSON, as API Gateway
    treats it), any charset is UTF-8; the body is at most ``MAX_BODY_BYTES`` of valid UTF-8 (base64 is
    decoded first); it is strict JSON (no NaN or Infinity, no repeated key, integers within Python's digit
    limit, nesting within the recursion limit); and it is an object.
    """
    _check_content_type(content_type)
    text = _decode(body, base64_encoded)
    data = _parse(text)
    if not isinstance(data, dict):
        raise BodyError([FieldError("body", "must be a JSON object")])
    return data


def _check_content_type(content_type: str | None) -> None:
    if content_type is None:
        return
    media_type, *parameters = (part.strip().lower() for part in content_type.split(";"))
    charsets = [p.partition("=")[2].strip('"') for p in parameters if p.startswith("charset=")]
    if media_type != JSON_MEDIA_TYPE or any(charset != "utf-8" for charset in charsets):
        raise UnsupportedMediaTypeError(
            f"Unsupported Content-Type {content_type[:100]!r}: send the body as {JSON_MEDIA_TYPE} (UTF-8)"
        )


def _too_large() -> BodyError:
    return BodyError([FieldError("body", f"must be at most {MAX_BODY_BYTES} bytes")])


def _decode(body: str | None, base64_encoded: bool) -> str:
    if not body:
        raise BodyError([FieldError("body", "is required and must be a JSON object")])
    if base64_encoded:
        # 4 base64 characters carry 3 bytes: refuse an oversized body before decoding it.
        if len(body) > (MAX_BODY_BYTES + 2) // 3 * 4:
            raise _too_large()
        try:
            raw = base64.b64decode(body, validate=True)
        except binascii.Error:
            raise BodyError([FieldError("body", "is not valid base64-encoded UTF-8")]) from None
    else:
        if len(body) > MAX_BODY_BYTES:  # each character is at least one byte
            raise _too_large()
        try:
            raw = body.encode("utf-8")
        except UnicodeEncodeError:  # lone surrogates: not text any client could have sent as UTF-8
            raise BodyError([FieldError("body", "is not valid UTF-8")]) from None
    if len(raw) > MAX_BODY_BYTES:
        raise _too_large()
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        raise BodyError([FieldError("body", "is not valid base64-encoded UTF-8")]) from None


def _refuse_constant(name: str) -> Any:
    # Python's json accepts NaN and Infinity, which are not JSON.
    raise ValueError(f"{name} is not JSON")


def _bounded_int(digits: str) -> int:
    try:
        return int(digits)
    except ValueError:  # only Python's limit on digits (CVE-2020-10735) makes a JSON integer fail here
        raise ValueError(f"a number has more than {sys.get_int_max_str_digits()} digits") from None


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    # With a repeated key, each parser keeps the value it likes (Python the last); API Gateway's
    # validator might have checked another one, so the body is refused instead.
    seen: set[str] = set()
    for key, _ in pairs:
        if key in seen:
            raise ValueError(f"the key {key[:100]!r} appears more than once")
        seen.add(key)
    return dict(pairs)


def _parse(text: str) -> Any:
    try:
        return json.loads(
            text, parse_constant=_refuse_constant, parse_int=_bounded_int, object_pairs_hook=_unique_keys
        )
    except json.JSONDecodeError as error:
        raise BodyError([FieldError("body", f"is not valid JSON ({error.msg})")]) from None
    except RecursionError:
        raise BodyError([FieldError("body", "is nested too deeply")]) from None
    except ValueError as error:  # raised by the hooks above
        raise BodyError([FieldError("body", f"is not acceptable JSON: {error}")]) from None

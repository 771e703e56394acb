"""What a YAML scalar means under the YAML 1.2 core schema, the reader's only schema.

Only ``true``/``false`` (any case as the spec spells them) are booleans, so ``off`` and ``yes`` are
text; ``2024-01-01`` is text, not a date; ``012`` is the number 12 (1.2 has no octal without
``0o``); ``1_000`` is text. Anything quoted, in block style or tagged ``!!str`` is text.
"""

from __future__ import annotations

import math
import re
from typing import Any

import yaml

# https://yaml.org/spec/1.2.2/#1032-tag-resolution, for plain scalars only.
_WORDS: dict[str, Any] = {
    **dict.fromkeys(("", "~", "null", "Null", "NULL")),
    **dict.fromkeys(("true", "True", "TRUE"), True),
    **dict.fromkeys(("false", "False", "FALSE"), False),
    **dict.fromkeys((".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF"), math.inf),
    **dict.fromkeys(("-.inf", "-.Inf", "-.INF"), -math.inf),
    **dict.fromkeys((".nan", ".NaN", ".NAN"), math.nan),
}
_NUMBER_START = frozenset("0123456789+-.")
_INT = re.compile(r"[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+")
_FLOAT = re.compile(r"[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?")


def resolve(event: yaml.ScalarEvent) -> Any:
    """The scalar's value: ``None``, a bool, an int, a float or text."""
    text: str = event.value
    if event.tag is not None or not event.implicit[0]:
        return text
    if text in _WORDS:
        return _WORDS[text]
    if text[0] not in _NUMBER_START:  # most values: names, URLs, ARNs
        return text
    if _INT.fullmatch(text):
        base = {"0o": 8, "0x": 16}.get(text[:2], 10)
        try:
            return int(text[2:] if base != 10 else text, base)
        except ValueError:  # more digits than Python converts (4300); no config number is that long
            return text
    return float(text) if _FLOAT.fullmatch(text) else text

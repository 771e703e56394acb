"""Create-only properties, read from the resource provider schemas that cfn-lint ships.

A provider schema's ``createOnlyProperties`` lists JSON pointers such as
``/properties/GenerateSecret`` or ``/properties/Foo/*/Bar``: changing the value there makes
CloudFormation replace the resource. Reading cfn-lint's bundled copy (cfn-lint is pinned in
requirements-dev.txt) keeps the list current without a network call or a hand-copied table.

The files are read directly (``data/schemas/providers/<region>.json`` maps a type to a schema
file under ``data/schemas/resources/``), the layout cfn-lint's ``ProviderSchemaManager`` reads:
importing that manager costs about a second, the JSON a few milliseconds. Only the bundled copy
is used, never a ``cfn-lint --update-specs`` cache, so the same commit always reviews the same.
"""

from __future__ import annotations

import importlib.util
import json
from functools import cache
from pathlib import Path as FilePath
from typing import Any

from change_review.core.assembly import DEFAULT_REGION
from change_review.core.model import ABSENT, Path

# A pointer as segments below /properties; "*" stands for every item of a list.
Pointer = tuple[str, ...]


@cache
def create_only_pointers(region: str, resource_type: str) -> tuple[Pointer, ...]:
    """The type's create-only pointers, as segments under ``Properties``; () when unknown.

    An unknown region falls back to us-east-1 (schemas rarely differ by region); an unknown type
    (a third-party or custom resource) has no create-only properties as far as we can tell.
    """
    for where in (region, DEFAULT_REGION):
        schema_id = _provider_index(where).get(resource_type)
        if schema_id is not None:
            schema = _schema(schema_id)
            pointers = schema.get("createOnlyProperties", [])
            return tuple(_segments(p) for p in pointers if p.startswith("/properties/"))
    return ()


@cache
def _schemas_dir() -> FilePath:
    spec = importlib.util.find_spec("cfnlint")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("cfn-lint is not installed; run `make setup`")
    return FilePath(next(iter(spec.submodule_search_locations))) / "data" / "schemas"


@cache
def _provider_index(region: str) -> dict[str, str]:
    path = _schemas_dir() / "providers" / f"{region}.json"
    if not path.is_file():
        return {}
    index: dict[str, str] = json.loads(path.read_text(encoding="utf-8"))
    return index


@cache
def _schema(schema_id: str) -> dict[str, Any]:
    schema: dict[str, Any] = json.loads(
        (_schemas_dir() / "resources" / f"{schema_id}.json").read_text("utf-8")
    )
    return schema


def _segments(pointer: str) -> Pointer:
    # RFC 6901 escapes: ~1 is "/", ~0 is "~".
    return tuple(s.replace("~1", "/").replace("~0", "~") for s in pointer.split("/")[2:])


def values_at(value: Any, pointer: Pointer) -> list[Any]:
    """Every value the pointer reaches in ``value`` (ABSENT where a key is missing).

    ``*`` fans out over list items, so ``Foo/*/Bar`` on ``{"Foo": [{"Bar": 1}, {}]}`` gives
    ``[1, ABSENT]``; comparing these lists between base and head tells whether the pointer changed.
    """
    if not pointer:
        return [value]
    head, rest = pointer[0], pointer[1:]
    if head == "*":
        if not isinstance(value, list):
            return [ABSENT] if value is ABSENT else [value]
        return [v for item in value for v in values_at(item, rest)]
    if isinstance(value, dict):
        return values_at(value.get(head, ABSENT), rest)
    if isinstance(value, list) and head.isdigit():
        index = int(head)
        return values_at(value[index] if index < len(value) else ABSENT, rest)
    return [ABSENT]


def is_under(path: Path, pointer: Pointer) -> bool:
    """Whether a change at ``path`` (under ``Properties``) touches what ``pointer`` reaches.

    True when one is a prefix of the other: a change inside ``Foo/Bar`` and a whole ``Foo``
    object appearing both touch ``Foo/Bar``. ``*`` matches any list item, by index or by identity.
    """
    segments = path[1:] if path[:1] == ("Properties",) else path
    for seg, part in zip(segments, pointer, strict=False):
        if part == "*":
            if isinstance(seg, str):
                return False
        elif seg != part and not (isinstance(seg, int) and part == str(seg)):
            return False
    return True

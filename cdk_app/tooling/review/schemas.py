"""Create-only properties, read from the resource provider schemas that cfn-lint ships.

A provider schema's ``createOnlyProperties`` lists JSON pointers such as
``/properties/GenerateSecret`` or ``/properties/Foo/*/Bar``: changing the value there makes
CloudFormation replace the resource. Reading cfn-lint's bundled copy (pinned in
requirements-dev.txt) keeps the list current without a network call or a hand-copied table.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from cdk_app.tooling.review.assembly import DEFAULT_REGION
from cdk_app.tooling.review.model import ABSENT, Path

# A pointer as segments below /properties; "*" stands for every item of a list.
Pointer = tuple[str, ...]


@cache
def create_only_pointers(region: str, resource_type: str) -> tuple[Pointer, ...]:
    """The type's create-only pointers, as segments under ``Properties``; () when unknown.

    An unknown region falls back to us-east-1 (schemas rarely differ by region); an unknown type
    (a third-party or custom resource) has no create-only properties as far as we can tell.
    """
    # Imported here: cfn-lint takes about a second to import, and only a review needs it.
    from cfnlint.schema import PROVIDER_SCHEMA_MANAGER
    from cfnlint.schema._exceptions import ResourceNotFoundError

    schema: Any = None
    for where in (region, DEFAULT_REGION):
        try:
            schema = PROVIDER_SCHEMA_MANAGER.get_resource_schema(where, resource_type)
            break
        except (ResourceNotFoundError, KeyError):
            continue
    if schema is None:
        return ()
    pointers = schema.schema.get("createOnlyProperties", [])
    return tuple(_segments(p) for p in pointers if p.startswith("/properties/"))


def warm_up() -> None:
    """Import cfn-lint's schema manager now (e.g. while synthesis runs in other processes)."""
    create_only_pointers(DEFAULT_REGION, "AWS::Cognito::UserPoolClient")


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

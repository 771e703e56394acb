"""Structural diff of two resources: leaf-level changes with paths a reviewer can read."""

from __future__ import annotations

from typing import Any

from change_review.core.model import ABSENT, Path, PropertyChange

# Keys that name a list item, tried in order. Matching items by name means inserting a callback
# URL or reordering schema attributes shows as one addition, not a cascade of index changes.
IDENTITY_KEYS = ("Name", "Key", "Id", "LogicalId", "AttributeName", "ScopeName", "ProviderName")

# Parts of a resource that change nothing in AWS: CDK's construct paths and asset metadata.
IGNORED_RESOURCE_KEYS = frozenset({"Metadata"})


def diff_resource(old: dict[str, Any], new: dict[str, Any]) -> list[PropertyChange]:
    """Leaf changes between two versions of one resource, ``Type`` and ``Metadata`` excluded.

    Properties keep their ``Properties`` prefix in the path; DeletionPolicy, DependsOn and the
    like appear under their own names. Equal inputs give an empty list.
    """
    keys = sorted((set(old) | set(new)) - IGNORED_RESOURCE_KEYS - {"Type"})
    changes: list[PropertyChange] = []
    for key in keys:
        changes.extend(diff_values(old.get(key, ABSENT), new.get(key, ABSENT), (key,)))
    return changes


def diff_values(old: Any, new: Any, path: Path) -> list[PropertyChange]:
    """Recursive diff: dicts by key, identity-keyed lists by item, other lists as one value."""
    if old == new and type(old) is type(new):
        return []
    if isinstance(old, dict) and isinstance(new, dict) and not _is_intrinsic(old) and not _is_intrinsic(new):
        out: list[PropertyChange] = []
        for key in sorted(set(old) | set(new)):
            out.extend(diff_values(old.get(key, ABSENT), new.get(key, ABSENT), (*path, key)))
        return out
    if isinstance(old, list) and isinstance(new, list):
        key = _identity_key(old, new)
        if key is not None:
            return _diff_keyed(old, new, key, path)
        if len(old) == len(new) and any(isinstance(v, dict | list) for v in old + new):
            out = []
            for i, (a, b) in enumerate(zip(old, new, strict=True)):
                out.extend(diff_values(a, b, (*path, i)))
            return out
    return [PropertyChange(path, old, new)]


def _diff_keyed(old: list[Any], new: list[Any], key: str, path: Path) -> list[PropertyChange]:
    before = {str(item[key]): item for item in old}
    after = {str(item[key]): item for item in new}
    out: list[PropertyChange] = []
    for name in [*before, *(n for n in after if n not in before)]:
        out.extend(diff_values(before.get(name, ABSENT), after.get(name, ABSENT), (*path, (key, name))))
    return out


def _identity_key(old: list[Any], new: list[Any]) -> str | None:
    items = old + new
    if not items or not all(isinstance(i, dict) for i in items):
        return None
    for key in IDENTITY_KEYS:
        named = all(isinstance(i.get(key), str) for i in items)
        if named and len({i[key] for i in old}) == len(old) and len({i[key] for i in new}) == len(new):
            return key
    return None


def _is_intrinsic(value: dict[str, Any]) -> bool:
    # {"Ref": ...} or {"Fn::Join": ...} is one value; diffing inside it would show noise paths.
    return len(value) == 1 and (next(iter(value)) == "Ref" or next(iter(value)).startswith("Fn::"))


def references(value: Any) -> set[str]:
    """Logical IDs a value refers to through Ref, Fn::GetAtt or Fn::Sub's ``${Id}``/``${Id.Attr}``."""
    found: set[str] = set()
    if isinstance(value, dict):
        for key, inner in value.items():
            if key == "Ref" and isinstance(inner, str):
                found.add(inner)
            elif key == "Fn::GetAtt":
                target = inner[0] if isinstance(inner, list) and inner else str(inner).split(".")[0]
                found.add(str(target))
            elif key == "Fn::Sub":
                text = inner[0] if isinstance(inner, list) and inner else inner
                if isinstance(text, str):
                    found.update(_sub_names(text))
                found |= references(inner)
            else:
                found |= references(inner)
    elif isinstance(value, list):
        for item in value:
            found |= references(item)
    return found


def _sub_names(text: str) -> set[str]:
    names: set[str] = set()
    for chunk in text.split("${")[1:]:
        name = chunk.split("}", 1)[0]
        if name and not name.startswith("!") and not name.startswith("AWS::"):
            names.add(name.split(".", 1)[0])
    return names


def set_difference(old: Any, new: Any) -> tuple[list[Any], list[Any]] | None:
    """For two lists of scalars: (added, removed) items; None when not two scalar lists."""
    if not (isinstance(old, list) and isinstance(new, list)):
        return None
    if any(isinstance(v, dict | list) for v in old + new):
        return None
    return [v for v in new if v not in old], [v for v in old if v not in new]

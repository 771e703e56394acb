"""Read a remove and an add of one type as a rename, whatever the logical IDs are.

Construct IDs often derive from names (a group ``admins`` is ``UserPoolGroupAdmins71FF1420``), so
renaming the thing renames its logical ID too; a refactor can change every logical ID at once.
Either way CloudFormation sees a resource removed and another added. The review pairs them by
what they share: same type in the same stack, the policy's must-match properties equal, then the
most equal properties, then the nearest position among resources of that type.
"""

from __future__ import annotations

from typing import Any

from change_review.policy.resources import RENAMEABLE


def pair_renames(
    removed: list[str], added: list[str], old_res: dict[str, Any], new_res: dict[str, Any]
) -> list[tuple[str, str]]:
    """(old ID, new ID) pairs, each ID in at most one pair; unpaired ones stay removals or additions."""
    old_pos, new_pos = _positions(old_res), _positions(new_res)
    candidates: list[tuple[int, int, str, str]] = []
    for old_id in removed:
        old = old_res[old_id]
        must_match = RENAMEABLE.get(old["Type"])
        if must_match is None:
            continue
        for new_id in added:
            new = new_res[new_id]
            if new["Type"] != old["Type"] or any(_prop(old, k) != _prop(new, k) for k in must_match):
                continue
            distance = abs(old_pos[old_id] - new_pos[new_id])
            candidates.append((-_similarity(old, new), distance, old_id, new_id))
    pairs: list[tuple[str, str]] = []
    taken: set[str] = set()
    for _, _, old_id, new_id in sorted(candidates):
        if old_id not in taken and new_id not in taken:
            taken |= {old_id, new_id}
            pairs.append((old_id, new_id))
    return sorted(pairs, key=lambda p: removed.index(p[0]))


def _similarity(a: dict[str, Any], b: dict[str, Any]) -> int:
    pa, pb = a.get("Properties", {}), b.get("Properties", {})
    return sum(1 for k in pa if k in pb and pa[k] == pb[k])


def _prop(resource: dict[str, Any], key: str) -> Any:
    return resource.get("Properties", {}).get(key)


def _positions(resources: dict[str, Any]) -> dict[str, int]:
    # The index of each resource among the template's resources of its type.
    seen: dict[str, int] = {}
    out: dict[str, int] = {}
    for logical_id, resource in resources.items():
        rtype = str(resource.get("Type"))
        out[logical_id] = seen.get(rtype, 0)
        seen[rtype] = out[logical_id] + 1
    return out

"""Judge one stack's changes: every resource change gets exactly one verdict, with its reasons."""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

from change_review import explain
from change_review.assembly import StackTemplate
from change_review.cognito_rules import USER_POOL, judge_user_pool_change
from change_review.diff import diff_resource, references
from change_review.model import PropertyChange, ResourceChange, StackReview, Verdict, worst
from change_review.schemas import Pointer, create_only_pointers, is_under, values_at

_ASSET_KEY = re.compile(r"^[0-9a-f]{64}\.(zip|json|tar\.gz)$")
STACK_LEFT_APP = "removed from the app"
_ACTION_ORDER = {"renamed": 0, "removed": 1, "modified": 2, "added": 3}


def review_stack(env: str, stack: str, base: StackTemplate | None, head: StackTemplate | None) -> StackReview:
    """Compare one stack at base and head. A side that is None is a stack that does not exist there;
    a stack only at base is reported with a note and no changes, since deploying deletes nothing.

    Guarantees: a removed or renamed stateful resource, or a replaced one, is DATA LOSS; a changed
    create-only property (directly, or through a reference to a replaced resource) is REPLACEMENT;
    a user pool change Cognito refuses is WILL FAIL; everything else is SAFE.
    """
    if head is None:
        # `cdk deploy` never deletes a stack that left the app: it stays deployed, as it is.
        return StackReview(env, stack, (), note=STACK_LEFT_APP)
    old_res = base.resources if base else {}
    new_res = head.resources
    removed = [k for k in old_res if k not in new_res]
    added = [k for k in new_res if k not in old_res]
    changes: list[ResourceChange] = []
    for old_id, new_id in _pair_renames(removed, added, old_res, new_res):
        removed.remove(old_id)
        added.remove(new_id)
        old, rtype = old_res[old_id], old_res[old_id]["Type"]
        props = tuple(diff_resource(old, new_res[new_id]))
        reason = explain.rename(rtype, old_id, new_id, old)
        changes.append(
            ResourceChange(env, stack, old_id, rtype, "renamed", Verdict.DATA_LOSS, (reason,), props, new_id)
        )
    for logical_id in removed:
        old, rtype = old_res[logical_id], old_res[logical_id]["Type"]
        verdict = Verdict.DATA_LOSS if rtype in explain.STATEFUL_TYPES else Verdict.SAFE
        reason = explain.removal(rtype, logical_id, old)
        changes.append(ResourceChange(env, stack, logical_id, rtype, "removed", verdict, (reason,)))
    for logical_id in added:
        changes.append(
            ResourceChange(env, stack, logical_id, new_res[logical_id]["Type"], "added", Verdict.SAFE)
        )
    for logical_id, (props, reasons, verdict) in _judge_common(head.region, old_res, new_res).items():
        rtype = new_res[logical_id]["Type"]
        changes.append(
            ResourceChange(env, stack, logical_id, rtype, "modified", verdict, tuple(reasons), props)
        )
    changes.sort(key=_order)
    return StackReview(env, stack, tuple(changes), "new stack" if base is None else "")


Judged = tuple[tuple[PropertyChange, ...], list[str], Verdict]


def _order(change: ResourceChange) -> tuple[int, bool, int, str]:
    # Worst first; within a verdict, causes (the property that changed) before their consequences
    # (a resource replaced only because it refers to a replaced one).
    caused_here = any(p.verdict is change.verdict for p in change.properties) or change.action != "modified"
    return (-change.verdict.rank, not caused_here, _ACTION_ORDER[change.action], change.logical_id)


def _judge_common(region: str, old_res: dict[str, Any], new_res: dict[str, Any]) -> dict[str, Judged]:
    judged: dict[str, Judged] = {}
    replaced: set[str] = set()
    for logical_id in (k for k in new_res if k in old_res):
        old, new = old_res[logical_id], new_res[logical_id]
        diffs = diff_resource(old, new)
        if old["Type"] != new["Type"]:
            reason = f"type changed {old['Type']} → {new['Type']}: CloudFormation replaces the resource"
            verdict = Verdict.DATA_LOSS if old["Type"] in explain.STATEFUL_TYPES else Verdict.REPLACEMENT
            judged[logical_id] = (tuple(diffs), [reason], verdict)
            replaced.add(logical_id)
        elif diffs:
            judged[logical_id] = _judge_modified(region, old, new, diffs)
            if any(p.verdict in {Verdict.REPLACEMENT, Verdict.DATA_LOSS} for p in judged[logical_id][0]):
                replaced.add(logical_id)
    # A create-only property that refers to a replaced resource changes value at deploy time even
    # though its text does not ({"Ref": "SpaClient"} names a new client), so replacement spreads.
    spreading = True
    while spreading:
        spreading = False
        for logical_id, new in new_res.items():
            if (
                logical_id not in old_res
                or logical_id in replaced
                or old_res[logical_id]["Type"] != new["Type"]
            ):
                continue
            hit = _refers_to_replaced(region, new, replaced)
            if hit is None:
                continue
            prop, target = hit
            stateful = new["Type"] in explain.STATEFUL_TYPES
            verdict = Verdict.DATA_LOSS if stateful else Verdict.REPLACEMENT
            seen, reasons, _ = judged.get(logical_id, ((), [], Verdict.SAFE))
            judged[logical_id] = (seen, [explain.dependency(new["Type"], prop, target), *reasons], verdict)
            replaced.add(logical_id)
            spreading = True
    return judged


def _judge_modified(
    region: str, old: dict[str, Any], new: dict[str, Any], props: list[PropertyChange]
) -> Judged:
    rtype = str(new["Type"])
    old_props, new_props = old.get("Properties", {}), new.get("Properties", {})
    changed = [
        p for p in create_only_pointers(region, rtype) if values_at(old_props, p) != values_at(new_props, p)
    ]
    replacing = Verdict.DATA_LOSS if rtype in explain.STATEFUL_TYPES else Verdict.REPLACEMENT
    out: list[PropertyChange] = []
    for change in props:
        hit = next(
            (p for p in changed if change.path[:1] == ("Properties",) and is_under(change.path, p)), None
        )
        if hit is not None:
            judged = replace(change, verdict=replacing, note=f"{_show(hit)} is create-only")
        else:
            judged = judge_user_pool_change(change) if rtype == USER_POOL else change
        out.append(_annotate(judged, rtype))
    reasons = [explain.replacement(rtype, _show(p), old) for p in changed]
    reasons += list(dict.fromkeys(c.note for c in out if c.verdict is Verdict.WILL_FAIL))
    verdict = replacing if changed else worst([c.verdict for c in out])
    return tuple(out), reasons, verdict


def _refers_to_replaced(region: str, resource: dict[str, Any], replaced: set[str]) -> tuple[str, str] | None:
    props = resource.get("Properties", {})
    for pointer in create_only_pointers(region, str(resource["Type"])):
        targets = references(values_at(props, pointer)) & replaced
        if targets:
            return _show(pointer), sorted(targets)[0]
    return None


def _annotate(change: PropertyChange, rtype: str) -> PropertyChange:
    if change.note or change.verdict is not Verdict.SAFE:
        return change
    if change.path[-1:] == ("S3Key",) and isinstance(change.new, str) and _ASSET_KEY.match(change.new):
        return replace(change, note="asset hash: the code bundle changed")
    if (
        change.path == ("DeletionPolicy",)
        and rtype in explain.STATEFUL_TYPES
        and change.new in {"Delete", None}
    ):
        return replace(change, note=f"the {explain.noun(rtype)} would now be deleted, not kept, when removed")
    return change


def _pair_renames(
    removed: list[str], added: list[str], old_res: dict[str, Any], new_res: dict[str, Any]
) -> list[tuple[str, str]]:
    """Stateful remove+add pairs of one type: a logical ID change, matched by most equal properties."""
    pairs: list[tuple[str, str]] = []
    free = list(added)
    for old_id in removed:
        rtype = old_res[old_id]["Type"]
        if rtype not in explain.STATEFUL_TYPES:
            continue
        candidates = [n for n in free if new_res[n]["Type"] == rtype]
        if not candidates:
            continue
        best = max(candidates, key=lambda n: _similarity(old_res[old_id], new_res[n]))
        free.remove(best)
        pairs.append((old_id, best))
    return pairs


def _similarity(a: dict[str, Any], b: dict[str, Any]) -> int:
    pa, pb = a.get("Properties", {}), b.get("Properties", {})
    return sum(1 for k in pa if k in pb and pa[k] == pb[k])


def _show(pointer: Pointer) -> str:
    return "/".join(pointer)

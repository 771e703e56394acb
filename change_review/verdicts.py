"""Judge one stack's changes: every change gets exactly one verdict, with its reasons.

This module applies the policy in ``change_review.policy``; it decides nothing on its own.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from change_review.core.assembly import StackTemplate
from change_review.core.diff import diff_resource, references
from change_review.core.model import (
    Action,
    PropertyChange,
    ResourceChange,
    StackReview,
    Verdict,
    worst,
)
from change_review.output_changes import review_outputs
from change_review.pairing import pair_renames
from change_review.policy import explain, federation
from change_review.policy.cognito import judge_refusal
from change_review.policy.create_only import Pointer, create_only_pointers, is_under, values_at
from change_review.policy.outputs import readers
from change_review.policy.resources import (
    CUSTOM_NAMES,
    POOL_ID,
    protections_removed,
    removed_verdict,
    replaced_verdict,
)
from change_review.stack_changes import stack_moved, termination_protection_lost

STACK_LEFT_APP = "removed from the app"
_ACTION_ORDER = {"moved": 0, "renamed": 1, "removed": 2, "modified": 3, "added": 4}
_REPLACING = {Verdict.DATA_LOSS, Verdict.REPLACEMENT}
# Property verdicts whose note says what happens, and so becomes a reason of the resource's change.
_EXPLAINED = {Verdict.WILL_FAIL, Verdict.BREAKING, Verdict.NO_EFFECT}


@dataclass
class _Draft:
    """A resource change while its verdict and reasons are still being worked out."""

    logical_id: str
    resource_type: str
    action: Action
    verdict: Verdict
    reasons: list[str] = field(default_factory=list)
    properties: tuple[PropertyChange, ...] = ()
    new_logical_id: str | None = None

    def build(self, env: str, stack: str) -> ResourceChange:
        return ResourceChange(
            env,
            stack,
            self.logical_id,
            self.resource_type,
            self.action,
            self.verdict,
            tuple(self.reasons),
            self.properties,
            self.new_logical_id,
        )


def review_stack(env: str, stack: str, base: StackTemplate | None, head: StackTemplate | None) -> StackReview:
    """Compare one stack at base and head. A side that is None is a stack that does not exist there;
    a stack only at base is reported with a note and no changes, since deploying deletes nothing.

    Guarantees: a removed, renamed or replaced stateful resource, and a stack that moves to another
    account or region with one, is DATA LOSS; a changed create-only property (directly, or through a
    reference to a replaced resource) or a renamed client, provider, resource server or domain is
    REPLACEMENT; a removed client, domain or identity provider, a removed or changed output a known
    consumer reads, a first factor taken away or a changed passkey relying party ID is BREAKING; a
    stateful resource losing its protection is UNPROTECTED; a change Cognito refuses, a replacement that
    keeps a name that must be unique, or a new provider taking identifiers another still holds, is WILL
    FAIL; a sign-in policy dropped from the template (Cognito keeps it) is NO EFFECT; everything else is
    SAFE.
    """
    if head is None:
        # `cdk deploy` never deletes a stack that left the app: it stays deployed, as it is.
        return StackReview(env, stack, (), note=STACK_LEFT_APP)
    if base is not None:
        move = stack_moved(env, stack, base, head)
        if move is not None:
            return StackReview(env, stack, (move,))
    old_res = base.resources if base else {}
    new_res = head.resources
    removed = [k for k in old_res if k not in new_res]
    added = [k for k in new_res if k not in old_res]
    pairs = pair_renames(removed, added, old_res, new_res)
    drafts: dict[str, _Draft] = {}
    for old_id, new_id in pairs:
        removed.remove(old_id)
        added.remove(new_id)
        drafts[old_id] = _renamed(old_id, new_id, old_res[old_id], new_res[new_id])
    for logical_id in removed:
        old = old_res[logical_id]
        rtype = old["Type"]
        reason = explain.removal(rtype, logical_id, old, old_res)
        drafts[logical_id] = _Draft(logical_id, rtype, "removed", removed_verdict(rtype), [reason])
    modified, replaced = _judge_common(head.region, old_res, new_res)
    drafts.update(modified)
    gone = {d.logical_id for d in drafts.values() if d.action in {"removed", "renamed"}}
    _name_collisions(drafts, pairs, old_res, new_res, replaced | gone)
    _identifier_collisions(drafts, pairs, added, old_res, new_res, replaced, gone)
    changes = _with_outputs(env, stack, drafts, base, head, replaced)
    changes += [
        ResourceChange(env, stack, k, new_res[k]["Type"], "added", Verdict.SAFE)
        for k in added
        if k not in drafts
    ]
    if base is not None:
        unprotected = termination_protection_lost(env, stack, base, head)
        changes += [unprotected] if unprotected else []
    changes.sort(key=_order)
    return StackReview(env, stack, tuple(changes), "new stack" if base is None else "")


def _renamed(old_id: str, new_id: str, old: dict[str, Any], new: dict[str, Any]) -> _Draft:
    rtype = str(old["Type"])
    props = tuple(diff_resource(old, new))
    reason = explain.rename(rtype, old_id, new_id, old, new)
    return _Draft(old_id, rtype, "renamed", replaced_verdict(rtype), [reason], props, new_id)


def _with_outputs(
    env: str,
    stack: str,
    drafts: dict[str, _Draft],
    base: StackTemplate | None,
    head: StackTemplate,
    replaced: set[str],
) -> list[ResourceChange]:
    """The drafts, with the outputs that follow each one named in its reasons, and output changes."""
    touched = {
        d.logical_id: d.verdict.blocking
        for d in drafts.values()
        if d.action in {"removed", "renamed"} or d.logical_id in replaced
    }
    outputs = review_outputs(env, stack, base.outputs if base else {}, head.outputs, touched)
    for logical_id, keys in outputs.follow.items():
        for gone in (True, False):
            read = {k: readers(k) for k, goes in keys.items() if goes is gone and readers(k)}
            if read:
                drafts[logical_id].reasons.append(explain.outputs_follow(gone, read))
    return [d.build(env, stack) for d in drafts.values()] + outputs.changes


def _order(change: ResourceChange) -> tuple[int, bool, int, str]:
    # Worst first; within a verdict, causes (the property that changed) before their consequences
    # (a resource replaced only because it refers to a replaced one).
    caused_here = any(p.verdict is change.verdict for p in change.properties) or change.action != "modified"
    return (-change.verdict.rank, not caused_here, _ACTION_ORDER[change.action], change.logical_id)


def _judge_common(
    region: str, old_res: dict[str, Any], new_res: dict[str, Any]
) -> tuple[dict[str, _Draft], set[str]]:
    judged: dict[str, _Draft] = {}
    replaced: set[str] = set()
    for logical_id in (k for k in new_res if k in old_res):
        old, new = old_res[logical_id], new_res[logical_id]
        diffs = diff_resource(old, new)
        if old["Type"] != new["Type"]:
            reason = f"type changed {old['Type']} → {new['Type']}: CloudFormation replaces the resource"
            verdict = replaced_verdict(old["Type"])
            judged[logical_id] = _Draft(logical_id, new["Type"], "modified", verdict, [reason], tuple(diffs))
            replaced.add(logical_id)
        elif diffs:
            judged[logical_id] = _judge_modified(region, logical_id, old, new, diffs)
            if any(p.verdict in _REPLACING for p in judged[logical_id].properties):
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
            draft = judged.setdefault(logical_id, _Draft(logical_id, new["Type"], "modified", Verdict.SAFE))
            draft.reasons.insert(0, explain.dependency(new["Type"], prop, target))
            draft.verdict = replaced_verdict(new["Type"])
            replaced.add(logical_id)
            spreading = True
    return judged, replaced


def _judge_modified(
    region: str, logical_id: str, old: dict[str, Any], new: dict[str, Any], props: list[PropertyChange]
) -> _Draft:
    rtype = str(new["Type"])
    old_props, new_props = old.get("Properties", {}), new.get("Properties", {})
    changed = [
        p for p in create_only_pointers(region, rtype) if values_at(old_props, p) != values_at(new_props, p)
    ]
    replacing = replaced_verdict(rtype)
    lost = protections_removed(rtype, old, new)
    out: list[PropertyChange] = []
    for change in props:
        hit = next(
            (p for p in changed if change.path[:1] == ("Properties",) and is_under(change.path, p)), None
        )
        if hit is not None:
            judged = replace(change, verdict=replacing, note=f"{_show(hit)} is create-only")
        elif any(change.path == path for path, _ in lost):
            judged = replace(change, verdict=Verdict.UNPROTECTED)
        else:
            judged = judge_refusal(rtype, change)
        out.append(explain.annotate(judged, rtype))
    reasons = [explain.replacement(rtype, _show(p), old, new) for p in changed]
    if lost:
        reasons.append(explain.protection_removed(rtype, [text for _, text in lost]))
    reasons += list(dict.fromkeys(c.note for c in out if c.verdict in _EXPLAINED))
    verdict = replacing if changed else worst([c.verdict for c in out])
    return _Draft(logical_id, rtype, "modified", verdict, reasons, tuple(out))


def _name_collisions(
    drafts: dict[str, _Draft],
    pairs: list[tuple[str, str]],
    old_res: dict[str, Any],
    new_res: dict[str, Any],
    moving: set[str],
) -> None:
    """Turn a replacement (or rename) that keeps a name that must be unique into WILL FAIL.

    ``moving`` holds every resource removed, renamed or replaced: a name or pool ID that refers to
    one of them changes at deploy time even when its text does not, so it does not collide.
    """
    new_ids = dict(pairs)
    for draft in drafts.values():
        replacing = draft.action == "renamed" or (
            draft.action == "modified" and draft.verdict in _REPLACING and draft.logical_id in new_res
        )
        name = CUSTOM_NAMES.get(draft.resource_type)
        if not replacing or name is None:
            continue
        old = old_res[draft.logical_id].get("Properties", {})
        new = new_res[new_ids.get(draft.logical_id, draft.logical_id)].get("Properties", {})
        keys = (name.prop, POOL_ID) if name.per_pool else (name.prop,)
        kept = all(
            old.get(k) is not None and old.get(k) == new.get(k) and not references(new.get(k)) & moving
            for k in keys
        )
        if kept:
            draft.reasons.insert(0, explain.name_collision(draft.resource_type, name, new[name.prop]))
            draft.verdict = Verdict.WILL_FAIL


def _identifier_collisions(
    drafts: dict[str, _Draft],
    pairs: list[tuple[str, str]],
    added: list[str],
    old_res: dict[str, Any],
    new_res: dict[str, Any],
    replaced: set[str],
    gone: set[str],
) -> None:
    """Turn each new identity provider whose identifiers another provider still holds into WILL FAIL:
    an addition (a draft of its own), a rename's new side or a replacement."""
    created: dict[str, str | None] = {k: None for k in added}
    created.update({new: old for old, new in pairs})
    created.update({k: k for k in replaced if k in new_res})
    going = {k for k in replaced | gone if k in old_res}
    hits = federation.identifier_collisions(old_res, new_res, created, going, replaced | gone)
    for new_id, reason in hits.items():
        old_id = created[new_id]
        draft = drafts.get(old_id) if old_id is not None else None
        if draft is None:
            draft = drafts[new_id] = _Draft(new_id, str(new_res[new_id]["Type"]), "added", Verdict.SAFE)
        draft.reasons.insert(0, reason)
        draft.verdict = Verdict.WILL_FAIL


def _refers_to_replaced(region: str, resource: dict[str, Any], replaced: set[str]) -> tuple[str, str] | None:
    props = resource.get("Properties", {})
    for pointer in create_only_pointers(region, str(resource["Type"])):
        targets = references(values_at(props, pointer)) & replaced
        if targets:
            return _show(pointer), sorted(targets)[0]
    return None


def _show(pointer: Pointer) -> str:
    return "/".join(pointer)

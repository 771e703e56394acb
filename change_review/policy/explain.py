"""What a change means for the people using the pool, in words a reviewer can check."""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

from change_review.core.model import PropertyChange, Verdict
from change_review.policy import federation
from change_review.policy.resources import (
    CLIENT,
    DOMAIN,
    PROVIDER,
    REACHED_BY_ID,
    RESOURCE_SERVER,
    CustomName,
    contents,
    is_retained,
    is_stateful,
    name_property,
    noun,
)

_NEW_CLIENT = (
    "a new client with a new client ID (and secret) that every app must learn; the old client is "
    "deleted, so apps still using its ID stop signing in"
)
# What replacing a (non-stateful) resource does to the people relying on it, by type; a rename
# (logical ID change) is a replacement too.
_REPLACED: dict[str, str] = {
    CLIENT: _NEW_CLIENT,
    DOMAIN: (
        "a new sign-in URL: every app's authorize/token/logout endpoints and every identity "
        "provider's redirect URI (…/oauth2/idpresponse, …/saml2/idpresponse) must change, and the "
        "old URL stops working"
    ),
    RESOURCE_SERVER: (
        "every scope string changes (<identifier>/<scope>: api/read becomes api2/read), so no "
        "existing token satisfies the API, and clients asking for the old scopes fail"
    ),
    "AWS::Cognito::ManagedLoginBranding": "a new branding style (the old one is deleted)",
}
# Where the create-only property that changed tells a more precise story than the type does.
_REPLACED_BY: dict[tuple[str, str], str] = {
    (CLIENT, "UserPoolId"): "a new client (new client ID) in another pool",
}

# What removing a resource that is neither stateful nor reached by ID breaks, where people notice.
_REMOVED: dict[str, str] = {
    RESOURCE_SERVER: "its scopes stop existing; clients asking for them fail",
    # CDK puts a hash of the API into the deployment's logical ID, so every API change swaps it.
    "AWS::ApiGateway::Deployment": "a new deployment of the API takes its place (routine for any API change)",
}
_ASSET_KEY = re.compile(r"^[0-9a-f]{64}\.(zip|json|tar\.gz)$")


def replacement(resource_type: str, prop: str, old: dict[str, Any], new: dict[str, Any] | None = None) -> str:
    """Why replacing the resource because ``prop`` (a create-only property) changed matters."""
    base = f"{prop} is create-only, so CloudFormation replaces the {noun(resource_type)}"
    if is_stateful(resource_type):
        kept = str(old.get("UpdateReplacePolicy", "Delete")) in {"Retain", "Snapshot"}
        fate = "RETAIN only orphans the old one" if kept else "the old one is DELETED"
        return f"{base} with a new, EMPTY one; {fate} with {contents(resource_type)}"
    in_new_pool = f"a new {noun(resource_type)} in the new pool" if prop == "UserPoolId" else None
    what = _REPLACED_BY.get((resource_type, prop)) or in_new_pool or _replaced(resource_type, old, new)
    return f"{base}: {what}" if what else f"{base} (new physical ID; the old one is deleted)"


def rename(resource_type: str, old_id: str, new_id: str, old: dict[str, Any], new: dict[str, Any]) -> str:
    """A resource whose logical ID changed (a remove and an add the review paired)."""
    kind = noun(resource_type)
    prop = name_property(resource_type)
    before, after = (r.get("Properties", {}).get(prop) if prop else None for r in (old, new))
    if prop and before != after:
        what = f"renamed ({prop} {before!r} → {after!r}, logical ID {old_id} → {new_id})"
        advice = ""
    else:
        what = f"logical ID changed {old_id} → {new_id}"
        advice = f". Keep the old construct ID, or pin it with override_logical_id({old_id!r})"
    if not is_stateful(resource_type):
        effect = _replaced(resource_type, old, new) or "a new physical ID; the old one is deleted"
        return f"{what}: CloudFormation creates a new {kind} and deletes the old one: {effect}{advice}"
    fate = (
        "RETAIN only orphans the old one: it stays, unmanaged, with its contents, but nothing uses it"
        if is_retained(old)
        else f"the old one is DELETED with {contents(resource_type)}"
    )
    return f"{what}: CloudFormation creates a new, EMPTY {kind}; {fate}{advice}"


def removal(
    resource_type: str, logical_id: str, old: dict[str, Any], base: dict[str, Any] | None = None
) -> str:
    """A removed resource: DATA LOSS wording for stateful types, what breaks for the others.

    ``base`` is the stack's resources at base: a removed provider names the clients that offered it.
    """
    kind = noun(resource_type)
    if resource_type == PROVIDER:
        return federation.removal(logical_id, old, base or {})
    if not is_stateful(resource_type):
        effect = REACHED_BY_ID.get(resource_type) or _REMOVED.get(resource_type)
        return f"removed: CloudFormation deletes the {kind}" + (f"; {effect}" if effect else "")
    if is_retained(old):
        return (
            f"removed: the {kind} {logical_id} is retained but orphaned — no longer managed, and "
            "nothing in the stack uses it"
        )
    return f"removed: CloudFormation DELETES the {kind} {logical_id} with {contents(resource_type)}"


def dependency(resource_type: str, prop: str, target: str) -> str:
    """A resource replaced because a create-only property refers to a replaced resource."""
    return (
        f"{prop} is create-only and refers to {target}, which is replaced: its value changes at "
        f"deploy time, so CloudFormation replaces this {noun(resource_type)} too"
    )


def name_collision(resource_type: str, name: CustomName, value: Any) -> str:
    """A replacement (or rename) that keeps a name that must be unique: the create fails."""
    kind = noun(resource_type)
    return (
        f"the new {kind} keeps {name.prop} {value!r}, and {name.unique_in}: CloudFormation creates the "
        f"new {kind} before it deletes the old one, so the create fails and the deploy rolls back. "
        f"Keep the old logical ID, or change {name.prop} as well"
    )


def protection_removed(resource_type: str, lost: list[str]) -> str:
    """A stateful resource that loses deletion protection or a Retain policy."""
    return (
        f"the {noun(resource_type)} loses its protection ({'; '.join(lost)}): a later removal, rename "
        f"or replacement would DELETE it with {contents(resource_type)} instead of refusing or keeping it"
    )


def termination_protection_off(stateful: list[str]) -> str:
    """A stack holding stateful resources whose termination protection is switched off."""
    return (
        f"the stack's termination protection is switched off, and it holds {', '.join(stateful)}: "
        "deleting the stack (cdk destroy) is no longer refused"
    )


def moved(old_place: str, new_place: str, stateful: list[str]) -> str:
    """A stack whose account or region changed: it is created anew in the new place."""
    lost = (
        f"new, EMPTY copies of {', '.join(stateful)}: every user and membership stays behind"
        if stateful
        else "new copies of everything in it, with new IDs and URLs"
    )
    return (
        f"the environment moves from {old_place} to {new_place}: cdk deploy creates this stack anew "
        f"there, with {lost}. The old stack stays in {old_place}, deployed but no longer managed by "
        "this code"
    )


def outputs_follow(gone: bool, readers: dict[str, tuple[str, ...]]) -> str:
    """The outputs that go (or change value) with a resource or stack, and who reads them."""
    keys = ", ".join(readers)
    who = ", ".join(dict.fromkeys(r for rs in readers.values() for r in rs))
    if len(readers) == 1:
        return f"output {keys} {'goes' if gone else 'changes value'}: read by {who}"
    return f"outputs {keys} {'go' if gone else 'change value'}: read by {who}"


def _replaced(resource_type: str, old: dict[str, Any], new: dict[str, Any] | None) -> str | None:
    if resource_type == PROVIDER:
        return federation.replaced(old, new)
    return _REPLACED.get(resource_type)


def annotate(change: PropertyChange, resource_type: str | None = None) -> PropertyChange:
    """A SAFE property change with a note where the change is routine but looks alarming, or where
    what it does in place is worth saying (a provider's metadata or attribute mapping)."""
    if change.note or change.verdict is not Verdict.SAFE:
        return change
    said = federation.note(change) if resource_type == PROVIDER else ""
    if said:
        return replace(change, note=said)
    if change.path[-1:] == ("S3Key",) and isinstance(change.new, str) and _ASSET_KEY.match(change.new):
        return replace(change, note="asset hash: the code bundle changed")
    return change

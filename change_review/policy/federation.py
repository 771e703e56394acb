"""Identity providers: who loses sign-in when one goes or is renamed, and which deploys Cognito refuses.

Facts this policy rests on:

- Cognito names a federated user ``<provider name>_<the IdP's subject>`` (``Okta_00u1ab``), and the
  ``identities`` claim links the profile to the provider by name. Removing a provider leaves those
  profiles in the pool with no way to sign in; renaming one (``ProviderName`` is create-only, so a new
  provider) makes every returning user a NEW profile (``OktaWorkforce_00u1ab``): a new ``sub``, no
  group memberships, none of the attributes the IdP does not send.
- A provider's identifiers (``IdpIdentifiers``, used for email-domain routing and ``idp_identifier=``)
  are unique in a pool: CreateIdentityProvider refuses one another provider holds with
  DuplicateProviderException. CloudFormation creates new resources (additions and replacements) before
  it deletes the old ones, in the clean-up at the end of the deploy. So a new provider that takes an
  identifier of a provider this deploy removes, renames or replaces fails, and the deploy rolls back:
  the remedy is two deploys.
- ``ProviderDetails`` (the metadata, the OIDC settings) and ``AttributeMapping`` are updated in place
  (UpdateIdentityProvider); Cognito applies the mapping at each user's next federated sign-in.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from change_review.core.diff import references
from change_review.core.model import PropertyChange, render_path
from change_review.policy.resources import CLIENT, POOL_ID, PROVIDER

NAME = "ProviderName"
IDENTIFIERS = "IdpIdentifiers"
_SUPPORTED = "SupportedIdentityProviders"


def _props(resource: Mapping[str, Any] | None) -> Mapping[str, Any]:
    properties: Mapping[str, Any] = (resource or {}).get("Properties", {})
    return properties


def _name(resource: Mapping[str, Any] | None, fallback: str) -> str:
    name = _props(resource).get(NAME)
    return name if isinstance(name, str) else fallback


def identifiers(resource: Mapping[str, Any] | None) -> set[str]:
    """The provider's identifiers, as plain strings (none for another type)."""
    if resource is None or resource.get("Type") != PROVIDER:
        return set()
    values = _props(resource).get(IDENTIFIERS) or []
    return {v for v in values if isinstance(v, str)} if isinstance(values, list) else set()


def offering_clients(
    provider_id: str, provider: Mapping[str, Any], resources: Mapping[str, Any]
) -> list[str]:
    """The app clients (by ClientName, else logical ID) whose SupportedIdentityProviders offer it."""
    name = _name(provider, provider_id)
    found = []
    for logical_id, resource in resources.items():
        if resource.get("Type") != CLIENT:
            continue
        offered = _props(resource).get(_SUPPORTED) or []
        if provider_id in references(offered) or (isinstance(offered, list) and name in offered):
            found.append(str(_props(resource).get("ClientName") or logical_id))
    return found


def removal(provider_id: str, provider: Mapping[str, Any], base: Mapping[str, Any]) -> str:
    """Why removing the provider is BREAKING: who loses sign-in (its users), and where (its clients)."""
    name = _name(provider, provider_id)
    clients = offering_clients(provider_id, provider, base)
    offered = f"; clients that offered it: {', '.join(clients)}" if clients else ""
    ids = sorted(identifiers(provider))
    routed = f"; email-domain routing for {', '.join(ids)} stops" if ids else ""
    return (
        f"removed: CloudFormation deletes the provider {name!r}: every user who signs in through it "
        f"({name}_… in the pool) can no longer sign in, and apps that send identity_provider={name} get an "
        f"error{offered}{routed}. The users' profiles stay in the pool, unreachable; a provider of the same "
        "name (and IdP) lets them back in"
    )


def replaced(old: Mapping[str, Any], new: Mapping[str, Any] | None) -> str:
    """What a provider's replacement (a rename: ``ProviderName`` is create-only) does to its users."""
    before = _name(old, "the old provider")
    after = _name(new, before)
    if after == before:
        return (
            f"a new provider {before!r}: returning users keep their usernames ({before}_…), but the provider "
            "is deleted and created again"
        )
    return (
        f"nobody signs in through {before!r} any more: Cognito names federated users "
        f"<provider>_<IdP subject>, so every returning user signs in as a NEW user ({before}_… becomes "
        f"{after}_…) with a new sub, no group memberships and none of the attributes the IdP does not "
        f"send; the old profiles stay in the pool, unreachable. Apps that send identity_provider={before} "
        "fail until they use the new name"
    )


def identifier_collisions(
    old_res: Mapping[str, Any],
    new_res: Mapping[str, Any],
    created: Mapping[str, str | None],
    going: set[str],
    moving: set[str],
) -> dict[str, str]:
    """The providers this deploy creates whose identifiers another provider still holds: WILL FAIL.

    ``created`` maps each head logical ID of a provider created anew (an addition, a rename's new side,
    a replacement) to the base logical ID it takes over from (None for an addition). ``going`` holds the
    base resources CloudFormation deletes at the end of the deploy (removed, renamed, replaced): they
    hold every identifier they had while the new ones are created; a provider that stays holds what it
    has at both base and head. ``moving`` holds every resource removed, renamed or replaced: a provider
    created in a new pool collides with nothing. Returns {head logical ID: the reason}.
    """
    found: dict[str, str] = {}
    for new_id, old_id in created.items():
        new = new_res[new_id]
        wanted = identifiers(new)
        pool = _props(new).get(POOL_ID)
        if not wanted or references(pool) & moving:
            continue
        for base_id, base in old_res.items():
            if base.get("Type") != PROVIDER or _props(base).get(POOL_ID) != pool:
                continue
            # One that goes holds all it had until the clean-up; one that stays, what it keeps.
            held = (
                identifiers(base)
                if base_id in going
                else identifiers(base) & identifiers(new_res.get(base_id))
            )
            taken = sorted(wanted & held)
            if taken:
                found[new_id] = _collision(_name(new, new_id), _name(base, base_id), taken, base_id == old_id)
                break
    return found


def _collision(new: str, holder: str, taken: list[str], own: bool) -> str:
    what = (
        f"keeps the identifiers of {holder!r} ({', '.join(taken)})"
        if own
        else (f"takes identifiers {holder!r} holds ({', '.join(taken)})")
    )
    return (
        f"the new provider {new!r} {what}, and an identifier is unique in its pool: CloudFormation creates "
        f"the new provider before it deletes {holder!r}, so Cognito refuses it (DuplicateProviderException) "
        f"and the deploy fails and rolls back. Do it in two deploys: first remove the identifiers from "
        f"{holder!r} (or remove {holder!r}) and deploy; then add {new!r} with them and deploy"
    )


def note(change: PropertyChange) -> str:
    """What an in-place provider change does (it stays SAFE), or "" when there is nothing to add."""
    shown = render_path(change.path)
    if shown == "ProviderDetails.MetadataFile":
        return (
            "the IdP's metadata is updated in place: from this deploy on Cognito accepts assertions signed "
            "with the certificates in the new document only"
        )
    if shown == "ProviderDetails.MetadataURL":
        return "updated in place: Cognito reads the IdP's metadata from the new URL"
    if shown.startswith("AttributeMapping"):
        return "updated in place: Cognito applies the new mapping at each user's next federated sign-in"
    return ""

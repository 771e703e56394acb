"""Read a pool: its users with their groups (what an export writes, and what a restore compares with),
and the facts a restore checks a file against (schema, sign-in attributes, groups, providers).

Group memberships come from ``ListUsersInGroup``, one page of up to 60 members per call, rather
than ``AdminListGroupsForUser``, one call per user: for N users in G groups that is about
G + N·(groups per user)/60 calls instead of N, and it is the same ``ListUsers`` quota category.
Cognito's own per-provider groups (``<pool id>_<provider>``) are skipped: it fills them itself.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from functions.user_export.user_file import UserRecord, is_provider_group, user_record
from operator_tools.users.cognito_calls import CognitoCalls

# The largest page ListUsers, ListGroups and ListUsersInGroup return.
PAGE = 60
# A pool without AccountRecoverySetting uses Cognito's legacy rule: a verified phone, else email.
LEGACY_RECOVERY = frozenset({"verified_email", "verified_phone_number"})


@dataclass(frozen=True)
class SchemaAttribute:
    """One attribute of the pool's schema, as ``DescribeUserPool`` reports it."""

    name: str
    mutable: bool
    required: bool


@dataclass(frozen=True)
class PoolFacts:
    """What a restore needs to know about the pool it writes to."""

    pool_id: str
    schema: Mapping[str, SchemaAttribute]
    # "email" and/or "phone_number" when users sign in with those instead of a username.
    username_attributes: tuple[str, ...]
    case_sensitive: bool
    # Account recovery mechanisms: verified_email, verified_phone_number, admin_only.
    recovery: frozenset[str]
    groups: frozenset[str]
    providers: frozenset[str]


def group_memberships(calls: CognitoCalls, pool_id: str) -> dict[str, list[str]]:
    """Username -> the names of the groups it is in (Cognito's per-provider groups left out)."""
    members: defaultdict[str, list[str]] = defaultdict(list)
    for group in calls.pages("ListGroups", "Groups", UserPoolId=pool_id, Limit=PAGE):
        name = str(group["GroupName"])
        if is_provider_group(pool_id, name):
            continue
        pages = calls.pages("ListUsersInGroup", "Users", UserPoolId=pool_id, GroupName=name, Limit=PAGE)
        for user in pages:
            members[str(user["Username"])].append(name)
    return dict(members)


def read_users(
    calls: CognitoCalls, pool_id: str, *, counted: Callable[[int], None] = lambda _: None
) -> Iterator[UserRecord]:
    """Every user of the pool, with their groups, in ``ListUsers`` order; ``counted(n)`` after each."""
    memberships = group_memberships(calls, pool_id)
    users = calls.pages("ListUsers", "Users", page_key="PaginationToken", UserPoolId=pool_id, Limit=PAGE)
    for count, user in enumerate(users, start=1):
        yield user_record(user, memberships.get(str(user["Username"]), ()))
        counted(count)


def describe_pool(calls: CognitoCalls, pool_id: str) -> dict[str, Any]:
    """``DescribeUserPool``'s ``UserPool``."""
    pool: dict[str, Any] = calls.call("DescribeUserPool", UserPoolId=pool_id)["UserPool"]
    return pool


def pool_facts(calls: CognitoCalls, pool_id: str) -> PoolFacts:
    """The facts of ``pool_id``, from ``DescribeUserPool``, ``ListGroups`` and ``ListIdentityProviders``."""
    pool = describe_pool(calls, pool_id)
    schema = {
        str(a["Name"]): SchemaAttribute(str(a["Name"]), bool(a.get("Mutable", True)), bool(a.get("Required")))
        for a in pool.get("SchemaAttributes", [])
    }
    mechanisms = (pool.get("AccountRecoverySetting") or {}).get("RecoveryMechanisms")
    groups = calls.pages("ListGroups", "Groups", UserPoolId=pool_id, Limit=PAGE)
    providers = calls.pages("ListIdentityProviders", "Providers", UserPoolId=pool_id, MaxResults=PAGE)
    return PoolFacts(
        pool_id=pool_id,
        schema=schema,
        username_attributes=tuple(pool.get("UsernameAttributes") or ()),
        case_sensitive=bool((pool.get("UsernameConfiguration") or {}).get("CaseSensitive", True)),
        recovery=frozenset(str(m["Name"]) for m in mechanisms) if mechanisms else LEGACY_RECOVERY,
        groups=frozenset(str(g["GroupName"]) for g in groups),
        providers=frozenset(str(p["ProviderName"]) for p in providers),
    )

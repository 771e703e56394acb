"""Check a whole user file against the pool, and work out what a restore changes for each user.

Nothing is applied here. ``plan_restore`` refuses the first line that cannot be restored as it is
(an attribute the pool's schema lacks, a group or provider the pool lacks, a required attribute
missing, an immutable attribute that differs, two lines for the same pool user), so a bad file
changes nothing at all. What it returns is what ``restore_apply`` does, user by user.

How a user of the file is found in the pool, which makes a second restore a no-op:

- a federated user by its username, ``<provider>_<provider user id>``, the name Cognito gives it again
  at its next sign-in;
- a native user, in a pool whose users sign in with their email or phone number, by that attribute
  (the username there is a new UUID in each pool); otherwise by its username.

A restore converges each user of the file towards the file: it creates missing users, sets the
attributes the file has, adds missing group memberships and provider links, and sets the enabled
state. It never deletes a user, an attribute or a group membership.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal

from functions.user_export.user_file import Header, Identity, UserRecord, is_provider_group
from operator_tools.lib.errors import ToolError
from operator_tools.users.pool_reader import PoolFacts

Kind = Literal["create", "update", "unchanged", "waiting"]
# Statuses of a user who had set a password of their own; they are asked to reset it.
HAD_PASSWORD = frozenset({"CONFIRMED", "RESET_REQUIRED", "COMPROMISED"})
# Sign-in attributes, in the order a new Username is taken from them.
SIGN_IN_ATTRIBUTES = ("email", "phone_number")
_VERIFIED = {"email": "email_verified", "phone_number": "phone_number_verified"}
_RECOVERY = {"email": "verified_email", "phone_number": "verified_phone_number"}


@dataclass(frozen=True)
class UserChange:
    """What the restore does for one line of the file."""

    line: int
    record: UserRecord
    kind: Kind
    # create: the Username to create; otherwise the pool user's username ("" while waiting).
    username: str
    attributes: Mapping[str, str] = field(default_factory=dict)
    groups: tuple[str, ...] = ()
    links: tuple[Identity, ...] = ()
    # The enabled state to set; None leaves it as it is.
    enabled: bool | None = None
    reset_password: bool = False


@dataclass(frozen=True)
class Plan:
    changes: tuple[UserChange, ...]

    def count(self, kind: Kind) -> int:
        return sum(1 for c in self.changes if c.kind == kind)

    @property
    def resets(self) -> int:
        return sum(1 for c in self.changes if c.reset_password)

    @property
    def invitations(self) -> int:
        """New native users who cannot reset a password themselves: an admin invites them."""
        return sum(
            1 for c in self.changes if c.kind == "create" and not c.record.federated and not c.reset_password
        )

    @property
    def changes_anything(self) -> bool:
        return any(c.kind in ("create", "update") for c in self.changes)


def plan_restore(
    source: str,
    header: Header,
    records: Sequence[tuple[int, UserRecord]],
    facts: PoolFacts,
    current: Iterable[UserRecord],
) -> Plan:
    """The plan for every line of ``source``; ``ToolError`` naming ``source`` and the line if any
    line cannot be restored."""
    index = _PoolIndex(facts, current)
    claimed: dict[tuple[str, ...], int] = {}
    changes = []
    for line, record in records:

        def refuse(reason: str, line: int = line) -> ToolError:
            return ToolError(f"{source} line {line}: {reason}")

        key, create_as = _identity_in_pool(record, facts, refuse)
        if key in claimed:
            raise refuse(f"the same user in this pool as line {claimed[key]}")
        claimed[key] = line
        groups = tuple(g for g in record.groups if not is_provider_group(header.user_pool_id, g))
        existing = index.find(key)
        _check_against_pool(record, groups, facts, refuse, creating=existing is None)
        if existing is None:
            changes.append(_new(line, record, create_as, groups, facts))
        else:
            changes.append(_existing(line, record, existing, groups, facts, refuse))
    return Plan(tuple(changes))


class _PoolIndex:
    """The pool's users by username, and its native users by sign-in attribute."""

    def __init__(self, facts: PoolFacts, users: Iterable[UserRecord]) -> None:
        self._fold = _folder(facts)
        self._users: dict[tuple[str, ...], UserRecord] = {}
        for user in users:
            self._users[("username", self._fold(user.username))] = user
            for name in facts.username_attributes:
                if not user.federated and user.attributes.get(name):
                    self._users[(name, self._fold(user.attributes[name]))] = user

    def find(self, key: tuple[str, ...]) -> UserRecord | None:
        return self._users.get(key)


def _identity_in_pool(
    record: UserRecord, facts: PoolFacts, refuse: Callable[[str], ToolError]
) -> tuple[tuple[str, ...], str]:
    """How the pool knows this user (the index key) and the Username a create would use."""
    fold = _folder(facts)
    if record.federated or not facts.username_attributes:
        return ("username", fold(record.username)), record.username
    for name in SIGN_IN_ATTRIBUTES:
        value = record.attributes.get(name)
        if name in facts.username_attributes and value:
            return (name, fold(value)), value
    wanted = " or ".join(facts.username_attributes)
    raise refuse(f"the user has no {wanted}, which this pool's users sign in with")


def _check_against_pool(
    record: UserRecord,
    groups: Sequence[str],
    facts: PoolFacts,
    refuse: Callable[[str], ToolError],
    *,
    creating: bool,
) -> None:
    for group in groups:
        if group not in facts.groups:
            raise refuse(f"group {group} is not in this pool; deploy the config that defines it first")
    for identity in record.identities:
        if identity.provider not in facts.providers:
            raise refuse(f"identity provider {identity.provider} is not in this pool")
    if record.federated:
        return  # its attributes come from its provider at each sign-in; none is written
    for name in record.attributes:
        if name not in facts.schema:
            raise refuse(f"attribute {name} is not in this pool's schema")
    for attribute in facts.schema.values() if creating else ():
        if attribute.required and attribute.name != "sub" and attribute.name not in record.attributes:
            raise refuse(f"attribute {attribute.name} is required in this pool and the user has none")


def _new(
    line: int, record: UserRecord, username: str, groups: tuple[str, ...], facts: PoolFacts
) -> UserChange:
    if record.federated:
        return UserChange(line, record, "waiting", "")  # Cognito creates it at its next sign-in
    return UserChange(
        line,
        record,
        "create",
        username,
        attributes=dict(record.attributes),
        groups=groups,
        links=record.identities,
        enabled=None if record.enabled else False,
        reset_password=_can_reset(record, facts),
    )


def _existing(
    line: int,
    record: UserRecord,
    existing: UserRecord,
    groups: tuple[str, ...],
    facts: PoolFacts,
    refuse: Callable[[str], ToolError],
) -> UserChange:
    attributes = {} if record.federated else _differing_attributes(record, existing, facts, refuse)
    linked = {(i.provider, i.user_id) for i in existing.identities}
    change = UserChange(
        line,
        record,
        "update",
        existing.username,
        attributes=attributes,
        groups=tuple(g for g in groups if g not in existing.groups),
        links=()
        if record.federated
        else tuple(i for i in record.identities if (i.provider, i.user_id) not in linked),
        enabled=None if existing.enabled == record.enabled else record.enabled,
        # A user created by an earlier restore that stopped before marking it (see restore_apply).
        reset_password=existing.status == "FORCE_CHANGE_PASSWORD" and _can_reset(record, facts),
    )
    if (
        change.attributes
        or change.groups
        or change.links
        or change.enabled is not None
        or change.reset_password
    ):
        return change
    return UserChange(line, record, "unchanged", existing.username)


def _differing_attributes(
    record: UserRecord, existing: UserRecord, facts: PoolFacts, refuse: Callable[[str], ToolError]
) -> dict[str, str]:
    fold = _folder(facts)
    differing = {}
    for name, value in record.attributes.items():
        now = existing.attributes.get(name)
        if now == value or (
            name in facts.username_attributes and now is not None and fold(now) == fold(value)
        ):
            continue
        if not facts.schema[name].mutable:
            raise refuse(f"attribute {name} differs from the pool user's and is immutable in this pool")
        differing[name] = value
    # A changed address keeps the file's verified flag, so Cognito sends no verification message.
    for name, verified in _VERIFIED.items():
        if name in differing and verified in record.attributes:
            differing[verified] = record.attributes[verified]
    return differing


def _can_reset(record: UserRecord, facts: PoolFacts) -> bool:
    """Whether the user is asked to reset their password: an enabled user who had one, with a verified
    email or phone that the pool's account recovery sends codes to (else Cognito cannot reach them)."""
    if not record.enabled or record.status not in HAD_PASSWORD:
        return False
    return any(
        record.attributes.get(name)
        and record.attributes.get(_VERIFIED[name]) == "true"
        and _RECOVERY[name] in facts.recovery
        for name in SIGN_IN_ATTRIBUTES
    )


def _folder(facts: PoolFacts) -> Callable[[str], str]:
    """How the pool compares usernames and sign-in attributes: exactly, or ignoring case."""
    return (lambda text: text) if facts.case_sensitive else str.casefold

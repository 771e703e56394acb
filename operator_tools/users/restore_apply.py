"""Apply a restore plan to the pool, one user at a time.

For a native user that is new to the pool, in this order:

1. ``AdminCreateUser`` with the file's attributes and ``MessageAction=SUPPRESS``: Cognito sends no
   invitation and no temporary password (it makes one up that nobody learns); ``sub`` is new;
2. ``AdminDisableUser`` at once if the file says disabled, before any link makes it reachable;
3. ``AdminAddUserToGroup`` for each group, ``AdminLinkProviderForUser`` for each provider identity
   the user had linked;
4. for a user who had a password of their own and can receive a code (``restore_plan``):
   ``AdminSetUserPassword`` to a random password nobody learns, made permanent (``CONFIRMED``), then
   ``AdminResetUserPassword``, which leaves the user ``RESET_REQUIRED``: their next sign-in asks them to
   reset, and Cognito sends the code to their verified email or phone. (Cognito resets a confirmed
   user; it does not document resetting one that is still ``FORCE_CHANGE_PASSWORD``.) Any other user
   stays ``FORCE_CHANGE_PASSWORD`` until an administrator invites them.

A user already in the pool gets only what differs (``AdminUpdateUserAttributes``, the missing groups and
links, ``AdminEnableUser``/``AdminDisableUser``). A failure names the file's line and the step; the
steps already done for that user stay, and a second run finishes them, because the plan compares the
file with the pool again.
"""

from __future__ import annotations

import secrets
import string
from collections.abc import Callable, Mapping

from operator_tools.lib.errors import ToolError
from operator_tools.users.cognito_calls import CognitoCallError, CognitoCalls
from operator_tools.users.restore_plan import Plan, UserChange

# Cognito's password policy symbols (any of them satisfies "require symbols").
_SYMBOLS = "^$*.[]{}()?-!@#%&/,><:;|_~=+"
_PASSWORD_LENGTH = 128  # above any policy's minimum (99 at most), below Cognito's maximum (256)


def apply_plan(
    calls: CognitoCalls,
    pool_id: str,
    plan: Plan,
    *,
    source: str,
    counted: Callable[[int], None] = lambda _: None,
) -> None:
    """Create or update every user the plan changes; ``ToolError`` naming the line if a call fails."""
    done = 0
    for change in plan.changes:
        if change.kind not in ("create", "update"):
            continue
        try:
            _apply(calls, pool_id, change)
        except CognitoCallError as exc:
            raise ToolError(f"{source} line {change.line}: {exc}; {_what_stays(change, exc)}") from None
        done += 1
        counted(done)


def unusable_password() -> str:
    """A random password nobody is told: it only moves a new user to ``CONFIRMED`` before the reset."""
    classes = (string.ascii_lowercase, string.ascii_uppercase, string.digits, _SYMBOLS)
    alphabet = "".join(classes)
    chars = [secrets.choice(c) for c in classes]
    chars += [secrets.choice(alphabet) for _ in range(_PASSWORD_LENGTH - len(chars))]
    secrets.SystemRandom().shuffle(chars)
    return "".join(chars)


def _apply(calls: CognitoCalls, pool_id: str, change: UserChange) -> None:
    pool = {"UserPoolId": pool_id}
    username = change.username
    if change.kind == "create":
        answer = calls.call(
            "AdminCreateUser",
            **pool,
            Username=username,
            UserAttributes=_attribute_list(change.attributes),
            MessageAction="SUPPRESS",
        )
        # In a pool whose users sign in with email or phone, Cognito names the user with a new UUID.
        username = str(answer["User"]["Username"])
    elif change.attributes:
        calls.call(
            "AdminUpdateUserAttributes",
            **pool,
            Username=username,
            UserAttributes=_attribute_list(change.attributes),
        )
    if change.enabled is False:
        calls.call("AdminDisableUser", **pool, Username=username)
    for group in change.groups:
        calls.call("AdminAddUserToGroup", **pool, Username=username, GroupName=group)
    for identity in change.links:
        calls.call(
            "AdminLinkProviderForUser",
            **pool,
            DestinationUser={"ProviderName": "Cognito", "ProviderAttributeValue": username},
            SourceUser={
                "ProviderName": identity.provider,
                "ProviderAttributeName": "Cognito_Subject",
                "ProviderAttributeValue": identity.user_id,
            },
        )
    if change.reset_password:
        calls.call(
            "AdminSetUserPassword", **pool, Username=username, Password=unusable_password(), Permanent=True
        )
        calls.call("AdminResetUserPassword", **pool, Username=username)
    if change.enabled is True:
        calls.call("AdminEnableUser", **pool, Username=username)


def _attribute_list(attributes: Mapping[str, str]) -> list[dict[str, str]]:
    return [{"Name": name, "Value": value} for name, value in attributes.items()]


def _what_stays(change: UserChange, exc: CognitoCallError) -> str:
    if change.kind == "create" and exc.operation == "AdminCreateUser":
        return "nothing was changed for this user; the users before it are restored"
    if exc.operation == "AdminResetUserPassword":
        return (
            "the user is restored but not marked to reset their password; they can still use "
            "'Forgot password', or an administrator can run AdminResetUserPassword"
        )
    return "the user is partly restored; run the restore again to finish it"

"""User pool settings Cognito refuses to change after creation, although CloudFormation tries.

The provider schema of ``AWS::Cognito::UserPool`` marks none of these create-only: the
CloudFormation reference lists AliasAttributes, UsernameAttributes, UsernameConfiguration and
Schema as "Update requires: No interruption"
(https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-cognito-userpool.html).
So CloudFormation calls UpdateUserPool in place, and Cognito rejects it: the Cognito developer
guide, "Updating user pool and app client configuration", section "Settings you can't change"
(https://docs.aws.amazon.com/cognito/latest/developerguide/cognito-user-pool-updating.html),
lists the sign-in options (AliasAttributes, UsernameAttributes), username case sensitivity
(UsernameConfiguration), required attributes and the removal of custom attributes (Schema) as
settings that need a new user pool. The deploy fails and the stack rolls back.
"""

from __future__ import annotations

from typing import Any

from cdk_app.config.user_pool import STANDARD_ATTRIBUTES
from change_review.core.model import ABSENT, PropertyChange, Verdict, render_path
from change_review.policy import sign_in
from change_review.policy.resources import USER_POOL

# Attributes Cognito always has; a Schema entry for them only sets required/mutable.
_ALWAYS_PRESENT = STANDARD_ATTRIBUTES | {"sub", "phone_number", "email_verified", "phone_number_verified"}

_SIGN_IN = "the pool's sign-in options (AliasAttributes, UsernameAttributes) are fixed when it is created"
_FIXED = {
    "AliasAttributes": _SIGN_IN,
    "UsernameAttributes": _SIGN_IN,
    "UsernameConfiguration": "username case sensitivity (UsernameConfiguration) is fixed at creation",
}
_CONSEQUENCE = (
    "Cognito rejects the in-place update, so the deploy fails and rolls back; changing it needs a new "
    "pool and a user migration"
)


def judge_refusal(resource_type: str, change: PropertyChange) -> PropertyChange:
    """The change with a WILL FAIL verdict and note when Cognito refuses it; a sign-in policy or passkey
    change judged by ``policy.sign_in``; else unchanged."""
    return judge_user_pool_change(change) if resource_type == USER_POOL else change


def judge_user_pool_change(change: PropertyChange) -> PropertyChange:
    """The change with a WILL FAIL verdict and note when Cognito refuses it, else unchanged.

    Adding a new, optional custom attribute is the one Schema change Cognito accepts.
    """
    path = change.path[1:] if change.path[:1] == ("Properties",) else ()
    if not path:
        return change
    top = path[0]
    judged = sign_in.judge(change)
    if judged is not None:
        return judged
    if top in _FIXED:
        return _fail(change, f"{_FIXED[str(top)]}; {_CONSEQUENCE}")
    if top != "Schema":
        return change
    if len(path) == 1:
        return _whole_schema(change)
    item = path[1]
    name = item[1] if isinstance(item, tuple) else str(item)
    if len(path) > 2 or (change.old is not ABSENT and change.new is not ABSENT):
        return _fail(
            change,
            f"attribute {name!r} changed ({render_path(change.path)}); Cognito can't change an "
            f"attribute after creation. {_CONSEQUENCE}",
        )
    if change.new is ABSENT:
        return _fail(change, f"attribute {name!r} removed; Cognito can't remove attributes. {_CONSEQUENCE}")
    problem = _added_attribute_problem(change.new)
    return _fail(change, f"attribute {name!r} added {problem}. {_CONSEQUENCE}") if problem else change


def _whole_schema(change: PropertyChange) -> PropertyChange:
    old = change.old if isinstance(change.old, list) else []
    new = change.new if isinstance(change.new, list) else []
    old_names = {str(a.get("Name")) for a in old if isinstance(a, dict)}
    new_names = {str(a.get("Name")) for a in new if isinstance(a, dict)}
    if old_names - new_names:
        gone = ", ".join(sorted(old_names - new_names))
        return _fail(change, f"attribute(s) {gone} removed; Cognito can't remove attributes. {_CONSEQUENCE}")
    for attribute in new:
        if isinstance(attribute, dict) and attribute.get("Name") not in old_names:
            problem = _added_attribute_problem(attribute)
            if problem:
                return _fail(change, f"attribute {attribute.get('Name')!r} added {problem}. {_CONSEQUENCE}")
    return change


def _added_attribute_problem(attribute: Any) -> str:
    if not isinstance(attribute, dict):
        return ""
    if attribute.get("Required") is True:
        return "as required; required attributes are fixed when the pool is created"
    if attribute.get("Name") in _ALWAYS_PRESENT and attribute.get("Mutable") is False:
        return "as immutable; a standard attribute's mutability is fixed when the pool is created"
    return ""


def _fail(change: PropertyChange, note: str) -> PropertyChange:
    return PropertyChange(change.path, change.old, change.new, Verdict.WILL_FAIL, note)

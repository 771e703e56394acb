"""Changes to a whole stack, read from the cloud assembly manifest: where it deploys, and whether
CloudFormation refuses to delete it."""

from __future__ import annotations

from change_review.core.assembly import StackTemplate
from change_review.core.model import WHOLE_STACK, PropertyChange, ResourceChange, Verdict
from change_review.policy import explain
from change_review.policy.outputs import readers
from change_review.policy.resources import is_stateful, noun

STACK = "AWS::CloudFormation::Stack"


def stack_moved(env: str, stack: str, base: StackTemplate, head: StackTemplate) -> ResourceChange | None:
    """The stack moving to another account or region, or None.

    A moved stack is a new stack in the new place; the old one stays where it was. So the move is
    DATA LOSS when the stack holds stateful resources, else REPLACEMENT (new IDs and URLs). A part
    of the place that is left to the credentials (``unknown-account``) is not compared.
    """
    (old_account, old_region), (new_account, new_region) = base.place(), head.place()
    account_moves = old_account is not None and new_account is not None and old_account != new_account
    region_moves = old_region is not None and new_region is not None and old_region != new_region
    if not (account_moves or region_moves):
        return None
    stateful = _stateful(base)
    reasons = [explain.moved(_where(base), _where(head), stateful)]
    read = {k: readers(k) for k in base.outputs if readers(k)}
    if read:
        reasons.append(explain.outputs_follow(False, read))
    verdict = Verdict.DATA_LOSS if stateful else Verdict.REPLACEMENT
    props = (PropertyChange(("Environment",), base.target, head.target, verdict),)
    return ResourceChange(env, stack, WHOLE_STACK, STACK, "moved", verdict, tuple(reasons), props)


def termination_protection_lost(
    env: str, stack: str, base: StackTemplate, head: StackTemplate
) -> ResourceChange | None:
    """UNPROTECTED when a stack holding stateful resources loses termination protection, else None."""
    stateful = _stateful(head)
    if not (base.termination_protection and not head.termination_protection and stateful):
        return None
    prop = PropertyChange(("TerminationProtection",), True, False, Verdict.UNPROTECTED)
    reason = explain.termination_protection_off(stateful)
    return ResourceChange(env, stack, WHOLE_STACK, STACK, "modified", Verdict.UNPROTECTED, (reason,), (prop,))


def _stateful(stack: StackTemplate) -> list[str]:
    return [
        f"the {noun(r['Type'])} {logical_id}"
        for logical_id, r in stack.resources.items()
        if is_stateful(str(r.get("Type")))
    ]


def _where(stack: StackTemplate) -> str:
    account, region = stack.place()
    return f"account {account or '(from the credentials)'}, region {region or '(from the credentials)'}"

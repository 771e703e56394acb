"""Defaults that follow what a file says: a key left out never contradicts one written.

Most defaults are fixed (in the models). The few in ``FOLLOWING`` depend on another key, because
the fixed default would be the one value that key rules out, and the file would be refused for a
key it never mentions. Each takes the value the rules require. The loader fills them in, in this
order, before it validates an environment file; a value the file writes is kept, and checked by
the rules as usual. A model built in code gets only the fixed defaults.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import Any

# In a key path: every item of the list there.
EACH = "[]"


@dataclass(frozen=True)
class Following:
    """Where the file sets ``when`` to ``equals``, ``key`` left out is ``value``, because ``why``."""

    when: tuple[str, ...]
    equals: object
    key: tuple[str, ...]
    value: object
    why: str


_PRODUCTION = "production refuses anything else (cdk_app.config.rules.tiers)"
FOLLOWING: tuple[Following, ...] = (
    Following(("tier",), "production", ("user_pool", "mfa", "mode"), "required", _PRODUCTION),
    Following(("tier",), "production", ("user_pool", "feature_plan"), "plus", _PRODUCTION),
    Following(
        ("tier",), "production", ("user_pool", "threat_protection", "standard_auth"), "enforced", _PRODUCTION
    ),
    Following(("tier",), "production", ("waf", "enabled"), True, _PRODUCTION),
    Following(("tier",), "production", ("logs", "kms"), "managed", _PRODUCTION),
    Following(("tier",), "production", ("idp_cert_check", "enabled"), True, _PRODUCTION),
    Following(("tier",), "production", ("backup", "enabled"), True, _PRODUCTION),
    Following(
        ("deploy_target",),
        "emulator",
        ("monitoring", "sign_in_logs"),
        False,
        "the local emulator cannot provision Cognito's log delivery",
    ),
    Following(
        ("user_pool", "removal_policy"),
        "destroy",
        ("user_pool", "deletion_protection"),
        False,
        "deletion protection would make the destroy fail",
    ),
    Following(("user_pool", "mfa", "mode"), "off", ("user_pool", "mfa", "factors"), [], "no MFA, no factor"),
    Following(
        ("user_pool", "feature_plan"),
        "lite",
        ("clients", EACH, "refresh_token_rotation"),
        False,
        "the Lite plan has no refresh-token rotation",
    ),
)


def follow(data: Any) -> Any:
    """A copy of ``data`` (an environment file's data) with ``FOLLOWING`` filled in, in order.

    Only mappings are filled, and only where a key is absent: anything malformed is left as it is,
    for validation to report where it is.
    """
    if not isinstance(data, dict):
        return data
    data = copy.deepcopy(data)  # the reader bounds its size; the document itself stays as read
    for following in FOLLOWING:
        if _value(data, following.when) == following.equals:
            _fill(data, following.key, following.value)
    return data


def _value(node: Any, path: tuple[str, ...]) -> Any:
    for key in path:
        if not isinstance(node, dict):
            return None
        node = node.get(key)
    return node


def _fill(node: Any, path: tuple[str, ...], value: object) -> None:
    head, rest = path[0], path[1:]
    if head == EACH:
        for item in node if isinstance(node, list) else ():
            _fill(item, rest, value)
    elif isinstance(node, dict) and not rest:
        node.setdefault(head, copy.deepcopy(value))
    elif isinstance(node, dict) and (head in node or rest[0] != EACH):
        _fill(node.setdefault(head, {}), rest, value)

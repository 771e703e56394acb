"""A small model of how WAF evaluates a synthesized web ACL, enough to ask what happens to a request.

It follows WAF's rules for the statements this project writes: rules run by priority; a managed rule
group's rule with a Count override only labels; a terminating Block stops evaluation; a rate-based rule
only counts the requests its scope-down statement matches. Of the managed groups, only the common
rule set's 8 KB body rule is modelled, because that is the behaviour under test; the others match
nothing here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

BODY_LIMIT = 8 * 1024
BODY_RULE = ("AWSManagedRulesCommonRuleSet", "SizeRestrictions_BODY")
BODY_LABEL = "awswaf:managed:aws:core-rule-set:SizeRestrictions_Body"


@dataclass(frozen=True)
class Request:
    path: str
    body_bytes: int = 0
    headers: dict[str, str] = field(default_factory=dict)


@dataclass
class Verdict:
    action: str  # "BLOCK" or "ALLOW"
    terminating_rule: str | None
    labels: set[str]
    rate_counted_by: list[str]


def evaluate(web_acl: dict[str, Any], request: Request) -> Verdict:
    """What the web ACL (its CloudFormation properties) does with ``request``."""
    labels: set[str] = set()
    counted: list[str] = []
    for rule in sorted(web_acl["Rules"], key=lambda r: r["Priority"]):
        statement = rule["Statement"]
        if "ManagedRuleGroupStatement" in statement:
            group = statement["ManagedRuleGroupStatement"]
            if (group["Name"], BODY_RULE[1]) == BODY_RULE and request.body_bytes > BODY_LIMIT:
                labels.add(BODY_LABEL)
                overrides = {o["Name"]: o["ActionToUse"] for o in group.get("RuleActionOverrides", [])}
                if "Count" not in overrides.get(BODY_RULE[1], {}):
                    return Verdict("BLOCK", rule["Name"], labels, counted)
            continue
        if "RateBasedStatement" in statement:
            scope = statement["RateBasedStatement"].get("ScopeDownStatement")
            if scope is None or _matches(scope, request, labels):
                counted.append(rule["Name"])
            continue
        if _matches(statement, request, labels) and "Block" in rule.get("Action", {}):
            return Verdict("BLOCK", rule["Name"], labels, counted)
    default = "BLOCK" if "Block" in web_acl["DefaultAction"] else "ALLOW"
    return Verdict(default, None, labels, counted)


def _matches(statement: dict[str, Any], request: Request, labels: set[str]) -> bool:
    if "AndStatement" in statement:
        return all(_matches(s, request, labels) for s in statement["AndStatement"]["Statements"])
    if "OrStatement" in statement:
        return any(_matches(s, request, labels) for s in statement["OrStatement"]["Statements"])
    if "NotStatement" in statement:
        return not _matches(statement["NotStatement"]["Statement"], request, labels)
    if "LabelMatchStatement" in statement:
        return statement["LabelMatchStatement"]["Key"] in labels
    if "ByteMatchStatement" in statement:
        return _byte_match(statement["ByteMatchStatement"], request)
    raise AssertionError(f"statement not modelled: {sorted(statement)}")


def _byte_match(match: dict[str, Any], request: Request) -> bool:
    target = match["FieldToMatch"]
    if "UriPath" in target:
        value = request.path
    else:
        wanted = target["SingleHeader"]["Name"].lower()
        value = next((v for k, v in request.headers.items() if k.lower() == wanted), "")
    for transformation in sorted(match["TextTransformations"], key=lambda t: t["Priority"]):
        if transformation["Type"] == "LOWERCASE":
            value = value.lower()
        elif transformation["Type"] != "NONE":
            raise AssertionError(f"transformation not modelled: {transformation['Type']}")
    search, position = match["SearchString"], match["PositionalConstraint"]
    if position == "STARTS_WITH":
        return value.startswith(search)
    if position == "EXACTLY":
        return value == search
    if position == "CONTAINS":
        return search in value
    raise AssertionError(f"positional constraint not modelled: {position}")

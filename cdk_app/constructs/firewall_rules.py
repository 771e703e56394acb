"""The rules of the two web ACLs: the API stage's, and the user pool's sized for sign-in.

Why the user pool needs its own: the common rule set blocks any body over 8 KB
(``SizeRestrictions_BODY``), and a signed, encrypted SAML response posted to ``/saml2/idpresponse``
is often larger. On the user pool's ACL that rule only counts (and labels); a rule of ours then blocks
labelled requests on every path except the SAML response. Sign-in endpoints get a per-IP rate limit
of their own, lower than the ACL-wide one.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from aws_cdk import aws_wafv2 as wafv2

IP_REPUTATION = "AWSManagedRulesAmazonIpReputationList"
COMMON_RULE_SET = "AWSManagedRulesCommonRuleSet"
KNOWN_BAD_INPUTS = "AWSManagedRulesKnownBadInputsRuleSet"
RATE_RULE_NAME = "RateLimitPerIp"
SIGN_IN_RATE_RULE_NAME = "SignInRateLimitPerIp"
LARGE_BODY_RULE_NAME = "LargeBodyOutsideSamlResponse"
# The common rule set's 8 KB body rule, and the label it adds to a request it matches.
BODY_SIZE_RULE = "SizeRestrictions_BODY"
BODY_SIZE_LABEL = "awswaf:managed:aws:core-rule-set:SizeRestrictions_Body"
SAML_RESPONSE_PATH = "/saml2/idpresponse"
# Lowercase, matched after a LOWERCASE transformation: managed login, the hosted UI and the OAuth
# endpoints that take credentials, codes or assertions (authorize only redirects, so it is not here).
SIGN_IN_PATHS = (
    "/login",
    "/signup",
    "/forgotpassword",
    "/confirmforgotpassword",
    "/mfa",
    "/oauth2/token",
    "/oauth2/idpresponse",
    SAML_RESPONSE_PATH,
)
# Cognito's public sign-in API (cognito-idp.<region>.amazonaws.com), named by the X-Amz-Target header.
SIGN_IN_OPERATIONS = tuple(
    f"awscognitoidentityproviderservice.{op}"
    for op in (
        "initiateauth",
        "respondtoauthchallenge",
        "signup",
        "confirmsignup",
        "resendconfirmationcode",
        "forgotpassword",
        "confirmforgotpassword",
    )
)


@dataclass(frozen=True)
class WebAclRule:
    """One rule before its priority is known: a managed group (``action`` None keeps the group's own
    actions) or a rule of ours with ``block`` or ``count``."""

    name: str
    statement: wafv2.CfnWebACL.StatementProperty
    action: Literal["block", "count"] | None = None

    def render(self, priority: int, *, metric_prefix: str) -> wafv2.CfnWebACL.RuleProperty:
        managed = self.action is None
        return wafv2.CfnWebACL.RuleProperty(
            name=self.name,
            priority=priority,
            statement=self.statement,
            # "none" keeps each rule group's own actions (block); "count" would only observe.
            override_action=wafv2.CfnWebACL.OverrideActionProperty(none={}) if managed else None,
            action=None if managed else self._action(),
            visibility_config=self.visibility(f"{metric_prefix}-{self.name}"),
        )

    def _action(self) -> wafv2.CfnWebACL.RuleActionProperty:
        if self.action == "count":
            return wafv2.CfnWebACL.RuleActionProperty(count={})
        return wafv2.CfnWebACL.RuleActionProperty(block={})

    @staticmethod
    def visibility(metric_name: str) -> wafv2.CfnWebACL.VisibilityConfigProperty:
        return wafv2.CfnWebACL.VisibilityConfigProperty(
            cloud_watch_metrics_enabled=True, metric_name=metric_name, sampled_requests_enabled=True
        )


def managed(group: str, *, count_only: Sequence[str] = ()) -> WebAclRule:
    """An AWS managed rule group; rules in ``count_only`` count and label instead of blocking."""
    overrides = [
        wafv2.CfnWebACL.RuleActionOverrideProperty(
            name=rule, action_to_use=wafv2.CfnWebACL.RuleActionProperty(count={})
        )
        for rule in count_only
    ]
    return WebAclRule(
        name=group,
        statement=wafv2.CfnWebACL.StatementProperty(
            managed_rule_group_statement=wafv2.CfnWebACL.ManagedRuleGroupStatementProperty(
                vendor_name="AWS", name=group, rule_action_overrides=overrides or None
            )
        ),
    )


def rate_limit(name: str, limit: int, *, only: wafv2.CfnWebACL.StatementProperty | None = None) -> WebAclRule:
    """Block an IP for as long as it sent more than ``limit`` requests (matching ``only``) in 5 minutes."""
    return WebAclRule(
        name=name,
        action="block",
        statement=wafv2.CfnWebACL.StatementProperty(
            rate_based_statement=wafv2.CfnWebACL.RateBasedStatementProperty(
                limit=limit, aggregate_key_type="IP", evaluation_window_sec=300, scope_down_statement=only
            )
        ),
    )


def sign_in_rules(sign_in_rate_limit: int) -> tuple[WebAclRule, ...]:
    """The user pool's rules (the ACL-wide rate limit is appended by ``Firewall``)."""
    large_body_outside_saml = wafv2.CfnWebACL.StatementProperty(
        and_statement=wafv2.CfnWebACL.AndStatementProperty(
            statements=[
                wafv2.CfnWebACL.StatementProperty(
                    label_match_statement=wafv2.CfnWebACL.LabelMatchStatementProperty(
                        scope="LABEL", key=BODY_SIZE_LABEL
                    )
                ),
                wafv2.CfnWebACL.StatementProperty(
                    not_statement=wafv2.CfnWebACL.NotStatementProperty(
                        statement=_matches("uri_path", SAML_RESPONSE_PATH, "EXACTLY")
                    )
                ),
            ]
        )
    )
    sign_in_requests = wafv2.CfnWebACL.StatementProperty(
        or_statement=wafv2.CfnWebACL.OrStatementProperty(
            statements=[
                *(_matches("uri_path", path, "STARTS_WITH") for path in SIGN_IN_PATHS),
                *(_matches("x-amz-target", op, "EXACTLY") for op in SIGN_IN_OPERATIONS),
            ]
        )
    )
    return (
        managed(IP_REPUTATION),
        managed(COMMON_RULE_SET, count_only=(BODY_SIZE_RULE,)),
        WebAclRule(name=LARGE_BODY_RULE_NAME, action="block", statement=large_body_outside_saml),
        managed(KNOWN_BAD_INPUTS),
        rate_limit(SIGN_IN_RATE_RULE_NAME, sign_in_rate_limit, only=sign_in_requests),
    )


# Evaluated in this order; the IP reputation list first, as it is the cheapest way to drop traffic.
API_RULES = (managed(IP_REPUTATION), managed(COMMON_RULE_SET), managed(KNOWN_BAD_INPUTS))


def _matches(field: str, value: str, position: str) -> wafv2.CfnWebACL.StatementProperty:
    """``field`` (``uri_path`` or a header name), lowercased, compared with ``value``."""
    to_match = (
        wafv2.CfnWebACL.FieldToMatchProperty(uri_path={})
        if field == "uri_path"
        else wafv2.CfnWebACL.FieldToMatchProperty(single_header={"Name": field})
    )
    return wafv2.CfnWebACL.StatementProperty(
        byte_match_statement=wafv2.CfnWebACL.ByteMatchStatementProperty(
            field_to_match=to_match,
            positional_constraint=position,
            search_string=value,
            text_transformations=[wafv2.CfnWebACL.TextTransformationProperty(priority=0, type="LOWERCASE")],
        )
    )

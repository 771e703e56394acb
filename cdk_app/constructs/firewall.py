"""A regional WAF web ACL (AWS managed rules + per-IP rate limits) with logging to CloudWatch Logs."""

from __future__ import annotations

from collections.abc import Sequence

import aws_cdk as cdk
from aws_cdk import aws_logs as logs
from aws_cdk import aws_wafv2 as wafv2
from constructs import Construct

from cdk_app.config.api import WafConfig
from cdk_app.constructs.firewall_rules import API_RULES, RATE_RULE_NAME, WebAclRule, rate_limit, sign_in_rules
from cdk_app.constructs.log_retention import retention

# WAF only delivers logs to CloudWatch log groups whose name starts with this.
WAF_LOG_GROUP_PREFIX = "aws-waf-logs-"
# Headers kept out of WAF logs: bearer tokens (API) and session cookies (Cognito managed login).
REDACTED_HEADERS = ("authorization", "cookie")


class Firewall(Construct):
    """A REGIONAL web ACL: allow by default, then the rules given, in order, then a per-IP rate limit.

    Use ``Firewall.for_api`` (AWS managed rule groups as they come) or ``Firewall.for_sign_in`` (the
    same groups sized for Cognito: SAML responses may exceed the 8 KB body rule, and the sign-in
    endpoints get their own, lower per-IP rate limit). Every rule and the ACL emit CloudWatch metrics
    and sampled requests. Logs go to a log group named ``aws-waf-logs-<name>`` with the configured
    retention; the Authorization and Cookie headers are redacted from them. Associate resources with
    ``associate``. Exposes ``web_acl``, ``name`` and ``log_group``.

    On the first logging configuration, WAF adds a resource policy to CloudWatch Logs that lets it
    deliver to ``aws-waf-logs-*`` groups; the deploying role needs logs:PutResourcePolicy and
    logs:DescribeResourcePolicies (the CDK deploy role has them).
    """

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        config: WafConfig,
        name: str,
        rules: Sequence[WebAclRule],
        description: str,
    ) -> None:
        super().__init__(scope, construct_id)
        self.name = name
        every_rule = [*rules, rate_limit(RATE_RULE_NAME, config.rate_limit)]
        self.web_acl = wafv2.CfnWebACL(
            self,
            "WebAcl",
            name=name,
            description=description,
            scope="REGIONAL",
            default_action=wafv2.CfnWebACL.DefaultActionProperty(allow={}),
            rules=[rule.render(priority, metric_prefix=name) for priority, rule in enumerate(every_rule)],
            visibility_config=WebAclRule.visibility(name),
        )
        self.log_group = logs.LogGroup(
            self,
            "LogGroup",
            log_group_name=f"{WAF_LOG_GROUP_PREFIX}{name}",
            retention=retention(config.log_retention_days),
        )
        # WAF wants the log group's ARN without the trailing ":*" that its Arn attribute has.
        log_group_arn = cdk.Stack.of(self).format_arn(
            service="logs",
            resource="log-group",
            resource_name=self.log_group.log_group_name,
            arn_format=cdk.ArnFormat.COLON_RESOURCE_NAME,
        )
        wafv2.CfnLoggingConfiguration(
            self,
            "Logging",
            resource_arn=self.web_acl.attr_arn,
            log_destination_configs=[log_group_arn],
            redacted_fields=[
                wafv2.CfnLoggingConfiguration.FieldToMatchProperty(single_header={"Name": header})
                for header in REDACTED_HEADERS
            ],
        )

    @classmethod
    def for_api(cls, scope: Construct, construct_id: str, *, config: WafConfig, name: str) -> Firewall:
        """The API stage's web ACL: IP reputation, common rule set, known bad inputs, per-IP rate limit."""
        return cls(
            scope,
            construct_id,
            config=config,
            name=name,
            rules=API_RULES,
            description=f"{name}: AWS managed rules and a per-IP rate limit",
        )

    @classmethod
    def for_sign_in(cls, scope: Construct, construct_id: str, *, config: WafConfig, name: str) -> Firewall:
        """The user pool's web ACL: the API's rules, with the 8 KB body limit lifted for SAML responses
        only, and a per-IP rate limit on the sign-in endpoints (``waf.sign_in_rate_limit``)."""
        return cls(
            scope,
            construct_id,
            config=config,
            name=name,
            rules=sign_in_rules(config.sign_in_rate_limit),
            description=f"{name}: AWS managed rules sized for sign-in, and per-IP rate limits",
        )

    def associate(self, construct_id: str, resource_arn: str) -> wafv2.CfnWebACLAssociation:
        """Put ``resource_arn`` (an API Gateway stage, a Cognito user pool) behind the web ACL.

        WAF rejects an association with a resource that does not exist yet, such as a stage still being
        created: pass an ARN built from the resource's own reference (``Stage.stage_arn`` is), so
        CloudFormation creates the resource first.
        """
        return wafv2.CfnWebACLAssociation(
            self, construct_id, resource_arn=resource_arn, web_acl_arn=self.web_acl.attr_arn
        )

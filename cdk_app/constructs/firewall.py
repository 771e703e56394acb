"""A regional WAF web ACL (AWS managed rules + per-IP rate limit) with logging to CloudWatch Logs."""

from __future__ import annotations

import aws_cdk as cdk
from aws_cdk import aws_logs as logs
from aws_cdk import aws_wafv2 as wafv2
from constructs import Construct

from cdk_app.config.api import WafConfig
from cdk_app.constructs.log_retention import retention

# WAF only delivers logs to CloudWatch log groups whose name starts with this.
WAF_LOG_GROUP_PREFIX = "aws-waf-logs-"
# Evaluated in this order; the IP reputation list first, as it is the cheapest way to drop traffic.
MANAGED_RULE_GROUPS = (
    "AWSManagedRulesAmazonIpReputationList",
    "AWSManagedRulesCommonRuleSet",
    "AWSManagedRulesKnownBadInputsRuleSet",
)
RATE_RULE_NAME = "RateLimitPerIp"
# Headers kept out of WAF logs: bearer tokens (API) and session cookies (Cognito managed login).
REDACTED_HEADERS = ("authorization", "cookie")


class Firewall(Construct):
    """A REGIONAL web ACL: allow by default, AWS managed rule groups, a per-IP rate-based block rule.

    Every rule and the ACL emit CloudWatch metrics and sampled requests. Logs go to a log group named
    ``aws-waf-logs-<name>`` with the configured retention; the Authorization and Cookie headers are
    redacted from them. Associate resources (API stage, user pool) with ``associate``. Exposes
    ``web_acl`` and ``log_group``.

    On the first logging configuration, WAF adds a resource policy to CloudWatch Logs that lets it
    deliver to ``aws-waf-logs-*`` groups; the deploying role needs logs:PutResourcePolicy and
    logs:DescribeResourcePolicies (the CDK deploy role has them).
    """

    def __init__(self, scope: Construct, construct_id: str, *, config: WafConfig, name: str) -> None:
        super().__init__(scope, construct_id)
        self._metric_prefix = name
        rules = [self._managed_rule(group, priority) for priority, group in enumerate(MANAGED_RULE_GROUPS)]
        rules.append(self._rate_rule(config.rate_limit, priority=len(rules)))
        self.web_acl = wafv2.CfnWebACL(
            self,
            "WebAcl",
            name=name,
            description=f"{name}: AWS managed rules and a per-IP rate limit",
            scope="REGIONAL",
            default_action=wafv2.CfnWebACL.DefaultActionProperty(allow={}),
            rules=rules,
            visibility_config=self._visibility(name),
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

    def associate(self, construct_id: str, resource_arn: str) -> wafv2.CfnWebACLAssociation:
        """Put ``resource_arn`` (an API Gateway stage, a Cognito user pool) behind the web ACL.

        WAF rejects an association with a resource that does not exist yet, such as a stage still being
        created: pass an ARN built from the resource's own reference (``Stage.stage_arn`` is), so
        CloudFormation creates the resource first.
        """
        return wafv2.CfnWebACLAssociation(
            self, construct_id, resource_arn=resource_arn, web_acl_arn=self.web_acl.attr_arn
        )

    def _managed_rule(self, group: str, priority: int) -> wafv2.CfnWebACL.RuleProperty:
        return wafv2.CfnWebACL.RuleProperty(
            name=group,
            priority=priority,
            # "none" keeps each rule group's own actions (block); "count" would only observe.
            override_action=wafv2.CfnWebACL.OverrideActionProperty(none={}),
            statement=wafv2.CfnWebACL.StatementProperty(
                managed_rule_group_statement=wafv2.CfnWebACL.ManagedRuleGroupStatementProperty(
                    vendor_name="AWS", name=group
                )
            ),
            visibility_config=self._visibility(f"{self._metric_prefix}-{group}"),
        )

    def _rate_rule(self, limit: int, *, priority: int) -> wafv2.CfnWebACL.RuleProperty:
        return wafv2.CfnWebACL.RuleProperty(
            name=RATE_RULE_NAME,
            priority=priority,
            action=wafv2.CfnWebACL.RuleActionProperty(block={}),
            statement=wafv2.CfnWebACL.StatementProperty(
                rate_based_statement=wafv2.CfnWebACL.RateBasedStatementProperty(
                    limit=limit, aggregate_key_type="IP", evaluation_window_sec=300
                )
            ),
            visibility_config=self._visibility(f"{self._metric_prefix}-{RATE_RULE_NAME}"),
        )

    @staticmethod
    def _visibility(metric_name: str) -> wafv2.CfnWebACL.VisibilityConfigProperty:
        return wafv2.CfnWebACL.VisibilityConfigProperty(
            cloud_watch_metrics_enabled=True, metric_name=metric_name, sampled_requests_enabled=True
        )

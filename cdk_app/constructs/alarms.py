"""CloudWatch alarms for the sign-in front door (Cognito, its web ACL) and the API (stage, function, ACL)."""

from __future__ import annotations

from collections.abc import Sequence

import aws_cdk as cdk
from aws_cdk import aws_apigateway as apigw
from aws_cdk import aws_cloudwatch as cloudwatch
from aws_cdk import aws_cognito as cognito
from aws_cdk import aws_lambda as lambda_
from constructs import Construct

from cdk_app.config.monitoring import AlarmThresholdsConfig

PERIOD = cdk.Duration.minutes(5)


class _Alarms(Construct):
    """Shared shape: 5-minute periods, fire at or above the threshold, no data is not a breach, and
    every alarm notifies ``actions`` when it fires and when it clears. Exposes ``alarms`` by ID."""

    def __init__(
        self, scope: Construct, construct_id: str, *, actions: Sequence[cloudwatch.IAlarmAction]
    ) -> None:
        super().__init__(scope, construct_id)
        self._actions = list(actions)
        self.alarms: dict[str, cloudwatch.Alarm] = {}

    def _add(
        self,
        construct_id: str,
        *,
        name: str,
        metric: cloudwatch.IMetric,
        threshold: float,
        description: str,
        periods: int = 1,
    ) -> None:
        alarm = cloudwatch.Alarm(
            self,
            construct_id,
            alarm_name=name,
            alarm_description=description,
            metric=metric,
            threshold=threshold,
            evaluation_periods=periods,
            datapoints_to_alarm=periods,
            comparison_operator=cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
            treat_missing_data=cloudwatch.TreatMissingData.NOT_BREACHING,
        )
        alarm.add_alarm_action(*self._actions)
        alarm.add_ok_action(*self._actions)
        self.alarms[construct_id] = alarm

    def _waf_blocked(self, web_acl_name: str | None, threshold: int, name: str) -> None:
        if web_acl_name is None:
            return
        metric = cloudwatch.Metric(
            namespace="AWS/WAFV2",
            metric_name="BlockedRequests",
            dimensions_map={"WebACL": web_acl_name, "Region": cdk.Stack.of(self).region, "Rule": "ALL"},
            statistic="Sum",
            period=PERIOD,
        )
        self._add(
            "WafBlocked",
            name=f"{name}-waf-blocked",
            metric=metric,
            threshold=threshold,
            description=f"Web ACL {web_acl_name} blocked {threshold}+ requests in 5 minutes: an attack or a "
            f"rule hitting real users. Its log group aws-waf-logs-{web_acl_name} names the rule and the IPs.",
        )


class SignInAlarms(_Alarms):
    """Alarms on the sign-in front door: blocks by its web ACL (if any) and, with threat protection,
    sign-ins Cognito scored high risk for account takeover or caught with a leaked password.

    Cognito publishes its risk metrics per operation and risk level; a Metrics Insights query sums
    them for this pool, so no dimension combination is missed.
    """

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        user_pool: cognito.IUserPool,
        web_acl_name: str | None,
        risk_metrics: bool,
        thresholds: AlarmThresholdsConfig,
        actions: Sequence[cloudwatch.IAlarmAction],
        name: str,
    ) -> None:
        super().__init__(scope, construct_id, actions=actions)
        self._waf_blocked(web_acl_name, thresholds.waf_blocked_requests, name)
        if not risk_metrics:
            return
        # Metrics Insights queries, not SQL: the only value in them is the pool's ID (a CloudFormation Ref).
        pool = user_pool.user_pool_id
        self._add(
            "HighRiskSignIns",
            name=f"{name}-high-risk-sign-ins",
            metric=_insights(
                f"SELECT SUM(AccountTakeoverRisk) FROM \"AWS/Cognito\" WHERE UserPoolId = '{pool}' "  # noqa: S608
                "AND RiskLevel = 'high'",
                "High-risk sign-ins",
            ),
            threshold=thresholds.high_risk_sign_ins,
            description="Cognito threat protection scored sign-ins as high account-takeover risk (blocked "
            "in enforced mode). The user-activity log group has each event's user, IP and decision.",
        )
        self._add(
            "CompromisedCredentials",
            name=f"{name}-compromised-credentials",
            metric=_insights(
                f"SELECT SUM(CompromisedCredentialRisk) FROM \"AWS/Cognito\" WHERE UserPoolId = '{pool}'",  # noqa: S608
                "Leaked-password attempts",
            ),
            threshold=thresholds.compromised_credential_sign_ins,
            description="Cognito saw a password known from a breach at sign-in, sign-up or password change. "
            "The user-activity log group names the user; make them reset the password.",
        )


class ApiAlarms(_Alarms):
    """Alarms on the API: function errors and throttles, stage 5XX responses and p99 latency, and
    blocks by the stage's web ACL (if any)."""

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        function: lambda_.IFunction,
        stage: apigw.Stage,
        web_acl_name: str | None,
        thresholds: AlarmThresholdsConfig,
        actions: Sequence[cloudwatch.IAlarmAction],
        name: str,
    ) -> None:
        super().__init__(scope, construct_id, actions=actions)
        self._add(
            "FunctionErrors",
            name=f"{name}-function-errors",
            metric=function.metric_errors(period=PERIOD, statistic="Sum"),
            threshold=thresholds.function_errors,
            description="The API function raised errors (the caller got a 5XX). Its log group has the "
            "stack trace; X-Ray has the trace.",
        )
        self._add(
            "FunctionThrottles",
            name=f"{name}-function-throttles",
            metric=function.metric_throttles(period=PERIOD, statistic="Sum"),
            threshold=thresholds.function_throttles,
            description="Lambda refused invocations of the API function (concurrency limit): callers got "
            "5XX. Raise its concurrency or find the traffic in the API's access log.",
        )
        self._add(
            "Api5xx",
            name=f"{name}-5xx",
            metric=stage.metric_server_error(period=PERIOD, statistic="Sum"),
            threshold=thresholds.api_5xx_errors,
            description="The API stage answered 5XX. The access log's errorType and status say whether the "
            "function or API Gateway failed.",
        )
        self._add(
            "ApiLatency",
            name=f"{name}-latency-p99",
            metric=stage.metric_latency(period=PERIOD, statistic="p99"),
            threshold=thresholds.api_latency_p99_ms,
            # Two periods in a row: one slow cold start should not page anyone.
            periods=2,
            description="The API's p99 latency stayed high for 10 minutes. Compare integrationLatency in "
            "the access log with the function's duration.",
        )
        self._waf_blocked(web_acl_name, thresholds.waf_blocked_requests, name)


def _insights(query: str, label: str) -> cloudwatch.MathExpression:
    return cloudwatch.MathExpression(expression=query, using_metrics={}, label=label, period=PERIOD)

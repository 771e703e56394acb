"""What the project's scheduled functions (the certificate check, the user export) share: a day as
their period, the alarm on a failed run, and how their alarms reach the alert topic."""

from __future__ import annotations

from collections.abc import Sequence

import aws_cdk as cdk
from aws_cdk import aws_cloudwatch as cloudwatch
from aws_cdk import aws_lambda as lambda_
from constructs import Construct

DAY = cdk.Duration.days(1)


def failed_run_alarm(
    scope: Construct, function: lambda_.IFunction, *, service_name: str, description: str
) -> cloudwatch.Alarm:
    """``ErrorsAlarm`` in ``scope``: any error of ``function`` within a day; a day without runs is
    not a failure (each construct's own alarm covers a run that never happens)."""
    return cloudwatch.Alarm(
        scope,
        "ErrorsAlarm",
        alarm_name=f"{service_name}-errors",
        alarm_description=description,
        metric=function.metric_errors(period=DAY, statistic="Sum"),
        threshold=1,
        evaluation_periods=1,
        comparison_operator=cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treat_missing_data=cloudwatch.TreatMissingData.NOT_BREACHING,
    )


def notify(alarms: Sequence[cloudwatch.Alarm], actions: Sequence[cloudwatch.IAlarmAction]) -> None:
    """Every alarm tells ``actions`` when it fires and when it clears."""
    for alarm in alarms:
        alarm.add_alarm_action(*actions)
        alarm.add_ok_action(*actions)

"""The scheduled check of the pool's SAML signing certificates (``functions/idp_cert_check``), alarmed."""

from __future__ import annotations

from collections.abc import Sequence

from aws_cdk import aws_cloudwatch as cloudwatch
from aws_cdk import aws_cognito as cognito
from aws_cdk import aws_events as events
from aws_cdk import aws_events_targets as targets
from aws_cdk import aws_iam as iam
from constructs import Construct

from cdk_app.config.functions import PowertoolsLayerConfig
from cdk_app.config.hardening import CertificateCheckConfig
from cdk_app.constructs import nag
from cdk_app.constructs.python_function import PowertoolsFunction
from cdk_app.constructs.scheduled_runs import DAY, failed_run_alarm, notify
from cdk_app.contracts import IdpCertCheckVariables, PowertoolsVariables

CODE = "idp_cert_check"
METRICS_NAMESPACE = "CognitoSso/IdpCertCheck"
MINIMUM_DAYS_LEFT = "MinimumSigningCertificateDaysLeft"


class IdpCertCheck(Construct):
    """Once a day (an EventBridge rule), ``Function`` checks every SAML provider of
    ``user_pool``; its role may call only ``cognito-idp:ListIdentityProviders`` and
    ``cognito-idp:DescribeIdentityProvider`` on that pool.

    Two alarms notify ``actions``: ``Errors`` ≥ 1 over a day (a certificate expired or inside the
    warning window, unreadable metadata, or the check itself failing; no data is not breaching, since
    Lambda reports zero for a run without errors), and ``MinimumSigningCertificateDaysLeft`` ≤
    ``config.warning_days``. With SAML providers (``has_saml``) a day without that metric is
    breaching: the check did not run, or read no certificate. Without any, it is not. Exposes
    ``function`` and ``alarms``.
    """

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        user_pool: cognito.IUserPool,
        config: CertificateCheckConfig,
        has_saml: bool,
        powertools_layer: PowertoolsLayerConfig | None,
        service_name: str,
        log_retention_days: int,
        actions: Sequence[cloudwatch.IAlarmAction],
    ) -> None:
        super().__init__(scope, construct_id)
        fn = PowertoolsFunction(
            self,
            "Function",
            code=CODE,
            description=f"{service_name}: daily check of the SAML providers' signing certificates",
            role_description="Execution role of the certificate check: list and describe the pool's IdPs",
            service_name=service_name,
            memory_mb=256,
            timeout_seconds=60,
            log_retention_days=log_retention_days,
            powertools_layer=powertools_layer,
            environment={
                IdpCertCheckVariables.USER_POOL_ID: user_pool.user_pool_id,
                IdpCertCheckVariables.WARNING_DAYS: str(config.warning_days),
                PowertoolsVariables.METRICS_NAMESPACE: METRICS_NAMESPACE,
            },
            invoked_by="an EventBridge rule invokes this function, once a day",
            failures="",
            calls=[
                iam.PolicyStatement(
                    actions=["cognito-idp:ListIdentityProviders", "cognito-idp:DescribeIdentityProvider"],
                    resources=[user_pool.user_pool_arn],
                )
            ],
            dead_letter_reason=(
                "Invoked asynchronously by a daily EventBridge rule with an empty event: a dead-letter "
                "queue would only hold that empty event. A failed run is what the Errors alarm of this "
                "construct reports to the alert topic, and the next day's run checks again."
            ),
        )
        self.function = fn.function
        rule = events.Rule(self, "Daily", schedule=events.Schedule.rate(DAY))
        rule.add_target(targets.LambdaFunction(self.function, retry_attempts=2))
        cfn_rule = rule.node.default_child
        assert cfn_rule is not None
        nag.acknowledge(
            cfn_rule,
            "Serverless-EventBusDLQ",
            "A daily scheduled rule whose event carries nothing: a dead-letter queue would hold only empty "
            "events. A run that never happens leaves MinimumSigningCertificateDaysLeft missing for the day, "
            "which the DaysLeftAlarm treats as breaching (with SAML providers).",
        )
        self.alarms = self._alarms(config, has_saml=has_saml, service_name=service_name)
        notify(self.alarms, actions)

    def _alarms(
        self, config: CertificateCheckConfig, *, has_saml: bool, service_name: str
    ) -> list[cloudwatch.Alarm]:
        days_left = cloudwatch.Metric(
            namespace=METRICS_NAMESPACE,
            metric_name=MINIMUM_DAYS_LEFT,
            dimensions_map={"service": service_name},
            statistic="Minimum",
            period=DAY,
        )
        return [
            failed_run_alarm(
                self,
                self.function,
                service_name=service_name,
                description="The SAML certificate check failed: a certificate needs action",
            ),
            cloudwatch.Alarm(
                self,
                "DaysLeftAlarm",
                alarm_name=f"{service_name}-days-left",
                alarm_description=(
                    f"A SAML signing certificate expires within {config.warning_days} days: rotate it"
                ),
                metric=days_left,
                threshold=config.warning_days,
                evaluation_periods=1,
                comparison_operator=cloudwatch.ComparisonOperator.LESS_THAN_OR_EQUAL_TO_THRESHOLD,
                treat_missing_data=(
                    cloudwatch.TreatMissingData.BREACHING
                    if has_saml
                    else cloudwatch.TreatMissingData.NOT_BREACHING
                ),
            ),
        ]

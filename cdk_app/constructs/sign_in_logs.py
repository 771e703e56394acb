"""Cognito's exported logs: message-delivery errors and, with threat protection, users' sign-in activity."""

from __future__ import annotations

import aws_cdk as cdk
from aws_cdk import aws_cognito as cognito
from aws_cdk import aws_logs as logs
from constructs import Construct

from cdk_app.constructs.log_retention import retention
from cdk_app.constructs.logs_key import leave_unencrypted

# Log groups under /aws/vendedlogs/ get CloudWatch Logs' delivery permission without growing the
# account's 5,120-character resource policy (Cognito's own advice for log delivery).
VENDED_LOGS_PREFIX = "/aws/vendedlogs/cognito"
COGNITO_REFUSES_KMS = (
    "Cognito delivers its user-pool logs only to a log group that is not encrypted with AWS KMS: "
    "AWS::Cognito::LogDeliveryConfiguration CloudWatchLogsConfiguration.LogGroupArn, 'The log group must "
    "not be encrypted with AWS Key Management Service' (CloudFormation and Cognito API references). "
    "CloudWatch Logs still encrypts it at rest with its own key; IAM decides who may read it."
)


class SignInLogs(Construct):
    """An ``AWS::Cognito::LogDeliveryConfiguration`` sending the pool's logs to CloudWatch Logs.

    Always: ``userNotification`` at ERROR (email and SMS that Cognito failed to deliver: codes, invites).
    With ``user_activity`` (threat protection on, Plus plan): ``userAuthEvents`` at INFO, one record per
    sign-in, sign-up and password change with its risk score and decision. Each goes to its own log
    group with ``retention_days``. Cognito cannot deliver to a KMS-encrypted group, so these two are left
    out of the stack's ``LogsKey`` (``leave_unencrypted``, acknowledged with that reason) even where
    ``logs.kms`` is set. Exposes ``notification_errors`` and ``user_activity`` (or None).

    Cognito creates the delivery with the deploying role's permissions (logs:CreateLogDelivery,
    logs:PutResourcePolicy, logs:DescribeResourcePolicies, logs:DescribeLogGroups), which the CDK
    deploy role has.
    """

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        user_pool: cognito.IUserPool,
        name: str,
        retention_days: int,
        user_activity: bool,
    ) -> None:
        super().__init__(scope, construct_id)
        self.notification_errors = self._log_group(
            "NotificationErrors", f"{name}/user-notification", retention_days
        )
        configurations = [self._delivery("userNotification", "ERROR", self.notification_errors)]
        self.user_activity: logs.LogGroup | None = None
        if user_activity:
            self.user_activity = self._log_group("UserActivity", f"{name}/user-activity", retention_days)
            configurations.append(self._delivery("userAuthEvents", "INFO", self.user_activity))
        cognito.CfnLogDeliveryConfiguration(
            self, "Delivery", user_pool_id=user_pool.user_pool_id, log_configurations=configurations
        )

    def _log_group(self, construct_id: str, path: str, retention_days: int) -> logs.LogGroup:
        group = logs.LogGroup(
            self,
            construct_id,
            log_group_name=f"{VENDED_LOGS_PREFIX}/{path}",
            retention=retention(retention_days),
        )
        leave_unencrypted(group, COGNITO_REFUSES_KMS)
        return group

    def _delivery(
        self, source: str, level: str, group: logs.LogGroup
    ) -> cognito.CfnLogDeliveryConfiguration.LogConfigurationProperty:
        # Cognito wants the group's ARN without the trailing ":*" of its Arn attribute.
        arn = cdk.Stack.of(self).format_arn(
            service="logs",
            resource="log-group",
            resource_name=group.log_group_name,
            arn_format=cdk.ArnFormat.COLON_RESOURCE_NAME,
        )
        return cognito.CfnLogDeliveryConfiguration.LogConfigurationProperty(
            event_source=source,
            log_level=level,
            cloud_watch_logs_configuration=cognito.CfnLogDeliveryConfiguration.CloudWatchLogsConfigurationProperty(
                log_group_arn=arn
            ),
        )

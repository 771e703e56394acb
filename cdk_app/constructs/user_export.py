"""The scheduled export of every user of the pool (``functions/user_export``) to a private bucket."""

from __future__ import annotations

from collections.abc import Sequence

import aws_cdk as cdk
from aws_cdk import aws_cloudwatch as cloudwatch
from aws_cdk import aws_cognito as cognito
from aws_cdk import aws_events as events
from aws_cdk import aws_events_targets as targets
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_s3 as s3
from constructs import Construct

from cdk_app.config.functions import PowertoolsLayerConfig
from cdk_app.config.hardening import BackupConfig
from cdk_app.constructs import nag
from cdk_app.constructs.python_function import PowertoolsFunction
from cdk_app.constructs.scheduled_runs import DAY, failed_run_alarm, notify
from cdk_app.contracts import PowertoolsVariables, UserExportVariables

PREFIX = "users/"
METRICS_NAMESPACE = "CognitoSso/UserExport"


class UserExport(Construct):
    """On ``config.schedule``, ``Function`` writes every user of ``user_pool`` (the ``make export-users``
    format) to ``Bucket`` under ``users/``. The bucket is versioned, encrypted with its own
    customer-managed key (rotation on), TLS-only, with public access blocked, and keeps each file and
    noncurrent version ``config.retention_days``; it and its key are retained. The role may only list
    and describe the pool, put objects under the prefix and generate data keys with that key.

    Alarms to ``actions``: ``Errors`` ≥ 1 in a day, and no ``UsersExported`` for a day (missing data is
    breaching). Exposes ``bucket`` and ``function``.
    """

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        user_pool: cognito.IUserPool,
        config: BackupConfig,
        environment: str,
        powertools_layer: PowertoolsLayerConfig | None,
        service_name: str,
        log_retention_days: int,
        actions: Sequence[cloudwatch.IAlarmAction],
    ) -> None:
        super().__init__(scope, construct_id)
        key = kms.Key(
            self,
            "Key",
            description=f"{service_name}: encrypts the user exports",
            enable_key_rotation=True,
            removal_policy=cdk.RemovalPolicy.RETAIN,
        )
        self.bucket = self._bucket(key, config)
        fn = PowertoolsFunction(
            self,
            "Function",
            code="user_export",
            description=f"{service_name}: exports every user of the pool to S3",
            role_description="Execution role of the user export: read the pool, write the export bucket",
            service_name=service_name,
            memory_mb=512,
            timeout_seconds=900,
            log_retention_days=log_retention_days,
            powertools_layer=powertools_layer,
            environment={
                UserExportVariables.USER_POOL_ID: user_pool.user_pool_id,
                UserExportVariables.ENVIRONMENT: environment,
                UserExportVariables.BUCKET: self.bucket.bucket_name,
                UserExportVariables.PREFIX: PREFIX,
                PowertoolsVariables.METRICS_NAMESPACE: METRICS_NAMESPACE,
            },
            invoked_by="an EventBridge rule invokes this function on its schedule",
            failures="",
            calls=[
                iam.PolicyStatement(
                    actions=[
                        "cognito-idp:DescribeUserPool",
                        "cognito-idp:ListGroups",
                        "cognito-idp:ListUsers",
                        "cognito-idp:ListUsersInGroup",
                    ],
                    resources=[user_pool.user_pool_arn],
                ),
                iam.PolicyStatement(
                    actions=["s3:PutObject"], resources=[self.bucket.arn_for_objects(f"{PREFIX}*")]
                ),
                iam.PolicyStatement(actions=["kms:GenerateDataKey"], resources=[key.key_arn]),
            ],
            dead_letter_reason=(
                "Invoked asynchronously by a scheduled EventBridge rule with an empty event: a dead-letter "
                "queue would hold only that empty event. A failed or missing run is what this construct's "
                "alarms report to the alert topic."
            ),
        )
        self.function = fn.function
        role = fn.role.node.default_child
        bucket_cfn = self.bucket.node.default_child
        assert role is not None
        assert isinstance(bucket_cfn, s3.CfnBucket)
        bucket_id = cdk.Stack.of(self).get_logical_id(bucket_cfn)
        nag.acknowledge(
            role,
            f"AwsSolutions-IAM5[Resource::<{bucket_id}.Arn>/{PREFIX}*]",
            "s3:PutObject on the export prefix of this construct's own bucket: each run writes a new, "
            "timestamped key, so no fixed object ARN exists.",
        )
        self._schedule(config)
        self._alarms(service_name, actions)

    def _bucket(self, key: kms.Key, config: BackupConfig) -> s3.Bucket:
        keep = cdk.Duration.days(config.retention_days)
        bucket = s3.Bucket(
            self,
            "Bucket",
            versioned=True,
            encryption=s3.BucketEncryption.KMS,
            encryption_key=key,
            bucket_key_enabled=True,
            enforce_ssl=True,
            block_public_access=s3.BlockPublicAccess.BLOCK_ALL,
            object_ownership=s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
            lifecycle_rules=[s3.LifecycleRule(expiration=keep, noncurrent_version_expiration=keep)],
            removal_policy=cdk.RemovalPolicy.RETAIN,
        )
        cfn = bucket.node.default_child
        assert cfn is not None
        nag.acknowledge(
            cfn,
            "AwsSolutions-S1",
            "Only this construct's function writes here (its role: s3:PutObject under users/), and "
            "CloudTrail records the account's S3 API calls; an access-log bucket would itself need one.",
        )
        return bucket

    def _schedule(self, config: BackupConfig) -> None:
        rule = events.Rule(self, "Schedule", schedule=events.Schedule.expression(config.schedule))
        rule.add_target(targets.LambdaFunction(self.function, retry_attempts=2))
        cfn_rule = rule.node.default_child
        assert cfn_rule is not None
        nag.acknowledge(
            cfn_rule,
            "Serverless-EventBusDLQ",
            "A scheduled rule whose event carries nothing: a dead-letter queue would hold only empty events. "
            "A run that never happens leaves UsersExported missing for the day, which MissingExportAlarm "
            "treats as breaching.",
        )

    def _alarms(self, service_name: str, actions: Sequence[cloudwatch.IAlarmAction]) -> None:
        exported = cloudwatch.Metric(
            namespace=METRICS_NAMESPACE,
            metric_name="UsersExported",
            dimensions_map={"service": service_name},
            statistic="SampleCount",
            period=DAY,
        )
        alarms = [
            failed_run_alarm(
                self, self.function, service_name=service_name, description="The scheduled user export failed"
            ),
            cloudwatch.Alarm(
                self,
                "MissingExportAlarm",
                alarm_name=f"{service_name}-missing",
                alarm_description="No successful user export for a day",
                metric=exported,
                threshold=1,
                evaluation_periods=1,
                comparison_operator=cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
                treat_missing_data=cloudwatch.TreatMissingData.BREACHING,
            ),
        ]
        notify(alarms, actions)

"""Where alarms go: an encrypted SNS topic with the configured email subscribers, and existing topics."""

from __future__ import annotations

import aws_cdk as cdk
from aws_cdk import aws_cloudwatch as cloudwatch
from aws_cdk import aws_cloudwatch_actions as cloudwatch_actions
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_sns as sns
from aws_cdk import aws_sns_subscriptions as subscriptions
from aws_cdk import aws_sqs as sqs
from constructs import Construct

from cdk_app.config.monitoring import AlertsConfig
from cdk_app.constructs import nag

CLOUDWATCH = "cloudwatch.amazonaws.com"


class AlertTopic(Construct):
    """With ``alerts.emails``: a KMS-encrypted, TLS-only SNS topic named ``topic_name`` that
    CloudWatch alarms of this account and region may publish to, each address subscribed (every
    subscriber must confirm the email AWS sends). Without emails it creates nothing. Exposes ``topic``
    (or None).

    The key is a customer-managed one because CloudWatch cannot use SNS's AWS-managed key; its policy
    lets CloudWatch encrypt for this account's alarms only. Every subscription redrives to
    ``DeadLetters``, a queue encrypted with the same key (SNS may use it for this topic only), TLS-only,
    keeping an alert SNS could not deliver for 14 days. Exposes ``dead_letters`` (or None).
    """

    def __init__(
        self, scope: Construct, construct_id: str, *, config: AlertsConfig, prefix: str, topic_name: str
    ) -> None:
        super().__init__(scope, construct_id)
        self.topic: sns.Topic | None = None
        self.dead_letters: sqs.Queue | None = None
        if not config.emails:
            return
        stack = cdk.Stack.of(self)
        from_own_alarms = {
            "StringEquals": {"aws:SourceAccount": stack.account},
            "ArnLike": {"aws:SourceArn": stack.format_arn(service="cloudwatch", resource="alarm:*")},
        }
        key = kms.Key(
            self,
            "Key",
            description=f"{prefix}: encrypts the alert topic",
            enable_key_rotation=True,
            # The topic holds no data at rest beyond messages in flight, so the key need not outlive it.
            removal_policy=cdk.RemovalPolicy.DESTROY,
            pending_window=cdk.Duration.days(7),
        )
        key.add_to_resource_policy(
            iam.PolicyStatement(
                sid="CloudWatchAlarmsEncrypt",
                principals=[iam.ServicePrincipal(CLOUDWATCH)],
                actions=["kms:Decrypt", "kms:GenerateDataKey*"],
                resources=["*"],  # in a key policy, "*" is this key
                conditions=from_own_alarms,
            )
        )
        self.topic = sns.Topic(
            self,
            "Topic",
            topic_name=topic_name,
            display_name=f"{prefix} alerts",
            master_key=key,
            enforce_ssl=True,
        )
        # enforce_ssl writes a topic policy, which replaces SNS's default one; say who may publish.
        self.topic.add_to_resource_policy(
            iam.PolicyStatement(
                sid="CloudWatchAlarmsPublish",
                principals=[iam.ServicePrincipal(CLOUDWATCH)],
                actions=["sns:Publish"],
                resources=[self.topic.topic_arn],
                conditions=from_own_alarms,
            )
        )
        # By name, not Ref: the topic already depends on the key, so the key's policy cannot name it.
        self.dead_letters = self._dead_letters(key, stack.format_arn(service="sns", resource=topic_name))
        for email in config.emails:
            self.topic.add_subscription(
                subscriptions.EmailSubscription(email, dead_letter_queue=self.dead_letters)
            )

    def _dead_letters(self, key: kms.Key, topic_arn: str) -> sqs.Queue:
        # SNS encrypts what it redrives with the queue's key, so the key lets SNS use it for this topic.
        key.add_to_resource_policy(
            iam.PolicyStatement(
                sid="SnsRedrivesThisTopic",
                principals=[iam.ServicePrincipal("sns.amazonaws.com")],
                actions=["kms:Decrypt", "kms:GenerateDataKey*"],
                resources=["*"],  # in a key policy, "*" is this key
                conditions={"ArnEquals": {"aws:SourceArn": topic_arn}},
            )
        )
        # The subscription adds the queue policy: sqs:SendMessage for SNS, from this topic only.
        queue = sqs.Queue(
            self,
            "DeadLetters",
            encryption=sqs.QueueEncryption.KMS,
            encryption_master_key=key,
            enforce_ssl=True,
            retention_period=cdk.Duration.days(14),
        )
        cfn = queue.node.default_child
        assert cfn is not None
        for finding in ("AwsSolutions-SQS3", "Serverless-SQSRedrivePolicy"):
            nag.acknowledge(
                cfn,
                finding,
                "This queue is itself the dead-letter queue: the alert topic's subscriptions redrive to it "
                "(their RedrivePolicy), which cdk-nag does not count as a dead-letter queue.",
            )
        return queue


def alarm_actions(
    scope: Construct, config: AlertsConfig, *, topic_name: str, topic: sns.ITopic | None = None
) -> list[cloudwatch.IAlarmAction]:
    """The actions every alarm of the environment takes: publish to the alert topic (``topic_name``)
    and to each configured existing topic; empty without a destination. Pass ``topic`` in the stack
    that creates it (alarms then wait for it); other stacks address it by the ARN its name gives
    (``cdk_app.contracts.alert_topic_name``), with no export."""
    topics: list[sns.ITopic] = []
    if config.emails:
        arn = cdk.Stack.of(scope).format_arn(service="sns", resource=topic_name)
        topics.append(topic or sns.Topic.from_topic_arn(scope, "AlertTopic", arn))
    topics += [sns.Topic.from_topic_arn(scope, f"AlertTarget{i}", a) for i, a in enumerate(config.topic_arns)]
    return [cloudwatch_actions.SnsAction(t) for t in topics]

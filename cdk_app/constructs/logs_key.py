"""A stack's log groups encrypted with a customer-managed KMS key that only CloudWatch Logs may use."""

from __future__ import annotations

import aws_cdk as cdk
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_logs as logs
from constructs import Construct, IConstruct

from cdk_app.config.hardening import LogsConfig
from cdk_app.constructs import nag

LOGS_ARN_CONTEXT = "kms:EncryptionContext:aws:logs:arn"
LOGS_ACTIONS = ("kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*")
# The auditors' names for "this log group is not encrypted with a customer-managed key".
CHECKOV_UNENCRYPTED = "CKV_AWS_158"
NIST_UNENCRYPTED = "NIST.800.53.R5-CloudWatchLogGroupEncrypted"


def leave_unencrypted(group: logs.LogGroup, reason: str) -> None:
    """Keep ``group`` on CloudWatch Logs' own encryption even where ``logs.kms`` is set, because the
    service writing to it cannot write to a KMS-encrypted group; ``reason`` says why, for a reviewer.

    It is acknowledged where the auditors look: in the resource's ``Metadata`` for checkov (a skip of
    CKV_AWS_158 with the reason as its comment) and for cdk-nag's NIST 800-53 R5 pack. ``LogsKey``
    reads the same checkov entry, so the group is left out of the key and of its policy.
    """
    cfn = group.node.default_child
    assert isinstance(cfn, logs.CfnLogGroup)
    cfn.add_metadata("checkov", {"skip": [{"id": CHECKOV_UNENCRYPTED, "comment": reason}]})
    nag.acknowledge(cfn, NIST_UNENCRYPTED, reason)


def _left_unencrypted(group: logs.CfnLogGroup) -> bool:
    skips = (group.get_metadata("checkov") or {}).get("skip", [])
    return any(skip.get("id") == CHECKOV_UNENCRYPTED for skip in skips)


def _log_groups(scope: IConstruct) -> list[logs.CfnLogGroup]:
    found = [c for c in scope.node.find_all() if isinstance(c, logs.CfnLogGroup)]
    return [g for g in found if not _left_unencrypted(g)]


def _name_or_generated(stack: cdk.Stack, group: logs.CfnLogGroup) -> str:
    # Unnamed, CloudFormation names the group "<stack name>-<logical ID>-<random suffix>".
    if stack.resolve(group.log_group_name) is None:
        return f"{stack.stack_name}-{stack.get_logical_id(group)}-*"
    return str(group.log_group_name)


class LogsKey(Construct):
    """With ``config.kms``: every ``AWS::Logs::LogGroup`` of the stack gets ``KmsKeyId``.

    ``managed`` creates one key (``Key``) for the stack, rotation on, retained with the logs it protects
    (deleting it would make them unreadable). Its policy lets the account administer it and lets CloudWatch
    Logs of this region use it only for this stack's log groups: the encryption context's log-group ARN
    must be one of the groups' own names, or, for a group whose name CloudFormation generates, the name
    it generates for that group (``<stack name>-<logical ID>-<suffix>``). A group marked with
    ``leave_unencrypted`` is neither encrypted nor named in the policy. A key ARN uses that key as it
    is. Call ``encrypt`` once every log group of the stack exists. Exposes ``key_arn`` (or None when
    ``off``).
    """

    def __init__(self, scope: Construct, construct_id: str, *, config: LogsConfig, description: str) -> None:
        super().__init__(scope, construct_id)
        self.key: kms.Key | None = None
        self.key_arn: str | None = None
        if config.kms == "off":
            return
        if config.kms != "managed":
            self.key_arn = config.kms
            return
        self.key = kms.Key(
            self,
            "Key",
            description=description,
            enable_key_rotation=True,
            removal_policy=cdk.RemovalPolicy.RETAIN,
        )
        self.key_arn = self.key.key_arn

    def encrypt(self, stack: cdk.Stack) -> None:
        """Set the key on every log group of ``stack`` and allow CloudWatch Logs for exactly those."""
        if self.key_arn is None:
            return
        groups = _log_groups(stack)
        for group in groups:
            group.kms_key_id = self.key_arn
        if self.key is None:
            return
        patterns = sorted(
            {
                stack.format_arn(
                    service="logs",
                    resource="log-group",
                    resource_name=_name_or_generated(stack, group),
                    arn_format=cdk.ArnFormat.COLON_RESOURCE_NAME,
                )
                for group in groups
            }
        )
        self.key.add_to_resource_policy(
            iam.PolicyStatement(
                sid="CloudWatchLogsForThisStacksLogGroups",
                principals=[iam.ServicePrincipal(f"logs.{stack.region}.amazonaws.com")],
                actions=list(LOGS_ACTIONS),
                resources=["*"],  # in a key policy, "*" is this key
                conditions={"ArnLike": {LOGS_ARN_CONTEXT: patterns}},
            )
        )

"""The execution role every function here gets: write to its own log group and send X-Ray traces."""

from __future__ import annotations

from collections.abc import Sequence

from aws_cdk import aws_iam as iam
from aws_cdk import aws_logs as logs
from constructs import Construct

from cdk_app.constructs import nag


def logs_and_traces_role(
    scope: Construct,
    construct_id: str,
    *,
    log_group: logs.ILogGroup,
    description: str,
    calls: Sequence[iam.PolicyStatement] = (),
) -> iam.Role:
    """A role for ``lambda.amazonaws.com`` with only inline policies: ``logs:CreateLogStream`` and
    ``logs:PutLogEvents`` on ``log_group``, and the two X-Ray write actions (which take no resource).

    Pass it to the function as ``role.without_policy_updates()``, so grants that constructs try to add
    later are dropped and the role's permissions stay exactly these. ``calls``: the AWS APIs the
    function's code calls, each statement scoped by its caller, in one more inline policy ``CallsAws``.
    """
    extra = {"CallsAws": iam.PolicyDocument(statements=list(calls))} if calls else {}
    role = iam.Role(
        scope,
        construct_id,
        assumed_by=iam.ServicePrincipal("lambda.amazonaws.com"),
        description=description,
        inline_policies={
            "WriteOwnLogs": iam.PolicyDocument(
                statements=[
                    iam.PolicyStatement(
                        # The log group exists (the caller creates it), so no logs:CreateLogGroup.
                        actions=["logs:CreateLogStream", "logs:PutLogEvents"],
                        # The log group's Arn attribute ends in ":*", which covers its log streams.
                        resources=[log_group.log_group_arn],
                    )
                ]
            ),
            "SendTraces": iam.PolicyDocument(
                statements=[
                    iam.PolicyStatement(
                        actions=["xray:PutTraceSegments", "xray:PutTelemetryRecords"],
                        resources=["*"],
                    )
                ]
            ),
            **extra,
        },
    )
    cfn = role.node.default_child
    assert isinstance(cfn, iam.CfnRole)
    xray_reason = (
        "Only in the SendTraces statement: xray:PutTraceSegments and xray:PutTelemetryRecords "
        "support no resource-level permissions (the Service Authorization Reference lists no "
        "resource types for them), so '*' is the only valid Resource. The statement allows only "
        "these two write actions; the log statement is scoped to the function's own log group."
    )
    nag.acknowledge(cfn, "AwsSolutions-IAM5[Resource::*]", xray_reason)
    nag.acknowledge(cfn, "Serverless-LambdaStarPermissions", xray_reason)
    return role

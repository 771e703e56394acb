"""cdk-nag acknowledgements for what CDK Pipelines generates inside the pipeline stack (``PipelineStack``).

Each finding is acknowledged on the one role policy or bucket that carries it, by its granular ID,
after ``build_pipeline()`` has created them. Nothing here covers the environments' own stacks.
"""

from __future__ import annotations

from collections.abc import Iterable

import aws_cdk as cdk
from aws_cdk import aws_codebuild as codebuild
from aws_cdk import aws_iam as iam
from aws_cdk import aws_s3 as s3
from aws_cdk import pipelines
from constructs import IConstruct

from cdk_app.constructs import nag

# What `bucket.grant_read_write` / `grant_read` and `key.grant_encrypt_decrypt` write for the
# pipeline's own artifact bucket and key.
_ARTIFACT_ACTIONS = (
    "Action::s3:Abort*",
    "Action::s3:DeleteObject*",
    "Action::s3:GetBucket*",
    "Action::s3:GetObject*",
    "Action::s3:List*",
    "Action::kms:GenerateDataKey*",
    "Action::kms:ReEncrypt*",
)
_ARTIFACT_REASON = (
    "CDK Pipelines grants this role read/write on the pipeline's own artifact bucket and its key only "
    "(see the policy's Resource): the action wildcards are the S3/KMS variants a grant needs, and the "
    "object wildcard is because CodePipeline names artifact objects per execution."
)
_CODEBUILD_REASON = (
    "CodeBuild's service grant for this project only: log streams inside /aws/codebuild/<this project> "
    "and report groups prefixed with the project name, which CodeBuild creates at run time."
)


def acknowledge_pipeline_internals(pipeline: pipelines.CodePipeline, artifacts: s3.Bucket) -> None:
    """Acknowledge the generated roles' and buckets' findings; call after ``build_pipeline()``.

    Guarantees: every acknowledgement names one granular finding on one generated construct, and
    resource IDs are computed from the constructs themselves (no hashed logical ID is written here).
    """
    codepipeline = pipeline.pipeline
    projects = [pipeline.synth_project]
    if pipeline.self_mutation_enabled:
        projects.append(pipeline.self_mutation_project)
    asset_roles = _roles_under(pipeline.node.try_find_child("Assets"))
    roles: list[iam.IRole] = [
        codepipeline.role,
        *_roles_under(codepipeline.node.try_find_child("Source")),
        *(p.role for p in projects if p.role is not None),
        *asset_roles,
    ]
    artifact_objects = f"Resource::<{_logical_id(artifacts)}.Arn>/*"
    for role in roles:
        _acknowledge(role, (*_ARTIFACT_ACTIONS, artifact_objects), _ARTIFACT_REASON)
    for project in projects:
        _acknowledge_project_logs_and_reports(project)
    for role in asset_roles:
        _acknowledge_asset_publishing(role)
    if pipeline.self_mutation_enabled and pipeline.self_mutation_project.role is not None:
        _acknowledge_self_mutation(pipeline.self_mutation_project.role)
    for region, support in codepipeline.cross_region_support.items():
        _acknowledge_cross_region_support(codepipeline.role, region, support.replication_bucket)


def _codebuild_arns(scope: IConstruct) -> tuple[str, str]:
    """``arn:<partition>`` and ``<region>:<account>`` of the stack: CodeBuild's ARNs start with them."""
    stack = cdk.Stack.of(scope)
    return f"arn:{stack.partition}", f"{stack.region}:{stack.account}"


def _acknowledge_project_logs_and_reports(project: codebuild.IProject) -> None:
    if project.role is None:
        return
    arn_prefix, where = _codebuild_arns(project)
    ref = _logical_id(project)
    _acknowledge(
        project.role,
        (
            f"Resource::{arn_prefix}:logs:{where}:log-group:/aws/codebuild/<{ref}>:*",
            f"Resource::{arn_prefix}:codebuild:{where}:report-group/<{ref}>-*",
        ),
        _CODEBUILD_REASON,
    )


def _acknowledge_asset_publishing(role: iam.Role) -> None:
    arn_prefix, where = _codebuild_arns(role)
    _acknowledge(
        role,
        (
            f"Resource::{arn_prefix}:logs:{where}:log-group:/aws/codebuild/*",
            f"Resource::{arn_prefix}:codebuild:{where}:report-group/*",
        ),
        "CDK Pipelines shares this role among all asset-publishing CodeBuild projects, whose "
        "names it generates: logs and reports are limited to CodeBuild's in this account and region.",
    )
    _acknowledge(
        role,
        ("Resource::*",),
        "codebuild:StartBuild/BatchGetBuilds/StopBuild, granted by CDK Pipelines to its shared "
        "asset-publishing role (assumable by CodeBuild only); its other statements are scoped to the "
        "artifact bucket, its key and the target accounts' CDK file-publishing roles.",
    )


def _acknowledge_self_mutation(role: iam.IRole) -> None:
    _acknowledge(
        role,
        (f"Resource::arn:*:iam::{cdk.Stack.of(role).account}:role/*",),
        "Self-mutation runs `cdk deploy` of this stack: sts:AssumeRole is limited by condition to "
        "roles tagged aws-cdk:bootstrap-role deploy/file-publishing/image-publishing, i.e. the CDK "
        "bootstrap roles of the pipeline account.",
    )
    _acknowledge(
        role,
        ("Resource::*",),
        "Self-mutation's `cdk deploy` calls cloudformation:DescribeStacks and s3:ListBucket to find "
        "stacks and the bootstrap bucket by name before it knows their ARNs; both are read-only.",
    )


def _acknowledge_cross_region_support(role: iam.IRole, region: str, replication: s3.IBucket) -> None:
    _acknowledge(
        role,
        (f"Resource::{cdk.Stack.of(role).resolve(replication.bucket_arn)}/*",),
        f"Read/write on the objects of the CDK-generated {region} replication bucket, which only "
        "carries this pipeline's artifacts to actions in that region.",
    )
    _acknowledge(
        role,
        ("Resource::*",),
        f"KMS encrypt/decrypt on the {region} replication bucket's key, which lives in another "
        "region's support stack so CDK cannot reference its ARN; that key's policy only admits "
        "this account and the target accounts' CDK deploy roles.",
    )
    _acknowledge(
        replication,
        ("AwsSolutions-S1",),
        f"CDK-generated {region} replication bucket for pipeline artifacts: KMS-encrypted with a "
        "rotating key, TLS-only and private; its reads and writes are the pipeline's own, which "
        "CloudTrail and CodePipeline's execution history already record.",
    )


def _acknowledge(construct: IConstruct, findings: Iterable[str], reason: str) -> None:
    # A role's statements land in its DefaultPolicy; acknowledging there keeps the scope narrowest.
    target = construct.node.try_find_child("DefaultPolicy") or construct
    for finding in findings:
        name = finding if finding.startswith("AwsSolutions-") else f"AwsSolutions-IAM5[{finding}]"
        nag.acknowledge(target, name, reason)


def _roles_under(scope: IConstruct | None) -> list[iam.Role]:
    return [c for c in scope.node.find_all() if isinstance(c, iam.Role)] if scope is not None else []


def _logical_id(construct: IConstruct) -> str:
    resource = construct.node.default_child
    if not isinstance(resource, cdk.CfnElement):
        raise TypeError(f"{construct.node.path} has no CloudFormation resource")
    return cdk.Stack.of(construct).get_logical_id(resource)

"""Optional CDK Pipelines stack: deploys the configured environments' Stages across accounts."""

from __future__ import annotations

import json
from collections.abc import Sequence
from functools import cache
from pathlib import Path

import aws_cdk as cdk
from aws_cdk import aws_codebuild as codebuild
from aws_cdk import aws_kms as kms
from aws_cdk import aws_s3 as s3
from aws_cdk import pipelines
from constructs import Construct

from cdk_app.config import EnvironmentConfig
from cdk_app.config.pipeline import PipelineConfig, SourceConfig
from stacks.pipeline_acknowledgements import acknowledge_pipeline_internals
from stacks.stage import EnvironmentStage

# The synth step runs the same command as a developer and CI, so the pipeline can only deploy what
# `make synth` (with cdk-nag) accepts. The Makefile brings Node 24 and the pinned CDK CLI itself.
SYNTH_COMMANDS = ("make synth",)
PYTHON_RUNTIME = "3.11"


class PipelineStack(cdk.Stack):
    """A self-mutating CodePipeline in the tooling account that deploys ``environments`` in order.

    Guarantees: each environment is the same ``EnvironmentStage`` that ``make deploy`` would deploy
    (so the CloudFormation stack names are the same); a production-tier environment waits for a
    manual approval; artifacts are encrypted with a rotating customer-managed key that the target
    accounts may use (``cross_account_keys``), the artifact bucket refuses non-TLS requests and logs
    access; CodeBuild runs unprivileged with encrypted output.
    """

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        config: PipelineConfig,
        environments: Sequence[EnvironmentConfig],
    ) -> None:
        if not config.enabled or config.source is None:
            raise ValueError("PipelineStack needs an enabled pipeline config with a source")
        names = ", ".join(e.name for e in environments)
        super().__init__(
            scope,
            construct_id,
            env=cdk.Environment(account=config.account, region=config.region),
            termination_protection=True,
            description=f"cognito-sso: CDK pipeline {config.name} deploying {names}",
        )
        artifacts = self._artifact_bucket(config)
        self.pipeline = self._code_pipeline(config, config.source, artifacts)
        self.stages: dict[str, EnvironmentStage] = {}
        for env in environments:
            self.stages[env.name] = self._add_stage(env)
        # Build now, so that the generated roles, projects and support stacks exist to acknowledge.
        self.pipeline.build_pipeline()
        acknowledge_pipeline_internals(self.pipeline, artifacts)

    def _artifact_bucket(self, config: PipelineConfig) -> s3.Bucket:
        """The artifact bucket: KMS with a rotating key the target accounts may use, TLS-only, access
        logged into ``access_logs``; bucket, key and logs are retained."""
        key = kms.Key(
            self,
            "ArtifactKey",
            enable_key_rotation=True,
            description=f"Encrypts the {config.name} pipeline's artifacts; target accounts may decrypt",
            removal_policy=cdk.RemovalPolicy.RETAIN,
        )
        self.access_logs = s3.Bucket(
            self,
            "AccessLogs",
            encryption=s3.BucketEncryption.S3_MANAGED,
            block_public_access=s3.BlockPublicAccess.BLOCK_ALL,
            enforce_ssl=True,
            object_ownership=s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
            lifecycle_rules=[s3.LifecycleRule(expiration=cdk.Duration.days(365))],
            removal_policy=cdk.RemovalPolicy.RETAIN,
        )
        return s3.Bucket(
            self,
            "Artifacts",
            encryption=s3.BucketEncryption.KMS,
            encryption_key=key,
            bucket_key_enabled=True,
            block_public_access=s3.BlockPublicAccess.BLOCK_ALL,
            enforce_ssl=True,
            server_access_logs_bucket=self.access_logs,
            server_access_logs_prefix="artifacts/",
            lifecycle_rules=[s3.LifecycleRule(expiration=cdk.Duration.days(90))],
            removal_policy=cdk.RemovalPolicy.RETAIN,
        )

    def _code_pipeline(
        self, config: PipelineConfig, source: SourceConfig, artifacts: s3.Bucket
    ) -> pipelines.CodePipeline:
        """The self-mutating pipeline: ``make synth`` on ``source``, on unprivileged CodeBuild."""
        build_environment = codebuild.BuildEnvironment(
            build_image=codebuild.LinuxBuildImage.STANDARD_7_0,
            compute_type=codebuild.ComputeType.SMALL,
            privileged=False,
        )
        return pipelines.CodePipeline(
            self,
            "CodePipeline",
            pipeline_name=config.name,
            cross_account_keys=True,
            enable_key_rotation=True,
            artifact_bucket=artifacts,
            cli_version=cdk_cli_version(),
            publish_assets_in_parallel=False,
            code_build_defaults=pipelines.CodeBuildOptions(build_environment=build_environment),
            synth=pipelines.ShellStep(
                "Synth",
                input=pipelines.CodePipelineSource.connection(
                    source.repository,
                    source.branch,
                    connection_arn=source.connection_arn,
                    trigger_on_push=source.trigger_on_push,
                ),
                commands=list(SYNTH_COMMANDS),
                primary_output_directory="cdk.out",
            ),
            synth_code_build_defaults=pipelines.CodeBuildOptions(
                partial_build_spec=codebuild.BuildSpec.from_object(
                    {"phases": {"install": {"runtime-versions": {"python": PYTHON_RUNTIME}}}}
                )
            ),
        )

    def _add_stage(self, env: EnvironmentConfig) -> EnvironmentStage:
        """``env``'s Stage, after a manual approval when its tier is production."""
        stage = EnvironmentStage(self, env)
        pre: list[pipelines.Step] = []
        if env.tier == "production":
            pre.append(
                pipelines.ManualApprovalStep(
                    f"Approve-{env.name}",
                    comment=f"Promote to {env.name} (tier production): review the change set first.",
                )
            )
        self.pipeline.add_stage(stage, pre=pre)
        return stage


@cache
def cdk_cli_version() -> str:
    """The CDK CLI version pinned in package.json, so self-mutation uses the same CLI as ``make``."""
    package_json = Path(__file__).resolve().parents[1] / "package.json"
    version: str = json.loads(package_json.read_text(encoding="utf-8"))["devDependencies"]["aws-cdk"]
    return version

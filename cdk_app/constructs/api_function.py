"""The Lambda function behind the protected API: code from ``functions/api``, Powertools from a layer."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import aws_cdk as cdk
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_logs as logs
from constructs import Construct

from cdk_app.config.api import FunctionConfig, PowertoolsLayerConfig
from cdk_app.constructs import nag
from cdk_app.constructs.function_role import logs_and_traces_role
from cdk_app.constructs.log_retention import retention

CODE_DIR = Path(__file__).resolve().parents[2] / "functions" / "api"
# The request bodies' JSON Schemas, shipped with the function (which validates with them) and read at
# synth for API Gateway's request models.
SCHEMA_DIR = CODE_DIR / "schemas"
HANDLER = "handler.handler"
# The newest Python runtime this aws-cdk-lib knows; cdk-nag's AwsSolutions-L1 / Serverless-LambdaLatestVersion
# fail the synth when a newer one appears, which is the reminder to move (and to move the layer with it).
RUNTIME = lambda_.Runtime.PYTHON_3_14
ARCHITECTURE = lambda_.Architecture.ARM_64
# Powertools for AWS Lambda (Python), the version pinned in requirements-dev.txt (the tests run against it).
POWERTOOLS_VERSION = "3.37.0"
# AWS publishes, per region, the ARN of the layer holding exactly this release as a public SSM parameter
# (built with every extra: aws-xray-sdk for the Tracer, fastjsonschema for validation). It is the default
# of api.function.powertools_layer; an environment without AWS's public parameters (the local emulator)
# names a parameter of its own. A CloudFormation dynamic reference resolves it at deploy time: no lookup
# at synth, no credentials, no cdk.context.json, and no layer version number copied by hand (that number
# differs per release and the published release-to-number table is not kept up to date).
POWERTOOLS_LAYER_PARAMETER = (
    f"/aws/service/powertools/python/{ARCHITECTURE.name}/{RUNTIME.name}/{POWERTOOLS_VERSION}"
)
LOG_LEVEL = "INFO"


def powertools_layer_arn(config: PowertoolsLayerConfig | None) -> str:
    """The layer version ARN as the template holds it: the ARN itself, or a dynamic SSM reference."""
    if config is not None and config.arn is not None:
        return config.arn
    parameter = config.ssm_parameter if config is not None else None
    return f"{{{{resolve:ssm:{parameter or POWERTOOLS_LAYER_PARAMETER}}}}}"


class ApiFunction(Construct):
    """One arm64 Python function with its own log group, active tracing and a least-privilege role.

    Powertools comes from ``config.powertools_layer`` (default: AWS's layer for the pinned release);
    ``config.reserved_concurrency``, when set, caps and reserves its concurrent executions.
    Exactly one of ``ADMIN_SCOPE`` (``admin_scope`` given: the token trigger grants it) and
    ``ADMIN_GROUP`` is set: the function refuses ``GET /admin`` to everyone without either.

    Guarantees: the role carries only an inline policy (no AWS-managed policies) that lets the function
    write to *its* log group and send X-Ray traces, nothing else; grants that constructs try to add to the
    role later are dropped, so the role's permissions are exactly what this file says. Exposes
    ``function``, ``log_group`` and ``role``.
    """

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        config: FunctionConfig,
        service_name: str,
        admin_group: str,
        cors_allow_origins: Sequence[str],
        admin_scope: str | None = None,
    ) -> None:
        super().__init__(scope, construct_id)
        self.log_group = logs.LogGroup(self, "LogGroup", retention=retention(config.log_retention_days))
        self.role = logs_and_traces_role(
            self,
            "Role",
            log_group=self.log_group,
            description="Execution role of the protected API function: its own logs and X-Ray only",
        )
        self.function = lambda_.Function(
            self,
            "Function",
            description=f"{service_name}: the protected API behind the Cognito authorizer",
            runtime=RUNTIME,
            architecture=ARCHITECTURE,
            handler=HANDLER,
            code=lambda_.Code.from_asset(str(CODE_DIR), exclude=["**/__pycache__", "*.pyc"]),
            memory_size=config.memory_mb,
            timeout=cdk.Duration.seconds(config.timeout_seconds),
            log_group=self.log_group,
            tracing=lambda_.Tracing.ACTIVE,
            layers=[
                lambda_.LayerVersion.from_layer_version_arn(
                    self, "Powertools", powertools_layer_arn(config.powertools_layer)
                )
            ],
            reserved_concurrent_executions=config.reserved_concurrency,
            # Function would otherwise add its own X-Ray statement in a second policy; the role's
            # SendTraces policy already grants it, and without_policy_updates keeps the role as written.
            role=self.role.without_policy_updates(),
            environment={
                "POWERTOOLS_SERVICE_NAME": service_name,
                "POWERTOOLS_LOG_LEVEL": LOG_LEVEL,
                # Exactly one: the function checks the scope when it has one, else the group.
                **({"ADMIN_SCOPE": admin_scope} if admin_scope else {"ADMIN_GROUP": admin_group}),
                "CORS_ALLOW_ORIGINS": ",".join(cors_allow_origins),
            },
        )
        cfn = self.function.node.default_child
        assert isinstance(cfn, lambda_.CfnFunction)
        nag.acknowledge(
            cfn,
            "Serverless-LambdaDLQ",
            "Only API Gateway invokes this function, synchronously (Lambda proxy integration); Lambda "
            "sends events to a dead-letter queue only for asynchronous invocations, so a DLQ would never "
            "receive anything. Failures reach the caller as a 5xx and are in the function's log group "
            "and X-Ray traces.",
        )

"""The one construct that builds a Lambda function here: Python on arm64, with Powertools from a layer.

Every function of this project is a ``PowertoolsFunction`` (``ApiFunction`` and ``PreTokenTrigger``
specialise it), so runtime, architecture, tracing, logging, role, layer and asset rules are decided
once, in this file. A function's runtime code lives in ``functions/<name>/``, with ``handler.py``
holding ``handler``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

import aws_cdk as cdk
from aws_cdk import aws_iam as iam
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_logs as logs
from constructs import Construct

from cdk_app.config.functions import PowertoolsLayerConfig
from cdk_app.constructs import nag
from cdk_app.constructs.function_role import logs_and_traces_role
from cdk_app.constructs.log_retention import retention
from cdk_app.contracts import PowertoolsVariables

# One folder per function; the folder is the asset, its modules are top-level in /var/task.
FUNCTIONS_DIR = Path(__file__).resolve().parents[2] / "functions"
HANDLER = "handler.handler"
# Bytecode a local run left behind is not code, and would change the asset's hash.
CODE_EXCLUDES = ("**/__pycache__", "*.pyc")
# The newest Python runtime this aws-cdk-lib knows; cdk-nag's AwsSolutions-L1 / Serverless-LambdaLatestVersion
# fail the synth when a newer one appears, which is the reminder to move (and to move the layer with it).
RUNTIME = lambda_.Runtime.PYTHON_3_14
ARCHITECTURE = lambda_.Architecture.ARM_64
# Powertools for AWS Lambda (Python), the version pinned in requirements-dev.txt (the tests run against it).
POWERTOOLS_VERSION = "3.37.0"
# AWS publishes, per region, the ARN of the layer holding exactly this release as a public SSM parameter
# (built with every extra: aws-xray-sdk for the Tracer, fastjsonschema for validation). It is the default
# of functions.powertools_layer; an environment without AWS's public parameters (the local emulator)
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


def code_dir(name: str) -> Path:
    """``functions/<name>``: the folder holding that function's runtime code (its asset)."""
    return FUNCTIONS_DIR / name


class PowertoolsFunction(Construct):
    """One arm64 Python function with its own log group, active tracing and a least-privilege role.

    Children, whose IDs are part of every function's logical IDs: ``LogGroup`` (``log_retention_days``),
    ``Role`` and ``Function``. The code is ``functions/<code>`` (``handler.handler``) without bytecode;
    Powertools comes from ``powertools_layer`` (default: AWS's layer for the pinned release), and its
    service name and log level are set before ``environment``.

    Guarantees: the role carries only an inline policy (no AWS-managed policies) that lets the function
    write to *its* log group and send X-Ray traces, nothing else; grants that constructs try to add to the
    role later are dropped, so the role's permissions are exactly what ``logs_and_traces_role`` says. The
    function is invoked synchronously only (``invoked_by`` says by whom), so its dead-letter-queue finding
    is acknowledged with that reason (a scheduled, asynchronous function gives ``dead_letter_reason``
    instead). ``calls`` are the AWS APIs its code calls (``logs_and_traces_role``). Exposes
    ``function``, ``log_group`` and ``role``.
    """

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        code: str,
        description: str,
        role_description: str,
        service_name: str,
        memory_mb: int,
        timeout_seconds: int,
        log_retention_days: int,
        powertools_layer: PowertoolsLayerConfig | None,
        environment: Mapping[str, str],
        invoked_by: str,
        failures: str,
        reserved_concurrency: int | None = None,
        calls: Sequence[iam.PolicyStatement] = (),
        dead_letter_reason: str | None = None,
    ) -> None:
        super().__init__(scope, construct_id)
        self.log_group = logs.LogGroup(self, "LogGroup", retention=retention(log_retention_days))
        self.role = logs_and_traces_role(
            self, "Role", log_group=self.log_group, description=role_description, calls=calls
        )
        self.function = lambda_.Function(
            self,
            "Function",
            description=description,
            runtime=RUNTIME,
            architecture=ARCHITECTURE,
            handler=HANDLER,
            code=lambda_.Code.from_asset(str(code_dir(code)), exclude=list(CODE_EXCLUDES)),
            memory_size=memory_mb,
            timeout=cdk.Duration.seconds(timeout_seconds),
            log_group=self.log_group,
            tracing=lambda_.Tracing.ACTIVE,
            layers=[
                lambda_.LayerVersion.from_layer_version_arn(
                    self, "Powertools", powertools_layer_arn(powertools_layer)
                )
            ],
            reserved_concurrent_executions=reserved_concurrency,
            # Function would otherwise add its own X-Ray statement in a second policy; the role's
            # SendTraces policy already grants it, and without_policy_updates keeps the role as written.
            role=self.role.without_policy_updates(),
            environment={
                PowertoolsVariables.SERVICE_NAME: service_name,
                PowertoolsVariables.LOG_LEVEL: LOG_LEVEL,
                **environment,
            },
        )
        cfn = self.function.node.default_child
        assert isinstance(cfn, lambda_.CfnFunction)
        nag.acknowledge(
            cfn,
            "Serverless-LambdaDLQ",
            dead_letter_reason
            or f"Only {invoked_by}; Lambda sends events to a dead-letter queue only for asynchronous "
            f"invocations, so a DLQ would never receive anything. {failures}",
        )

"""The user pool's pre token generation trigger: a Powertools function from ``functions/pre_token``."""

from __future__ import annotations

import json
from pathlib import Path

import aws_cdk as cdk
from aws_cdk import aws_cognito as cognito
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_logs as logs
from constructs import Construct

from cdk_app.config.api import PowertoolsLayerConfig
from cdk_app.config.sign_in import TokenCustomizationConfig
from cdk_app.constructs import nag
from cdk_app.constructs.api_function import ARCHITECTURE, LOG_LEVEL, RUNTIME, powertools_layer_arn
from cdk_app.constructs.function_role import logs_and_traces_role
from cdk_app.constructs.log_retention import retention

CODE_DIR = Path(__file__).resolve().parents[2] / "functions" / "pre_token"
HANDLER = "handler.handler"
_VERSIONS = {"V2_0": cognito.LambdaVersion.V2_0, "V3_0": cognito.LambdaVersion.V3_0}
# Cognito gives a trigger 5 seconds, then fails the sign-in; a longer timeout would never be used.
TIMEOUT_SECONDS = 5
MEMORY_MB = 256


class PreTokenTrigger(Construct):
    """The pool's ``PreTokenGenerationConfig`` trigger, ``V2_0`` or (with client-credentials claims)
    ``V3_0``, configured only through environment variables built from ``config``:

    - ``GROUP_SCOPES``: JSON, group name -> scopes its members' access tokens get (and others lose);
    - ``CLIENT_CREDENTIALS_CLAIMS``: JSON, claims added to every client-credentials access token.

    Guarantees: its own log group (configured retention) and its own role, which may only write that log
    group and send X-Ray traces (the function calls no AWS API); only this pool may invoke it (CDK's
    ``add_trigger`` adds the permission with the pool's ARN as source). Exposes ``function``.
    """

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        user_pool: cognito.UserPool,
        config: TokenCustomizationConfig,
        powertools_layer: PowertoolsLayerConfig | None,
        service_name: str,
    ) -> None:
        super().__init__(scope, construct_id)
        log_group = logs.LogGroup(self, "LogGroup", retention=retention(config.log_retention_days))
        role = logs_and_traces_role(
            self,
            "Role",
            log_group=log_group,
            description="Execution role of the pre token generation trigger: its own logs and X-Ray only",
        )
        self.function = lambda_.Function(
            self,
            "Function",
            description=f"{service_name}: adds group-earned scopes and configured claims to access tokens",
            runtime=RUNTIME,
            architecture=ARCHITECTURE,
            handler=HANDLER,
            code=lambda_.Code.from_asset(str(CODE_DIR), exclude=["**/__pycache__", "*.pyc"]),
            memory_size=MEMORY_MB,
            timeout=cdk.Duration.seconds(TIMEOUT_SECONDS),
            log_group=log_group,
            tracing=lambda_.Tracing.ACTIVE,
            layers=[
                lambda_.LayerVersion.from_layer_version_arn(
                    self, "Powertools", powertools_layer_arn(powertools_layer)
                )
            ],
            role=role.without_policy_updates(),
            environment={
                "POWERTOOLS_SERVICE_NAME": service_name,
                "POWERTOOLS_LOG_LEVEL": LOG_LEVEL,
                # Sorted, so the same config always gives the same template.
                "GROUP_SCOPES": json.dumps(
                    {g: sorted(s) for g, s in sorted(config.group_scopes.items())}, separators=(",", ":")
                ),
                "CLIENT_CREDENTIALS_CLAIMS": json.dumps(
                    dict(sorted(config.client_credentials_claims.items())), separators=(",", ":")
                ),
            },
        )
        user_pool.add_trigger(
            cognito.UserPoolOperation.PRE_TOKEN_GENERATION_CONFIG,
            self.function,
            _VERSIONS[config.lambda_version],
        )
        cfn = self.function.node.default_child
        assert isinstance(cfn, lambda_.CfnFunction)
        nag.acknowledge(
            cfn,
            "Serverless-LambdaDLQ",
            "Only Cognito invokes this function, synchronously, while it issues tokens; Lambda sends "
            "events to a dead-letter queue only for asynchronous invocations, so a DLQ would never "
            "receive anything. A failure fails that token request and is in the function's log group.",
        )

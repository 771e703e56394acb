"""The user pool's pre token generation trigger: a ``PowertoolsFunction`` from ``functions/pre_token``."""

from __future__ import annotations

import json

from aws_cdk import aws_cognito as cognito
from constructs import Construct

from cdk_app.config.functions import PowertoolsLayerConfig
from cdk_app.config.sign_in import TokenCustomizationConfig
from cdk_app.constructs.python_function import PowertoolsFunction, code_dir
from cdk_app.contracts import PreTokenVariables

CODE = "pre_token"
CODE_DIR = code_dir(CODE)
_VERSIONS = {"V2_0": cognito.LambdaVersion.V2_0, "V3_0": cognito.LambdaVersion.V3_0}
# Cognito gives a trigger 5 seconds, then fails the sign-in; a longer timeout would never be used.
TIMEOUT_SECONDS = 5
MEMORY_MB = 256


class PreTokenTrigger(PowertoolsFunction):
    """The pool's ``PreTokenGenerationConfig`` trigger, ``V2_0`` or (with client-credentials claims)
    ``V3_0``, configured only through environment variables built from ``config``:

    - ``GROUP_SCOPES``: JSON, group name -> scopes its members' access tokens get (and others lose);
    - ``CLIENT_CREDENTIALS_CLAIMS``: JSON, claims added to every client-credentials access token.

    Guarantees: only this pool may invoke it (CDK's ``add_trigger`` adds the permission with the
    pool's ARN as source); its log group keeps ``config.log_retention_days``, and its role may only
    write that log group and send X-Ray traces (the function calls no AWS API; ``PowertoolsFunction``).
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
        super().__init__(
            scope,
            construct_id,
            code=CODE,
            description=f"{service_name}: adds group-earned scopes and configured claims to access tokens",
            role_description=(
                "Execution role of the pre token generation trigger: its own logs and X-Ray only"
            ),
            service_name=service_name,
            memory_mb=MEMORY_MB,
            timeout_seconds=TIMEOUT_SECONDS,
            log_retention_days=config.log_retention_days,
            powertools_layer=powertools_layer,
            environment={
                # Sorted, so the same config always gives the same template.
                PreTokenVariables.GROUP_SCOPES: json.dumps(
                    {g: sorted(s) for g, s in sorted(config.group_scopes.items())}, separators=(",", ":")
                ),
                PreTokenVariables.CLIENT_CREDENTIALS_CLAIMS: json.dumps(
                    dict(sorted(config.client_credentials_claims.items())), separators=(",", ":")
                ),
            },
            invoked_by="Cognito invokes this function, synchronously, while it issues tokens",
            failures="A failure fails that token request and is in the function's log group.",
        )
        user_pool.add_trigger(
            cognito.UserPoolOperation.PRE_TOKEN_GENERATION_CONFIG,
            self.function,
            _VERSIONS[config.lambda_version],
        )

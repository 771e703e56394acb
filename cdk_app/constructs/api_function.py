"""The Lambda function behind the protected API: a ``PowertoolsFunction`` from ``functions/api``."""

from __future__ import annotations

from collections.abc import Sequence

from constructs import Construct

from cdk_app.config.api import FunctionConfig
from cdk_app.config.functions import PowertoolsLayerConfig
from cdk_app.constructs.python_function import PowertoolsFunction, code_dir
from cdk_app.contracts import ApiFunctionVariables

CODE = "api"
CODE_DIR = code_dir(CODE)
# The request bodies' JSON Schemas, shipped with the function (which validates with them) and read at
# synth for API Gateway's request models.
SCHEMA_DIR = CODE_DIR / "schemas"


class ApiFunction(PowertoolsFunction):
    """The API's function, sized by ``config`` (memory, timeout, log retention, reserved concurrency).

    ``config.reserved_concurrency``, when set, caps and reserves its concurrent executions. Exactly one
    of ``ADMIN_SCOPE`` (``admin_scope`` given: the token trigger grants it) and ``ADMIN_GROUP`` is set:
    the function refuses ``GET /admin`` to everyone without either. Everything else (runtime, role,
    layer, tracing) is ``PowertoolsFunction``'s.
    """

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        config: FunctionConfig,
        powertools_layer: PowertoolsLayerConfig | None,
        service_name: str,
        admin_group: str,
        cors_allow_origins: Sequence[str],
        admin_scope: str | None = None,
    ) -> None:
        variables = ApiFunctionVariables
        super().__init__(
            scope,
            construct_id,
            code=CODE,
            description=f"{service_name}: the protected API behind the Cognito authorizer",
            role_description="Execution role of the protected API function: its own logs and X-Ray only",
            service_name=service_name,
            memory_mb=config.memory_mb,
            timeout_seconds=config.timeout_seconds,
            log_retention_days=config.log_retention_days,
            powertools_layer=powertools_layer,
            reserved_concurrency=config.reserved_concurrency,
            environment={
                # Exactly one: the function checks the scope when it has one, else the group.
                **(
                    {variables.ADMIN_SCOPE: admin_scope}
                    if admin_scope
                    else {variables.ADMIN_GROUP: admin_group}
                ),
                variables.CORS_ALLOW_ORIGINS: ",".join(cors_allow_origins),
            },
            invoked_by=("API Gateway invokes this function, synchronously (Lambda proxy integration)"),
            failures=(
                "Failures reach the caller as a 5xx and are in the function's log group and X-Ray traces."
            ),
        )

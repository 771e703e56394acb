"""The optional CDK Pipelines set-up, read from ``config/pipeline/pipeline.yaml``.

Off unless that file says ``enabled: true``. It lives in a subfolder because every top-level
``config/*.yaml`` is an environment.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Annotated, Self

from pydantic import Field, StringConstraints, model_validator

from cdk_app.config.base import AccountId, AwsRegion, EnvironmentName, Frozen

# Relative to the config directory; shown in messages about a model built in code (no file read).
PIPELINE_FILE = Path("pipeline") / "pipeline.yaml"
SHOWN_PIPELINE_FILE = "config/pipeline/pipeline.yaml"

ConnectionArn = Annotated[
    str,
    StringConstraints(
        pattern=r"^arn:aws[a-z-]*:(codestar-connections|codeconnections):[a-z0-9-]+:\d{12}:connection/[0-9a-f-]{36}$"
    ),
]


class SourceConfig(Frozen):
    """Where the pipeline pulls the code from: a GitHub repository through a CodeConnections link."""

    connection_arn: ConnectionArn = Field(
        description="ARN of a CodeConnections (CodeStar) connection, authorised once in the console."
    )
    repository: Annotated[
        str, StringConstraints(pattern=r"^[A-Za-z0-9][A-Za-z0-9-]{0,38}/[A-Za-z0-9._-]{1,100}$")
    ]
    branch: Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9._/-]{1,255}$")] = "main"
    trigger_on_push: bool = True


class PipelineConfig(Frozen):
    """The pipeline's home (account and region), its source, and the environments it deploys, in order.

    When ``enabled`` is true, ``account``, ``region``, ``source`` and at least one environment are
    required; environment names must not repeat. Whether each named environment exists, has an
    account and region, and comes in tier order is a rule across files (``cdk_app.config.rules.pipeline``).
    """

    enabled: bool = False
    name: Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9][A-Za-z0-9_-]{0,99}$")] = "cognito-sso"
    account: AccountId | None = None
    region: AwsRegion | None = None
    source: SourceConfig | None = None
    environments: tuple[EnvironmentName, ...] = ()

    @model_validator(mode="after")
    def _complete_when_enabled(self) -> Self:
        if not self.enabled:
            return self
        for key in ("account", "region", "source"):
            if getattr(self, key) is None:
                raise ValueError(f"{key}: required when the pipeline is enabled")
        if not self.environments:
            raise ValueError("environments: list at least one environment to deploy")
        repeated = sorted(n for n, times in Counter(self.environments).items() if times > 1)
        if repeated:
            raise ValueError(f"environments: each environment is deployed once; repeated: {repeated}")
        return self

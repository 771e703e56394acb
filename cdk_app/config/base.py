"""Shared building blocks for the configuration models."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints


class Frozen(BaseModel):
    """Base for every config model: immutable, and unknown keys are errors rather than ignored."""

    # python-re: Unicode classes such as \w{1,256} compile to huge automata in the Rust engine.
    model_config = ConfigDict(
        extra="forbid", frozen=True, str_strip_whitespace=True, regex_engine="python-re"
    )


class SecretRef(Frozen):
    """A pointer to a secret in AWS Secrets Manager. The value itself never enters config or code.

    At synth time this becomes a CloudFormation dynamic reference
    (``{{resolve:secretsmanager:...}}``) that only CloudFormation resolves, at deploy time.
    """

    secret_name: Annotated[
        str,
        StringConstraints(min_length=1, max_length=2048, pattern=r"^[A-Za-z0-9/_+=.@:-]+$"),
    ] = Field(description="Secret name or full ARN in Secrets Manager.")
    json_key: Annotated[str, StringConstraints(min_length=1, max_length=256)] | None = Field(
        default=None, description="Key inside a JSON secret; omit for a plain-text secret."
    )


# CloudWatch Logs only accepts these retention periods (days).
LogRetentionDays = Literal[
    1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922,
    3288, 3653,
]  # fmt: skip

Tier = Literal["development", "staging", "production"]

# One pattern each for the identifiers several config files name (environments, the pipeline, SES).
AccountId = Annotated[str, StringConstraints(pattern=r"^\d{12}$")]
AwsRegion = Annotated[str, StringConstraints(pattern=r"^[a-z]{2}(-gov)?-[a-z]+-\d$")]
# An environment's name is its file name (config/<name>.yaml) and the prefix of its stack names.
EnvironmentName = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9-]{0,20}$")]

"""Shared building blocks for the configuration models."""

from __future__ import annotations

import re
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints, model_validator

from cdk_app.config.regions import region_reason

# Key names that would carry a credential: their value must be a Secrets Manager reference, never
# text, since a plaintext secret in git is a leaked secret. ``SecretRef`` refuses text; an unknown key
# of such a name gets this reason too (``messages``), and so does a free-form key (``NOT_A_SECRET_NAME``).
_SECRET_NAME = re.compile(r"(^|_)(secret|password|passwd|passphrase|private_key|api_key|access_key)$", re.I)
# The reason a plain value is refused (S105 takes it for a hard-coded password).
SECRET_REASON = (
    "looks like a plaintext secret; store it in Secrets Manager and give "  # noqa: S105
    "{secret_name: <name or ARN>, json_key: <key>} instead"
)


def names_a_secret(key: str) -> bool:
    """Whether a key of this name would carry a credential (``client_secret``, ``db_password``)."""
    return _SECRET_NAME.search(key) is not None


class Frozen(BaseModel):
    """Base for every config model: immutable, and unknown keys are errors rather than ignored."""

    # python-re: Unicode classes such as \w{1,256} compile to huge automata in the Rust engine.
    model_config = ConfigDict(
        extra="forbid", frozen=True, str_strip_whitespace=True, regex_engine="python-re"
    )


class SecretRef(Frozen):
    """A pointer to a secret in AWS Secrets Manager. The value itself never enters config or code.

    At synth time this becomes a CloudFormation dynamic reference
    (``{{resolve:secretsmanager:...}}``) that only CloudFormation resolves, at deploy time. Given a
    plain value instead, it refuses it without repeating it.
    """

    secret_name: Annotated[
        str,
        StringConstraints(min_length=1, max_length=2048, pattern=r"^[A-Za-z0-9/_+=.@:-]+$"),
    ] = Field(description="Secret name or full ARN in Secrets Manager.")
    json_key: Annotated[str, StringConstraints(min_length=1, max_length=256)] | None = Field(
        default=None, description="Key inside a JSON secret; omit for a plain-text secret."
    )

    @model_validator(mode="before")
    @classmethod
    def _not_the_secret_itself(cls, data: Any) -> Any:
        if isinstance(data, str | int | float):
            raise ValueError(SECRET_REASON)
        return data


def _not_a_secret_name(key: str) -> str:
    if names_a_secret(key):
        raise ValueError(SECRET_REASON)
    return key


def _an_aws_region(region: str) -> str:
    reason = region_reason(region)
    if reason is not None:
        raise ValueError(reason)
    return region


# For the keys of a free-form map whose values reach templates or tokens (tags, claims): a key named
# like a credential is refused, as a model field of that name would be (after the key's own pattern).
NOT_A_SECRET_NAME = AfterValidator(_not_a_secret_name)

# CloudWatch Logs only accepts these retention periods (days).
LogRetentionDays = Literal[
    1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922,
    3288, 3653,
]  # fmt: skip

Tier = Literal["development", "staging", "production"]

# One pattern each for the identifiers several config files name (environments, the pipeline, SES).
AccountId = Annotated[str, StringConstraints(pattern=r"^\d{12}$")]
# The shape first, then botocore's list of regions (``regions``), with the closest ones if it is not one.
AwsRegion = Annotated[
    str, StringConstraints(pattern=r"^[a-z]{2}(-gov)?-[a-z]+-\d$"), AfterValidator(_an_aws_region)
]
# An environment's name is its file name (config/<name>.yaml) and the prefix of its stack names.
EnvironmentName = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9-]{0,20}$")]

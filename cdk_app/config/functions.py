"""Models for what every Lambda function of an environment shares (the ``functions`` key)."""

from __future__ import annotations

import re
from typing import Self

from pydantic import Field, field_validator, model_validator

from cdk_app.config.base import Frozen

# SSM's limits on a parameter name: letters, digits, "_", ".", "-"; levels separated by "/", at most 15;
# at most 1011 characters. (Names under /aws/ are AWS's public parameters, readable by every account.)
_SSM_PARAMETER_NAME = re.compile(r"/?[A-Za-z0-9_.-]+(/[A-Za-z0-9_.-]+){0,14}")
_LAYER_VERSION_ARN = re.compile(
    r"arn:aws[a-z-]*:lambda:[a-z]{2}(-[a-z]+)+-\d:\d{12}:layer:[A-Za-z0-9_-]{1,140}:\d+"
)


class PowertoolsLayerConfig(Frozen):
    """Where the functions' Powertools layer comes from: exactly one of ``ssm_parameter`` or ``arn``."""

    ssm_parameter: str | None = Field(
        default=None,
        description="SSM parameter holding the layer version ARN; CloudFormation resolves it at deploy time.",
    )
    arn: str | None = Field(default=None, description="The layer version ARN itself.")

    @field_validator("ssm_parameter")
    @classmethod
    def _parameter_name(cls, name: str | None) -> str | None:
        if name is not None and (len(name) > 1011 or not _SSM_PARAMETER_NAME.fullmatch(name)):
            raise ValueError(
                f"{name!r} is not an SSM parameter name: letters, digits, '_', '.' and '-', in at most 15 "
                "levels separated by '/', at most 1011 characters"
            )
        return name

    @field_validator("arn")
    @classmethod
    def _layer_arn(cls, arn: str | None) -> str | None:
        if arn is not None and not _LAYER_VERSION_ARN.fullmatch(arn):
            raise ValueError(
                f"{arn!r} is not a Lambda layer version ARN "
                "(arn:aws:lambda:<region>:<account>:layer:<name>:<version>)"
            )
        return arn

    @model_validator(mode="after")
    def _exactly_one(self) -> Self:
        if (self.ssm_parameter is None) == (self.arn is None):
            raise ValueError("give exactly one of ssm_parameter or arn")
        return self


class FunctionsConfig(Frozen):
    """Shared by the API function and the token trigger; each function's own sizing stays with it
    (``api.function``, ``token_customization``)."""

    powertools_layer: PowertoolsLayerConfig | None = Field(
        default=None,
        description="Where every function's Powertools layer comes from. Default: AWS's public SSM "
        "parameter for the pinned release, /aws/service/powertools/python/arm64/{runtime}/{version}.",
    )

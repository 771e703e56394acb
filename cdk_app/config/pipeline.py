"""The optional CDK Pipelines set-up, read from ``config/pipeline/pipeline.yaml``.

Off unless that file says ``enabled: true``. It lives in a subfolder because every top-level
``config/*.yaml`` is an environment.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Annotated, Self

from pydantic import Field, StringConstraints, ValidationError, model_validator

from cdk_app.config.base import AccountId, AwsRegion, EnvironmentName, Frozen
from cdk_app.config.environment import EnvironmentConfig
from cdk_app.config.errors import ConfigError
from cdk_app.config.loader import CONFIG_DIR, _display, _first_error, available_environments, load_environment
from cdk_app.config.yaml_io import YamlFileError, read_yaml_file

# Relative to the config directory; shown in messages about a model built in code (no file read).
PIPELINE_FILE = Path("pipeline") / "pipeline.yaml"
SHOWN_PIPELINE_FILE = "config/pipeline/pipeline.yaml"

# Lower tiers first: a change reaches production only after it has been deployed to the tiers below.
TIER_ORDER = {"development": 0, "staging": 1, "production": 2}

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
    required; environment names must not repeat. Whether each named environment exists and has an
    account and region is checked against the loaded environments by ``pipeline_environments``.
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
        repeated = sorted({n for n in self.environments if self.environments.count(n) > 1})
        if repeated:
            raise ValueError(f"environments: each environment is deployed once; repeated: {repeated}")
        return self


def pipeline_environments(
    pipeline: PipelineConfig,
    environments: Mapping[str, EnvironmentConfig],
    source: str = SHOWN_PIPELINE_FILE,
) -> tuple[EnvironmentConfig, ...]:
    """The environments the pipeline deploys, in its order, each with an account and a region.

    Raises ``ConfigError`` naming ``source`` and ``environments[i]`` if a name is not a known
    environment, lacks account or region (a cross-account deploy needs both), or comes after an
    environment of a higher tier. A disabled pipeline deploys nothing.
    """
    if not pipeline.enabled:
        return ()
    chosen: list[EnvironmentConfig] = []
    for i, name in enumerate(pipeline.environments):
        where = f"environments[{i}]"
        env = environments.get(name)
        if env is None:
            raise _unknown_environment(name, i, environments, source)
        if env.account is None or env.region is None:
            raise ConfigError(
                source,
                where,
                f"{name!r} has no account and region in config/{name}.yaml; the pipeline deploys "
                "across accounts, so set both there",
            )
        if chosen and TIER_ORDER[env.tier] < TIER_ORDER[chosen[-1].tier]:
            raise ConfigError(
                source,
                where,
                f"{name!r} (tier {env.tier}) comes after {chosen[-1].name!r} (tier {chosen[-1].tier}); "
                "list lower tiers first so a change reaches production last",
            )
        chosen.append(env)
    return tuple(chosen)


def load_pipeline(config_dir: Path = CONFIG_DIR) -> PipelineConfig:
    """Parse ``<config_dir>/pipeline/pipeline.yaml``; no file means no pipeline. Raises only ``ConfigError``.

    An enabled pipeline is also checked against its environments' files, so a bad name or a missing
    account stops synth with the pipeline file and field in the message.
    """
    path = config_dir / PIPELINE_FILE
    if not path.is_file():
        return PipelineConfig()
    shown = _display(path)
    try:
        raw = read_yaml_file(path)
    except YamlFileError as exc:
        raise ConfigError(shown, None, str(exc)) from None
    if not isinstance(raw, dict):
        raise ConfigError(shown, None, "the top level must be a mapping with at least 'enabled'")
    try:
        pipeline = PipelineConfig.model_validate(raw)
    except ValidationError as exc:
        raise _first_error(exc, shown) from None
    known = available_environments(config_dir)
    for i, name in enumerate(pipeline.environments):
        if name not in known:
            raise _unknown_environment(name, i, known, shown)
    named = {n: load_environment(n, config_dir) for n in pipeline.environments}
    pipeline_environments(pipeline, named, shown)
    return pipeline


def _unknown_environment(name: str, index: int, known: Iterable[str], source: str) -> ConfigError:
    listed = ", ".join(sorted(known)) or "none"
    return ConfigError(
        source, f"environments[{index}]", f"{name!r} is not an environment; environments: {listed}"
    )

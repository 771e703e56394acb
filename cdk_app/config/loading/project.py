"""Everything one run needs, read once: the environments and the pipeline, checked against each other.

``load_project`` is the entry point for the app's main (and any tool that needs more than one
file): it reads each file once, through one reader, runs every rule (``cdk_app.config.rules``) and
reports every problem in every file at once. Nothing after it re-reads a file or re-runs a check.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from cdk_app.config.environment import EnvironmentConfig
from cdk_app.config.files import CONFIG_DIR, available_environments
from cdk_app.config.loading.loader import Reading
from cdk_app.config.pipeline import PIPELINE_FILE, PipelineConfig


@dataclass(frozen=True)
class Project:
    """Validated environments and pipeline, as ``load_project`` returns them.

    ``pipeline_environments`` are the environments an enabled pipeline deploys, in its order; each
    exists, has an account and a region, and no tier comes after a higher one.
    """

    environments: tuple[EnvironmentConfig, ...]
    pipeline: PipelineConfig
    pipeline_environments: tuple[EnvironmentConfig, ...]

    @classmethod
    def _checked(
        cls,
        configs: tuple[EnvironmentConfig, ...],
        pipeline: PipelineConfig,
        by: Mapping[str, EnvironmentConfig],
    ) -> Project:
        piped = tuple(by[name] for name in pipeline.environments) if pipeline.enabled else ()
        return cls(configs, pipeline, piped)

    @property
    def standalone(self) -> tuple[EnvironmentConfig, ...]:
        """The environments deployed on their own (``make deploy``), not by the pipeline."""
        piped = {e.name for e in self.pipeline_environments}
        return tuple(e for e in self.environments if e.name not in piped)


def load_project(config_dir: Path = CONFIG_DIR, names: Sequence[str] | None = None) -> Project:
    """Read the pipeline file and the environments a run needs, each once, and check them together.

    ``names`` are the environments asked for (``None``: every ``config/*.yaml``); an enabled
    pipeline's environments are always added, since its stack needs them all. Raises one
    ``ConfigError`` listing every problem in every file (up to the cap), and nothing else.
    """
    known = available_environments(config_dir)
    reading = Reading(config_dir, known)
    pipeline: PipelineConfig | None = PipelineConfig()
    if (config_dir / PIPELINE_FILE).is_file():
        pipeline = reading.pipeline = reading.read(config_dir / PIPELINE_FILE, PipelineConfig)
    wanted = list(dict.fromkeys(known if names is None else names))
    if pipeline is not None and pipeline.enabled:
        wanted += [n for n in pipeline.environments if n in known and n not in wanted]
    reading.environments(wanted)
    reading.check()
    assert pipeline is not None  # a pipeline file that failed is a problem above
    return Project._checked(tuple(reading.configs.values()), pipeline, reading.configs)


def load_pipeline(config_dir: Path = CONFIG_DIR) -> PipelineConfig:
    """The pipeline file, checked against the environments it deploys; no file means no pipeline.

    A thin wrapper for callers that need only the pipeline: ``load_project(config_dir, names=()).pipeline``.
    Raises ``ConfigError`` only.
    """
    return load_project(config_dir, names=()).pipeline

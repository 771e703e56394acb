"""Everything one run needs, read once: the environments and the pipeline, checked against each other.

``load_project`` is the entry point for the app's main (and any tool that needs more than one
file): it reads each file once, through one reader, and reports every problem in every file at
once. Nothing after it re-reads a file or re-runs a check.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from cdk_app.config import yaml_io
from cdk_app.config.environment import EnvironmentConfig
from cdk_app.config.errors import ConfigError, Loc, Problem, shown_path
from cdk_app.config.loader import (
    CONFIG_DIR,
    available_environments,
    environment_choices,
    read_environments,
    unknown_environment,
    validate_document,
)
from cdk_app.config.pipeline import PIPELINE_FILE, TIER_ORDER, PipelineConfig

Locate = Callable[[Loc, str], Problem]


@dataclass(frozen=True)
class Project:
    """Validated environments and pipeline, as ``load_project`` returns them.

    ``pipeline_environments`` are the environments an enabled pipeline deploys, in its order; each
    exists, has an account and a region, and no tier comes after a higher one.
    """

    environments: tuple[EnvironmentConfig, ...]
    pipeline: PipelineConfig
    pipeline_environments: tuple[EnvironmentConfig, ...]

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
    problems: list[Problem] = []
    more = 0
    pipeline: PipelineConfig | None = PipelineConfig()
    pipeline_doc: yaml_io.YamlDocument | None = None
    if (config_dir / PIPELINE_FILE).is_file():
        try:
            pipeline_doc = yaml_io.read_yaml_file(config_dir / PIPELINE_FILE)
            pipeline = validate_document(pipeline_doc, PipelineConfig)
        except ConfigError as exc:
            problems += exc.problems
            more += exc.more
            pipeline = None
    wanted = list(dict.fromkeys(known if names is None else names))
    for name in wanted:
        if name not in known:
            problems.append(
                Problem(shown_path(config_dir) + "/", None, None, unknown_environment(name, known))
            )
    wanted = [n for n in wanted if n in known]
    if pipeline is not None and pipeline.enabled:
        wanted += [n for n in pipeline.environments if n in known and n not in wanted]
    configs, found, skipped = read_environments(wanted, config_dir)
    problems += found
    more += skipped
    piped: tuple[EnvironmentConfig, ...] = ()
    if pipeline is not None and pipeline_doc is not None:
        by_name = {c.name: c for c in configs}
        # A pipeline environment whose own file failed is reported already; the others are checked.
        failed = set(wanted) - set(by_name)
        piped, cross = _check_pipeline(pipeline, by_name, known, pipeline_doc.problem, skip=failed)
        problems += cross
    if problems:
        raise ConfigError.of(problems, more=more)
    assert pipeline is not None  # a pipeline file that failed is a problem above
    return Project(tuple(configs), pipeline, piped)


def _check_pipeline(
    pipeline: PipelineConfig,
    environments: Mapping[str, EnvironmentConfig],
    known: list[str],
    locate: Locate,
    skip: Collection[str] = (),
) -> tuple[tuple[EnvironmentConfig, ...], list[Problem]]:
    """The pipeline's environments in order, and a problem for each one it cannot deploy."""
    if not pipeline.enabled:
        return (), []
    chosen: list[EnvironmentConfig] = []
    problems: list[Problem] = []
    for i, name in enumerate(pipeline.environments):
        loc: Loc = ("environments", i)
        if name in skip:
            continue
        env = environments.get(name)
        if env is None:
            problems.append(
                locate(loc, f"{name!r} is not an environment; {environment_choices(name, known)}")
            )
            continue
        if env.account is None or env.region is None:
            problems.append(
                locate(
                    loc,
                    f"{name!r} has no account and region in config/{name}.yaml; the pipeline deploys "
                    "across accounts, so set both there",
                )
            )
        if chosen and TIER_ORDER[env.tier] < TIER_ORDER[chosen[-1].tier]:
            problems.append(
                locate(
                    loc,
                    f"{name!r} (tier {env.tier}) comes after {chosen[-1].name!r} (tier {chosen[-1].tier}); "
                    "list lower tiers first so a change reaches production last",
                )
            )
        chosen.append(env)
    return tuple(chosen), problems

"""The pipeline file against the environments it deploys: rules across files."""

from __future__ import annotations

from collections.abc import Iterator

from cdk_app.config.environment import EnvironmentConfig
from cdk_app.config.files import environment_choices
from cdk_app.config.rules.subject import PIPELINE, Loaded, Violation, environment_file

# Lower tiers first: a change reaches production only after it has been deployed to the tiers below.
TIER_ORDER = {"development": 0, "staging": 1, "production": 2}


def _deployed(loaded: Loaded) -> Iterator[tuple[int, str, EnvironmentConfig | None]]:
    """Each environment an enabled pipeline deploys, with its position, unless its own file failed."""
    if loaded.pipeline is None or not loaded.pipeline.enabled:
        return
    for i, name in enumerate(loaded.pipeline.environments):
        if name not in loaded.failed:
            yield i, name, loaded.environments.get(name)


def pipeline_environments_exist(loaded: Loaded) -> Iterator[Violation]:
    """The pipeline deploys environments that have a file."""
    for i, name, env in _deployed(loaded):
        if env is None:
            reason = f"{name!r} is not an environment; {environment_choices(name, list(loaded.known))}"
            yield Violation(("environments", i), reason, PIPELINE)


def pipeline_environments_have_account_and_region(loaded: Loaded) -> Iterator[Violation]:
    """The pipeline deploys across accounts, so each of its environments names its account and region."""
    for i, name, env in _deployed(loaded):
        if env is not None and (env.account is None or env.region is None):
            yield Violation(
                ("environments", i),
                f"{name!r} has no account and region in {loaded.sources.shown(environment_file(name))}; the "
                "pipeline deploys across accounts, so set both there",
                PIPELINE,
            )


def pipeline_deploys_lower_tiers_first(loaded: Loaded) -> Iterator[Violation]:
    """No environment comes after one of a higher tier, so a change reaches production last."""
    previous: EnvironmentConfig | None = None
    for i, name, env in _deployed(loaded):
        if env is None:
            continue
        if previous is not None and TIER_ORDER[env.tier] < TIER_ORDER[previous.tier]:
            yield Violation(
                ("environments", i),
                f"{name!r} (tier {env.tier}) comes after {previous.name!r} (tier {previous.tier}); list "
                "lower tiers first so a change reaches production last",
                PIPELINE,
            )
        previous = env

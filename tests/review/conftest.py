"""Review fixtures. dev is synthesized once per session as the base every change is compared with;
the one end-to-end run of the command (a code change in a fresh repository) starts when the first
review test does, so it overlaps the in-process synths instead of queueing behind them."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from cdk_app.config import EnvironmentConfig
from cdk_app.config.loading import load_environment
from tests.fixtures import FIXTURE_CONFIG_DIR
from tests.review.builds import finish, make_git_repo, replace_in, start_make_review
from tests.review.changes import Assemblies

Started = tuple[subprocess.Popen[str], Path]


@pytest.fixture(scope="session")
def pool_renamed_repo_run(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Started]:
    """`make review BASE=HEAD ENV=dev FORMAT=markdown` in a fresh repository whose working tree
    renames the pool.

    The user pool construct ID becomes "Pool" instead of "UserPool": a real code change, reviewed
    end to end by the command users run (base synthesized in a git worktree, both synths in
    subprocesses, the module run by the make recipe).
    """
    repo = make_git_repo(tmp_path_factory.mktemp("renamed") / "repo")
    replace_in(
        repo / "stacks" / "identity_stack.py", 'SsoUserPool(self, "UserPool",', 'SsoUserPool(self, "Pool",'
    )
    process = start_make_review(repo, "BASE=HEAD", "ENV=dev", "FORMAT=markdown")
    yield process, repo
    process.kill()


@pytest.fixture(scope="session", autouse=True)
def _start_slow_run_early(pool_renamed_repo_run: Started) -> None:
    """Requesting the command's run starts it at the beginning of the review tests, so its two
    synth subprocesses overlap the in-process synths instead of queueing behind them."""


@pytest.fixture(scope="session")
def pool_renamed_review(pool_renamed_repo_run: Started) -> subprocess.CompletedProcess[str]:
    return finish(pool_renamed_repo_run[0])


@pytest.fixture(scope="session")
def pool_renamed_repo(pool_renamed_repo_run: Started, pool_renamed_review: object) -> Path:
    """The repository of that run, once the run has finished (other commands may use it then)."""
    return pool_renamed_repo_run[1]


@pytest.fixture(scope="session")
def dev() -> EnvironmentConfig:
    return load_environment("dev", FIXTURE_CONFIG_DIR)


@pytest.fixture(scope="session")
def assemblies(dev: EnvironmentConfig, tmp_path_factory: pytest.TempPathFactory) -> Assemblies:
    """Every change of the catalogue (tests/review/changes.py), synthesized on first use."""
    return Assemblies(dev, tmp_path_factory.mktemp("changes"))


@pytest.fixture(scope="session")
def base_dev(assemblies: Assemblies) -> Path:
    """The unchanged dev environment's cloud assembly."""
    return assemblies.base("dev")


@pytest.fixture(scope="session")
def new_prefix_dev(assemblies: Assemblies) -> Path:
    """dev with another hosted-domain prefix: a replacement several tests look at."""
    return assemblies.head("domain prefix")

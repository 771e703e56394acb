"""Review fixtures. dev is synthesized once per session as the base every change is compared with;
the slow subprocess runs (a code change in a project copy, the end-to-end CLI) start when the
first review test does, so they overlap the in-process synths instead of queueing behind them."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from cdk_app.config import EnvironmentConfig, load_environment
from tests.review.builds import (
    changed,
    copy_project,
    finish,
    make_git_repo,
    replace_in,
    start_cli,
    start_tree_synth,
    synth_config,
)

Started = tuple[subprocess.Popen[str], Path]


@pytest.fixture(scope="session")
def pool_renamed_run(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Started]:
    """A project copy whose user pool construct ID is "Pool" instead of "UserPool", synthesizing."""
    work = tmp_path_factory.mktemp("renamed")
    tree = copy_project(work / "tree")
    replace_in(
        tree / "stacks" / "identity_stack.py", 'SsoUserPool(self, "UserPool",', 'SsoUserPool(self, "Pool",'
    )
    process = start_tree_synth(tree, "dev", work / "out")
    yield process, work / "out"
    process.kill()


@pytest.fixture(scope="session")
def unchanged_repo_run(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Started]:
    """`review --base HEAD --env dev` running in a fresh repository whose working tree is HEAD."""
    repo = make_git_repo(tmp_path_factory.mktemp("unchanged") / "repo")
    process = start_cli(repo, "--base", "HEAD", "--env", "dev")
    yield process, repo
    process.kill()


@pytest.fixture(scope="session", autouse=True)
def _start_slow_runs_early(pool_renamed_run: Started, unchanged_repo_run: Started) -> None:
    """Requesting the two runs starts them at the beginning of the review tests."""


@pytest.fixture(scope="session")
def pool_renamed_dev(pool_renamed_run: Started) -> Path:
    process, outdir = pool_renamed_run
    done = finish(process)
    assert done.returncode == 0, done.stderr[-3000:]
    return outdir


@pytest.fixture(scope="session")
def unchanged_review(unchanged_repo_run: Started) -> subprocess.CompletedProcess[str]:
    return finish(unchanged_repo_run[0])


@pytest.fixture(scope="session")
def dev() -> EnvironmentConfig:
    return load_environment("dev")


@pytest.fixture(scope="session")
def base_dev(dev: EnvironmentConfig, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The unchanged dev environment's cloud assembly."""
    return synth_config(dev, tmp_path_factory.mktemp("base-dev"))


@pytest.fixture(scope="session")
def new_prefix_dev(dev: EnvironmentConfig, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """dev with another hosted-domain prefix: a replacement several tests look at."""
    return synth_config(
        changed(dev, "domain.prefix", "sso-dev-renamed-5678"), tmp_path_factory.mktemp("prefix")
    )

"""Build real changes for the review tests: a changed config synthesized in-process, or a changed
copy of the project synthesized in a subprocess, each into its own cloud assembly directory."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, TypeVar

import aws_cdk as cdk
from pydantic import BaseModel

from cdk_app.config import EnvironmentConfig
from composition.app_builder import build_app
from tests.fixtures.config_dir import project_of

ROOT = Path(__file__).resolve().parents[2]
# What `python app.py`, `python -m change_review` and `make review` need; tests, docs and caches
# stay behind.
PROJECT_FILES = (
    "app.py",
    "cdk.json",
    "cdk_app",
    "composition",
    "stacks",
    "change_review",
    "config",
    "functions",
    "Makefile",
    "mk",
)


Edit = Callable[[cdk.App], None]


def synth_config(config: EnvironmentConfig, outdir: Path, edit: Edit | None = None) -> Path:
    """Synthesize one environment in-process (no cdk-nag: the review reads templates only), its
    config written as a file beside ``outdir`` and loaded as ``cdk synth`` would.

    ``edit`` changes the built app before synthesis: a code change without a copy of the project.
    """
    project = project_of(outdir.with_name(f"{outdir.name}.config"), config)
    app, _ = build_app(project, outdir=str(outdir), with_checks=False)
    if edit is not None:
        edit(app)
    app.synth()
    return outdir


def new_logical_ids(renames: Mapping[str, str]) -> Edit:
    """An edit giving resources new logical IDs (old -> new), as a changed construct ID would."""

    def edit(app: cdk.App) -> None:
        found = set()
        for node in app.node.find_all():
            if isinstance(node, cdk.CfnResource):
                logical_id = cdk.Stack.of(node).resolve(node.logical_id)
                if logical_id in renames:
                    node.override_logical_id(renames[logical_id])
                    found.add(logical_id)
        assert found == set(renames), f"no resource with logical ID {set(renames) - found}"

    return edit


def drop_outputs(*keys: str, **values: str) -> Edit:
    """An edit removing the outputs ``keys`` and giving the outputs named in ``values`` new values."""

    def edit(app: cdk.App) -> None:
        outputs = {o.node.id: o for o in app.node.find_all() if isinstance(o, cdk.CfnOutput)}
        for key in keys:
            outputs[key].node.scope.node.try_remove_child(key)  # type: ignore[union-attr]
        for key, value in values.items():
            outputs[key].value = value

    return edit


M = TypeVar("M", bound=BaseModel)


def changed(config: M, path: str, value: Any) -> M:
    """``config`` with the field at a dotted ``path`` (e.g. ``domain.prefix``) replaced."""
    head, _, rest = path.partition(".")
    if not rest:
        return config.model_copy(update={head: value})
    return config.model_copy(update={head: changed(getattr(config, head), rest, value)})


def with_client(config: EnvironmentConfig, name: str, **update: Any) -> EnvironmentConfig:
    """``config`` with the named app client's fields updated."""
    clients = tuple(c.model_copy(update=update) if c.name == name else c for c in config.clients)
    return config.model_copy(update={"clients": clients})


def copy_project(dest: Path) -> Path:
    """A copy of the files a synth needs, without caches, for changes that are code changes."""
    dest.mkdir(parents=True, exist_ok=True)
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    for name in PROJECT_FILES:
        src = ROOT / name
        if src.is_dir():
            shutil.copytree(src, dest / name, ignore=ignore)
        else:
            shutil.copy2(src, dest / name)
    return dest


def replace_in(path: Path, old: str, new: str) -> None:
    """Replace exactly one occurrence, so a test fails loudly if the code it edits moved."""
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{old!r} occurs {text.count(old)} times in {path}"
    path.write_text(text.replace(old, new), encoding="utf-8")


def _child_env() -> dict[str, str]:
    # The project's .venv first on PATH, so jsii runs on its pinned Node; the tree's own code wins.
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"}
    env.pop("PYTHONPATH", None)
    return env


def make_git_repo(dest: Path) -> Path:
    """A fresh git repository holding a copy of the project in one commit on ``main``."""
    copy_project(dest)
    (dest / ".gitignore").write_text("__pycache__/\n", encoding="utf-8")
    for args in (["init", "-q", "-b", "main"], ["add", "-A"], ["commit", "-q", "-m", "snapshot"]):
        subprocess.run(
            ["git", "-c", "user.name=review-test", "-c", "user.email=review-test@example.com", *args],
            cwd=dest,
            check=True,
            capture_output=True,
        )
    return dest


def start_cli(repo: Path, *args: str) -> subprocess.Popen[str]:
    """Start ``python -m change_review ARGS`` in ``repo``, as a user would run it there."""
    return _start([sys.executable, "-m", "change_review", *args], repo)


def start_make_review(repo: Path, *args: str) -> subprocess.Popen[str]:
    """Start ``make review ARGS`` in ``repo``: the command the docs tell users to run.

    The copy has no .venv of its own, so make uses this project's (``BIN=``) and skips ``setup``
    (``-o setup``), which would otherwise create one. The recipe under test is unchanged.
    """
    bin_dir = Path(sys.executable).parent
    return _start(["make", "--no-print-directory", "-o", "setup", "review", f"BIN={bin_dir}", *args], repo)


def finish(process: subprocess.Popen[str], timeout: float = 300) -> subprocess.CompletedProcess[str]:
    """Wait for a started process and return its exit status and output."""
    stdout, stderr = process.communicate(timeout=timeout)
    return subprocess.CompletedProcess(process.args, process.returncode, stdout, stderr)


def _start(cmd: list[str], cwd: Path) -> subprocess.Popen[str]:
    return subprocess.Popen(
        cmd, cwd=cwd, env=_child_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )

"""Build real changes for the review tests: a changed config synthesized in-process, or a changed
copy of the project synthesized in a subprocess, each into its own cloud assembly directory."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel

from cdk_app.app_builder import build_app
from cdk_app.config import EnvironmentConfig

ROOT = Path(__file__).resolve().parents[2]
# What `python app.py` and `python -m change_review` need; tests, docs and caches stay behind.
PROJECT_FILES = ("app.py", "cdk.json", "cdk_app", "stacks", "change_review", "config", "functions")


def synth_config(config: EnvironmentConfig, outdir: Path) -> Path:
    """Synthesize one environment in-process (no cdk-nag: the review reads templates only)."""
    app, _ = build_app([config], outdir=str(outdir), with_checks=False)
    app.synth()
    return outdir


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


def finish(process: subprocess.Popen[str], timeout: float = 300) -> subprocess.CompletedProcess[str]:
    """Wait for a started process and return its exit status and output."""
    stdout, stderr = process.communicate(timeout=timeout)
    return subprocess.CompletedProcess(process.args, process.returncode, stdout, stderr)


def _start(cmd: list[str], cwd: Path) -> subprocess.Popen[str]:
    return subprocess.Popen(
        cmd, cwd=cwd, env=_child_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )

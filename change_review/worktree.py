"""Git and synthesis: resolve the base revision, check it out beside the repo, synthesize both trees.

Both synths run as separate processes at the same time, so a review costs about one synth of
wall time on a machine with two cores. The base checkout is a detached ``git worktree`` in a
temporary directory, removed on every way out (including Ctrl-C).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

STDERR_TAIL_LINES = 25


class UsageError(Exception):
    """A problem the user fixes (unknown revision or environment, not a git repo): exit status 2."""


class SynthError(Exception):
    """A tree failed to synthesize; the message carries the tail of its stderr. Exit status 2."""


def git(repo: Path, *args: str) -> str:
    """Run git in ``repo``; raise ``UsageError`` with git's own message on failure."""
    done = subprocess.run(["git", *args], cwd=repo, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise UsageError(
            done.stderr.strip().splitlines()[-1] if done.stderr.strip() else f"git {args[0]} failed"
        )
    return done.stdout.strip()


def repo_root(cwd: Path) -> Path:
    """The top of the git work tree containing ``cwd``."""
    try:
        return Path(git(cwd, "rev-parse", "--show-toplevel"))
    except UsageError:
        raise UsageError(f"{cwd} is not inside a git repository") from None


def resolve_base(repo: Path, rev: str | None) -> tuple[str, str]:
    """(commit, label) of the base: ``rev``, else the merge base with origin/main, else HEAD."""
    if rev is None:
        has_origin = subprocess.run(
            ["git", "rev-parse", "--verify", "--quiet", "origin/main"],
            cwd=repo,
            capture_output=True,
            check=False,
        )
        if has_origin.returncode == 0:
            commit = git(repo, "merge-base", "HEAD", "origin/main")
            return commit, f"merge base with origin/main ({commit[:10]})"
        rev = "HEAD"
    try:
        commit = git(repo, "rev-parse", "--verify", "--quiet", "--end-of-options", f"{rev}^{{commit}}")
    except UsageError:
        raise UsageError(f"unknown revision {rev!r}") from None
    if not commit:
        raise UsageError(f"unknown revision {rev!r}")
    return commit, commit[:10] if commit.startswith(rev.lower()) else f"{rev} ({commit[:10]})"


def tree_environments(tree: Path) -> list[str]:
    """Environments a tree defines: one per ``config/*.yaml``."""
    return sorted(p.stem for p in (tree / "config").glob("*.yaml"))


def commit_environments(repo: Path, commit: str) -> list[str]:
    """Environments ``commit`` defines, read from git without checking it out."""
    names = git(repo, "ls-tree", "--name-only", commit, "config/").splitlines()
    return sorted(Path(n).stem for n in names if n.endswith(".yaml") and Path(n).parent == Path("config"))


@contextmanager
def base_worktree(repo: Path, commit: str) -> Iterator[Path]:
    """A detached checkout of ``commit`` in a temporary directory, removed afterwards."""
    parent = Path(tempfile.mkdtemp(prefix="cdk-review-"))
    tree = parent / "base"
    try:
        git(repo, "worktree", "add", "--detach", "--quiet", str(tree), commit)
        yield tree
    finally:
        if tree.exists():
            subprocess.run(
                ["git", "worktree", "remove", "--force", str(tree)],
                cwd=repo,
                capture_output=True,
                check=False,
            )
        subprocess.run(["git", "worktree", "prune"], cwd=repo, capture_output=True, check=False)
        shutil.rmtree(parent, ignore_errors=True)


@dataclass
class Synth:
    """One running ``python app.py`` in a tree, writing its cloud assembly to ``outdir``."""

    label: str
    outdir: Path
    process: subprocess.Popen[bytes] | None
    stderr: Path

    def failure(self) -> SynthError | None:
        """None while running or after success; the error (with the stderr tail) after a failure."""
        code = self.process.poll() if self.process is not None else 0
        if not code:
            return None
        text = self.stderr.read_text(encoding="utf-8", errors="replace").strip()
        tail = "\n".join(text.splitlines()[-STDERR_TAIL_LINES:])
        return SynthError(f"synth of {self.label} failed (exit {code}):\n{tail}")

    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def stop(self) -> None:
        if self.running():
            assert self.process is not None
            self.process.kill()
            self.process.wait()


def wait_all(synths: Sequence[Synth], poll_seconds: float = 0.05) -> None:
    """Wait for every synth; on the first failure stop the others and raise its ``SynthError``.

    Failing fast matters: a broken config fails in two seconds, and nobody should wait for the
    other tree's full synth just to be told so.
    """
    while True:
        for synth in synths:
            error = synth.failure()
            if error is not None:
                for other in synths:
                    other.stop()
                raise error
        if not any(s.running() for s in synths):
            return
        time.sleep(poll_seconds)


def start_synth(label: str, tree: Path, envs: Sequence[str], outdir: Path) -> Synth:
    """Start synthesizing ``envs`` of ``tree``; no process at all when ``envs`` is empty.

    Uses this interpreter (the project's .venv, which a worktree lacks) with its directory first
    on PATH, so jsii runs on the project's pinned Node. cdk-nag runs as in a normal synth. The
    child's stderr goes to a file beside ``outdir`` (a pipe could fill up while we poll).
    """
    stderr = outdir.with_name(outdir.name + ".stderr")
    if not envs:
        return Synth(label, outdir, None, stderr)
    bin_dir = str(Path(sys.executable).parent)
    env = {
        **os.environ,
        "PATH": bin_dir + os.pathsep + os.environ.get("PATH", ""),
        "CDK_OUTDIR": str(outdir),
        "CDK_CONTEXT_JSON": json.dumps({"env": ",".join(envs)}),
        "PYTHONDONTWRITEBYTECODE": "1",
    }
    env.pop("PYTHONPATH", None)  # the tree's own cdk_app must win, not the caller's
    with stderr.open("wb") as err:
        process = subprocess.Popen(
            [sys.executable, "app.py"],
            cwd=tree,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=err,
        )
    return Synth(label, outdir, process, stderr)

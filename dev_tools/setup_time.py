"""Set-up time of a fresh clone, as a new user meets it: ``make setup``, the first ``make synth``, and
``make test`` in a second clone. ``make bench`` prints these after its ratios.

Each clone is ``git clone`` of the current commit (uncommitted edits are not in it) into a temporary
directory, run with a clean environment: none of this checkout's ``.venv`` or ``node_modules`` on
PATH, no ``make`` variables inherited. With warm caches, uv's and npm's caches on this machine are
used (a developer's second project); with cold ones each clone gets empty caches, so every package
is downloaded (a fresh machine).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

# Variables a parent `make` (or an activated venv) sets that would change how the clone's make runs.
_INHERITED = ("MAKEFLAGS", "MAKELEVEL", "MFLAGS", "MAKEOVERRIDES", "VIRTUAL_ENV", "PYTHONPATH")


def clean_environment(root: Path, cache_dir: Path | None) -> dict[str, str]:
    """This process's environment minus what ties it to ``root``'s set-up; empty caches if ``cache_dir``."""
    own = {str(root / ".venv" / "bin"), str(root / "node_modules" / ".bin")}
    env = {key: value for key, value in os.environ.items() if key not in _INHERITED}
    env["PATH"] = os.pathsep.join(p for p in env.get("PATH", "").split(os.pathsep) if p not in own)
    if cache_dir is not None:
        env.update(
            UV_CACHE_DIR=str(cache_dir / "uv"),
            npm_config_cache=str(cache_dir / "npm"),
            PIP_NO_CACHE_DIR="1",
        )
    return env


def _timed(cmd: list[str], cwd: Path, env: dict[str, str]) -> float:
    start = time.perf_counter()
    done = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(
            f"bench: `{' '.join(cmd)}` failed in a fresh clone ({cwd}):\n"
            f"{done.stdout[-3000:]}{done.stderr[-2000:]}"
        )
    return elapsed


def _clone(root: Path, dest: Path, env: dict[str, str]) -> float:
    return _timed(["git", "clone", "--quiet", str(root), str(dest)], root, env)


def report(root: Path, *, cold: bool) -> tuple[float, float]:
    """Time two fresh clones and print the figures; return (clone to synth, clone to test) seconds."""
    caches = "cold" if cold else "warm"
    work = Path(tempfile.mkdtemp(prefix="bench-setup-"))
    try:
        print(f"set-up from a fresh clone of HEAD ({caches} uv and npm caches):", flush=True)
        env = clean_environment(root, work / "caches-synth" if cold else None)
        clone = _clone(root, work / "synth", env)
        setup = _timed(["make", "setup"], work / "synth", env)
        synth = _timed(["make", "synth"], work / "synth", env)
        to_synth = clone + setup + synth
        print(f"  git clone {clone:.1f}s, make setup {setup:.1f}s, first make synth {synth:.1f}s", flush=True)
        env = clean_environment(root, work / "caches-test" if cold else None)
        clone = _clone(root, work / "test", env)
        test = _timed(["make", "test"], work / "test", env)
        to_test = clone + test
        print(f"  another clone: git clone {clone:.1f}s, make test (set-up, lint, pytest) {test:.1f}s")
        print(f"bench-setup: clone_to_synth={to_synth:.1f}s clone_to_test={to_test:.1f}s caches={caches}")
        return to_synth, to_test
    finally:
        shutil.rmtree(work, ignore_errors=True)

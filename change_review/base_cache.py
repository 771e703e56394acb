"""The base's cloud assembly, kept between reviews in ``.review/base/``.

A person reviews the same base (the merge base with origin/main) many times while a change grows,
and the base's templates depend only on what is fixed by then: the base commit, the environments
synthesized, and the installed CDK (which ``requirements.lock`` pins). So the first review
synthesizes both trees in parallel and keeps the base; each later one synthesizes only the working
tree. An entry is written to a temporary name and renamed into place, so a review killed half-way
leaves no half-written entry that a later one could read.
"""

from __future__ import annotations

import hashlib
import shutil
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

CACHE_DIR = Path(".review") / "base"
KEEP = 8  # entries; each is a few hundred KB of templates
# What a synth's output depends on beyond the commit: the pinned CDK and the interpreter.
INPUTS = ("requirements.lock",)


def key(repo: Path, commit: str, envs: Sequence[str]) -> str:
    """The entry name for the base ``commit`` synthesized for ``envs`` with this checkout's tools."""
    digest = hashlib.sha256()
    for part in (commit, ",".join(sorted(envs)), sys.version):
        digest.update(part.encode() + b"\0")
    for name in INPUTS:
        path = repo / name
        digest.update(path.read_bytes() if path.is_file() else b"missing")
    return digest.hexdigest()[:32]


def lookup(repo: Path, entry: str) -> Path | None:
    """The kept assembly of ``entry``, or None when there is none (or it is incomplete)."""
    path = repo / CACHE_DIR / entry
    return path if (path / "manifest.json").is_file() else None


def store(repo: Path, entry: str, outdir: Path) -> None:
    """Keep ``outdir`` as ``entry``, then drop all but the ``KEEP`` newest entries."""
    cache = repo / CACHE_DIR
    cache.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".incoming-", dir=cache))
    shutil.copytree(outdir, staging / "assembly")
    try:
        (staging / "assembly").rename(cache / entry)
    except OSError:  # another review stored the same entry first: theirs is as good
        pass
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    entries = [p for p in cache.iterdir() if not p.name.startswith(".")]
    entries.sort(key=lambda p: p.stat().st_mtime)
    for old in entries[:-KEEP]:
        shutil.rmtree(old, ignore_errors=True)

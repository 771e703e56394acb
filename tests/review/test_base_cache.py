"""A review keeps the base's assembly, so the next review of the same base synthesizes only the
working tree: one synth of wall time however busy the machine is."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from change_review import base_cache, runner
from change_review.core.model import Verdict
from change_review.worktree import commit_environments, git


def test_the_review_keeps_the_base_it_synthesized(pool_renamed_repo: Path) -> None:
    (entry,) = (pool_renamed_repo / base_cache.CACHE_DIR).iterdir()
    manifest = json.loads((entry / "manifest.json").read_text(encoding="utf-8"))
    assert any(name.startswith("assembly-dev") for name in manifest["artifacts"])
    assert not list(entry.parent.glob(".incoming-*")), "a staging directory was left behind"


def test_a_second_review_of_the_same_base_reads_it_instead_of_checking_it_out(
    pool_renamed_repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_checkout(*_: object) -> None:
        raise AssertionError("the kept base was not used: the review checked the base out again")

    monkeypatch.setattr(runner, "base_worktree", no_checkout)
    report = runner.build_report("HEAD", ["dev"], allow_file=None, cwd=pool_renamed_repo)
    pool = next(c for c in report.changes if c.logical_id == "UserPool")
    assert pool.verdict is Verdict.DATA_LOSS


def test_the_key_follows_the_commit_the_environments_and_the_pinned_cdk(tmp_path: Path) -> None:
    (tmp_path / "requirements.lock").write_text("aws-cdk-lib==2.0.0\n", encoding="utf-8")
    first = base_cache.key(tmp_path, "a" * 40, ["dev", "prod"])
    assert base_cache.key(tmp_path, "a" * 40, ["prod", "dev"]) == first
    assert base_cache.key(tmp_path, "b" * 40, ["dev", "prod"]) != first
    assert base_cache.key(tmp_path, "a" * 40, ["dev"]) != first
    (tmp_path / "requirements.lock").write_text("aws-cdk-lib==2.1.0\n", encoding="utf-8")
    assert base_cache.key(tmp_path, "a" * 40, ["dev", "prod"]) != first


def test_an_entry_without_its_manifest_is_not_read(tmp_path: Path) -> None:
    (tmp_path / base_cache.CACHE_DIR / "half").mkdir(parents=True)
    assert base_cache.lookup(tmp_path, "half") is None


def test_only_the_newest_entries_are_kept(tmp_path: Path) -> None:
    assembly = tmp_path / "out"
    assembly.mkdir()
    (assembly / "manifest.json").write_text("{}", encoding="utf-8")
    for n in range(base_cache.KEEP + 2):
        base_cache.store(tmp_path, f"entry{n}", assembly)
        os.utime(tmp_path / base_cache.CACHE_DIR / f"entry{n}", (n, n))
    kept = sorted(p.name for p in (tmp_path / base_cache.CACHE_DIR).iterdir())
    assert kept == sorted(f"entry{n}" for n in range(2, base_cache.KEEP + 2))
    assert base_cache.lookup(tmp_path, "entry0") is None
    assert base_cache.lookup(tmp_path, f"entry{base_cache.KEEP + 1}") is not None


def test_the_base_environments_are_read_from_git_without_a_checkout(pool_renamed_repo: Path) -> None:
    head = git(pool_renamed_repo, "rev-parse", "HEAD")
    assert commit_environments(pool_renamed_repo, head) == sorted(
        p.stem for p in (pool_renamed_repo / "config").glob("*.yaml")
    )

"""The whole command: resolve the base, synthesize both trees in parallel (or only the working tree,
when an earlier review kept the base: base_cache), judge, render, exit."""

from __future__ import annotations

import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Literal

from change_review import base_cache
from change_review.allow import AllowEntry, AllowError, load_allow_file
from change_review.compare import review_assemblies
from change_review.core.assembly import AssemblyError
from change_review.core.model import Report
from change_review.markdown import render_markdown
from change_review.render import outcome, render_text
from change_review.worktree import (
    Synth,
    SynthError,
    UsageError,
    base_worktree,
    commit_environments,
    repo_root,
    resolve_base,
    start_synth,
    tree_environments,
    wait_all,
)

Format = Literal["text", "markdown"]
ALLOW_FILE = "review-allow.yaml"
EXIT_USAGE = 2
PROG = "review"


def review(
    base_rev: str | None = None,
    envs: Sequence[str] | None = None,
    fmt: Format = "text",
    *,
    allow_file: Path | None = None,
    output: Path | None = None,
    cwd: Path | None = None,
) -> int:
    """Review the working tree against ``base_rev``; print (or write) the report; return the exit status.

    0: every change is SAFE or allowed. 1: at least one change blocks. 2: a usage
    error (unknown revision or environment, bad allow file) or a failed synth, reported as one
    message on stderr (a synth failure adds the tail of its stderr), never a traceback.
    """
    try:
        report = build_report(base_rev, envs, allow_file=allow_file, cwd=cwd or Path.cwd())
    except (UsageError, AllowError, SynthError, AssemblyError) as exc:
        print(f"{PROG}: {exc}", file=sys.stderr)
        return EXIT_USAGE
    text = render_markdown(report) if fmt == "markdown" else render_text(report)
    if output is None:
        sys.stdout.write(text)
    else:
        output.write_text(text, encoding="utf-8")
        print(f"{PROG}: wrote {output}. {outcome(report)}", file=sys.stderr)
    return report.exit_code


def build_report(
    base_rev: str | None, envs: Sequence[str] | None, *, allow_file: Path | None, cwd: Path
) -> Report:
    """Everything but the printing. Raises UsageError, AllowError, SynthError or AssemblyError."""
    repo = repo_root(cwd)
    # Validate every input before spending a synth on it.
    allow = _allowances(repo, allow_file)
    commit, base_label = resolve_base(repo, base_rev)
    known = tree_environments(repo)
    wanted = list(dict.fromkeys(envs)) if envs else known
    unknown = [e for e in wanted if e not in known]
    if unknown:
        raise UsageError(f"unknown environment {unknown[0]!r}; environments: {', '.join(known) or 'none'}")
    # An environment the base does not define yet is reviewed as entirely new.
    base_envs = [e for e in wanted if e in commit_environments(repo, commit)]
    entry = base_cache.key(repo, commit, base_envs)
    with tempfile.TemporaryDirectory(prefix="cdk-review-out-") as out:
        head = start_synth("the working tree", repo, wanted, Path(out) / "head")
        try:
            kept = base_cache.lookup(repo, entry) if base_envs else None
            if kept is not None:
                wait_all([head])
                base_outdir = kept
            else:
                base_outdir = _synthesize_base(repo, commit, base_label, base_envs, Path(out) / "base", head)
                if base_envs:
                    base_cache.store(repo, entry, base_outdir)
        finally:
            head.stop()
        return review_assemblies(base_outdir, head.outdir, allow, envs=wanted, base_label=base_label)


def _synthesize_base(repo: Path, commit: str, label: str, envs: list[str], outdir: Path, head: Synth) -> Path:
    """Check the base out beside the repo and synthesize it while ``head`` runs; wait for both."""
    with base_worktree(repo, commit) as tree:
        base = start_synth(f"base {label}", tree, envs, outdir)
        try:
            wait_all([head, base])
        finally:
            base.stop()
    return base.outdir


def _allowances(repo: Path, allow_file: Path | None) -> list[AllowEntry]:
    if allow_file is not None:
        return load_allow_file(allow_file)
    default = repo / ALLOW_FILE
    return load_allow_file(default) if default.exists() else []

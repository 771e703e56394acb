"""The whole command: resolve the base, synthesize both trees in parallel, judge, render, exit."""

from __future__ import annotations

import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Literal

from change_review.allow import AllowEntry, AllowError, load_allow_file
from change_review.compare import review_assemblies
from change_review.core.assembly import AssemblyError
from change_review.core.model import Report
from change_review.markdown import render_markdown
from change_review.render import outcome, render_text
from change_review.worktree import (
    SynthError,
    UsageError,
    base_worktree,
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
    with tempfile.TemporaryDirectory(prefix="cdk-review-out-") as out:
        head = start_synth("the working tree", repo, wanted, Path(out) / "head")
        try:
            with base_worktree(repo, commit) as tree:
                # An environment the base does not define yet is reviewed as entirely new.
                base_envs = [e for e in wanted if e in tree_environments(tree)]
                base = start_synth(f"base {base_label}", tree, base_envs, Path(out) / "base")
                try:
                    wait_all([head, base])
                finally:
                    base.stop()
        finally:
            head.stop()
        return review_assemblies(base.outdir, head.outdir, allow, envs=wanted, base_label=base_label)


def _allowances(repo: Path, allow_file: Path | None) -> list[AllowEntry]:
    if allow_file is not None:
        return load_allow_file(allow_file)
    default = repo / ALLOW_FILE
    return load_allow_file(default) if default.exists() else []

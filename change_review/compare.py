"""The pure core: two cloud assembly directories in, a judged ``Report`` out. No git, no synth."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from change_review.allow import AllowEntry, apply_allowances
from change_review.core.assembly import load_stacks
from change_review.core.model import Report
from change_review.verdicts import review_stack


def review_assemblies(
    base_dir: Path | str,
    head_dir: Path | str,
    allow: Sequence[AllowEntry] = (),
    *,
    envs: Sequence[str] | None = None,
    base_label: str = "base",
    head_label: str = "working tree",
) -> Report:
    """Judge every stack found in either assembly (optionally only ``envs``).

    A stack only at head is new (its resources are added); a stack only at base has left the app
    and is noted without changes (deploying deletes nothing). Stacks are ordered by environment,
    then name.
    """
    base = load_stacks(Path(base_dir))
    head = load_stacks(Path(head_dir))
    keys = sorted(set(base) | set(head))
    if envs:
        keys = [k for k in keys if k[0] in envs]
    stacks = [review_stack(env, stack, base.get((env, stack)), head.get((env, stack))) for env, stack in keys]
    judged, unused = apply_allowances(stacks, list(allow))
    return Report(
        tuple(judged),
        tuple(unused),
        base_label=base_label,
        head_label=head_label,
        envs=tuple(sorted({k[0] for k in keys} | set(envs or ()))),
    )

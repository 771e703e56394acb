"""One JSON snapshot per stack per environment, asset hashes masked so code edits don't churn them.

Update after an intended change with ``make test PYTEST_ARGS=--snapshot-update`` and review the diff
in the pull request like any code.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from syrupy.assertion import SnapshotAssertion
from syrupy.extensions.json import JSONSnapshotExtension

from tests.synthesis import Synthesized

STACKS = [
    ("dev", "Identity"),
    ("dev", "Api"),
    ("staging", "Identity"),
    ("staging", "Api"),
    ("prod", "Certificate"),
    ("prod", "Identity"),
    ("prod", "Api"),
]
_HASH = re.compile(r"[0-9a-f]{64}")


def mask_assets(node: Any) -> Any:
    """Replace asset hashes (S3 keys, asset paths) with a placeholder, recursively."""
    if isinstance(node, dict):
        return {k: mask_assets(v) for k, v in node.items()}
    if isinstance(node, list):
        return [mask_assets(v) for v in node]
    if isinstance(node, str):
        return _HASH.sub("<asset-hash>", node)
    return node


@pytest.fixture
def snapshot_json(snapshot: SnapshotAssertion) -> SnapshotAssertion:
    return snapshot.use_extension(JSONSnapshotExtension)


def test_every_stack_has_a_snapshot(synth: Synthesized) -> None:
    assert sorted(synth.templates) == sorted(STACKS)


@pytest.mark.parametrize(("env", "stack"), STACKS, ids=[f"{e}-{s}" for e, s in STACKS])
def test_template_snapshot(
    synth: Synthesized, snapshot_json: SnapshotAssertion, env: str, stack: str
) -> None:
    assert mask_assets(synth.templates[(env, stack)]) == snapshot_json


def test_masking_hides_only_hashes() -> None:
    key = "a" * 64 + ".zip"
    assert mask_assets({"S3Key": key, "Other": ["keep", 1]}) == {
        "S3Key": "<asset-hash>.zip",
        "Other": ["keep", 1],
    }

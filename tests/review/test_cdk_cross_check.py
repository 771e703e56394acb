"""CDK's own template diff, run offline on every change of the catalogue: wherever CDK says a
resource will (or may) be replaced, the review must not say SAFE.

The diff is ``@aws-cdk/cloudformation-diff`` (pinned in package.json, installed by ``npm ci``), the
library behind ``cdk diff``, run by the project's Node on the same base and head templates.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from change_review import Report, Verdict
from change_review.core.assembly import load_stacks
from change_review.core.model import WHOLE_STACK
from tests.review.changes import CHANGES, Assemblies

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = Path(__file__).with_name("cdk_template_diff.cjs")
NODE = Path(sys.executable).parent / "node"
REPLACING = {"WILL_REPLACE", "MAY_REPLACE"}
Impacts = dict[tuple[str, str, str], dict[str, str]]


@pytest.fixture(scope="module")
def cdk_impacts(assemblies: Assemblies) -> Impacts:
    """{(change, env, stack): {logical ID: CDK's impact}} for every stack of every change."""
    pairs = []
    for name, change in CHANGES.items():
        base = load_stacks(assemblies.base(change.base))
        head = load_stacks(assemblies.head(name))
        for env, stack in sorted(set(base) | set(head)):
            old, new = base.get((env, stack)), head.get((env, stack))
            pairs.append(
                {
                    "name": json.dumps([name, env, stack]),
                    "old": old.template if old else None,
                    "new": new.template if new else None,
                }
            )
    # Offline and without credentials: nothing here may reach AWS.
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    done = subprocess.run(
        [str(NODE), str(SCRIPT)],
        input=json.dumps(pairs),
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return {tuple(json.loads(key)): impacts for key, impacts in json.loads(done.stdout).items()}


def verdict_of(report: Report, env: str, stack: str, logical_id: str) -> Verdict:
    """The review's verdict on a resource: its change's, its moved stack's, else SAFE (not reported)."""
    for change in report.changes:
        if (change.env, change.stack) != (env, stack):
            continue
        if logical_id in {change.logical_id, change.new_logical_id} or (
            change.logical_id == WHOLE_STACK and change.action == "moved"
        ):
            return change.verdict
    return Verdict.SAFE


def test_the_review_never_says_safe_where_cdk_reports_a_replacement(
    assemblies: Assemblies, cdk_impacts: Impacts
) -> None:
    missed = [
        (name, env, stack, logical_id, impact)
        for (name, env, stack), impacts in cdk_impacts.items()
        for logical_id, impact in impacts.items()
        if impact in REPLACING and verdict_of(assemblies.review(name), env, stack, logical_id) is Verdict.SAFE
    ]
    assert missed == []


def test_cdk_finds_the_replacements_the_cross_check_relies_on(cdk_impacts: Impacts) -> None:
    # If CDK's diff found nothing (a broken install, empty templates), the check above would pass
    # vacuously; these are replacements both tools must see.
    assert cdk_impacts[("domain prefix", "dev", "Identity")]["UserPoolDomain"] == "WILL_REPLACE"
    assert cdk_impacts[("spa client becomes web", "dev", "Identity")]["SpaClient"] == "WILL_REPLACE"
    assert cdk_impacts[("pool logical ID changed", "dev", "Identity")]["SpaClient"] == "WILL_REPLACE"

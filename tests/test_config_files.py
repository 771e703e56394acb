"""Every ``config/*.yaml``, whatever its name and values, loads and synthesizes with no cdk-nag finding.

The files under ``config/`` are the user's: no test asserts what they say (the construct and stack
tests read tests/fixtures/config). A user's own environment is checked like the samples: here for
cdk-nag, and in tests/test_templates_lint.py for cfn-lint.
"""

from __future__ import annotations

from typing import Any

from cdk_app.config.loading.loader import available_environments
from tests.synthesis import Synthesized, nag_violations


def _where(violation: dict[str, Any]) -> list[str]:
    found = violation.get("violatingResources", []) or violation.get("violatingConstructs", [])
    return [
        f"{violation.get('ruleName')}: {r.get('constructPath') or r.get('resourceLogicalId')}" for r in found
    ]


def test_every_config_file_is_loaded_and_synthesized(shipped: Synthesized) -> None:
    names = available_environments()  # one per config/*.yaml, as `cdk synth` reads them
    assert names, "config/ has no environment file"
    assert sorted(shipped.configs) == names
    for name in names:
        if name not in shipped.piped:
            assert {"Identity", "Api"} <= set(shipped.stacks_of(name)), name


def test_no_config_file_has_an_unacknowledged_nag_finding(shipped: Synthesized) -> None:
    assert shipped.validation_report, "validation-report.json must exist: cdk-nag runs on every synth"
    findings = [line for v in nag_violations(shipped.validation_report) for line in _where(v)]
    assert findings == [], "\n".join(findings)

"""The ``cdk.App`` settings of every synth of this project, in one place (no aws_cdk import).

``build_app`` passes them to the app; ``make bench`` synthesizes its empty baseline app with the
same ones, so the synth ratio compares like with like.
"""

from __future__ import annotations

from typing import Any

APP_SETTINGS: dict[str, Any] = {
    # CDK's built-in template validator (a WASM rule engine) costs a second or more of every synth.
    # cfn-lint, which checks the same rule families against the same resource schemas and more,
    # runs on every synthesized template in `make test` and CI and must report zero errors and
    # warnings (tests/test_templates_lint.py), so the built-in copy is switched off rather than
    # paid twice.
    "builtin_cloud_formation_validation": False,
}

"""Build the CDK app from already-validated environment configs (used by app.py and the tests)."""

from __future__ import annotations

import json
from collections.abc import Iterable
from functools import cache
from pathlib import Path
from typing import Any

import aws_cdk as cdk

from cdk_app import checks
from cdk_app.config import EnvironmentConfig
from stacks.stage import EnvironmentStage


def build_app(
    configs: Iterable[EnvironmentConfig], *, outdir: str | None = None, with_checks: bool = True
) -> tuple[cdk.App, dict[str, EnvironmentStage]]:
    """One Stage per environment; cdk-nag runs at ``app.synth()`` unless ``with_checks`` is off."""
    app = cdk.App(outdir=outdir, context=feature_flags()) if outdir else cdk.App(context=feature_flags())
    stages = {c.name: EnvironmentStage(app, c) for c in configs}
    if with_checks:
        checks.register(app)
    return app, stages


@cache
def feature_flags() -> dict[str, Any]:
    """The feature flags from cdk.json, so in-process synth (tests, review) matches the CLI's."""
    cdk_json = Path(__file__).resolve().parents[1] / "cdk.json"
    flags: dict[str, Any] = json.loads(cdk_json.read_text(encoding="utf-8"))["context"]
    return flags

"""Build the CDK app from the checked project: one Stage per environment, the nag packs registered."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

import aws_cdk as cdk

from cdk_app.config.loading import Project
from cdk_app.contracts import PIPELINE_STACK
from composition import nag
from composition.app_settings import APP_SETTINGS
from stacks.stage import EnvironmentStage


def build_app(
    project: Project, *, outdir: str | None = None, with_checks: bool = True
) -> tuple[cdk.App, dict[str, EnvironmentStage]]:
    """One Stage per environment of ``project`` (from ``load_project``, already checked); cdk-nag
    runs at ``app.synth()`` unless ``with_checks`` is off.

    With an enabled pipeline, its environments become Stages of a ``Pipeline`` stack instead of
    top-level Stages, so each environment's stacks are defined once; the returned mapping holds the
    top-level Stages only.
    """
    app = cdk.App(outdir=outdir, context=feature_flags(), **APP_SETTINGS)
    stages = {c.name: EnvironmentStage(app, c) for c in project.standalone}
    if project.pipeline_environments:
        # Imported here: aws_cdk.pipelines is large, and most synths have no pipeline.
        from stacks.pipeline_stack import PipelineStack

        PipelineStack(
            app, PIPELINE_STACK, config=project.pipeline, environments=project.pipeline_environments
        )
    if with_checks:
        nag.register(app)
    return app, stages


@cache
def feature_flags() -> dict[str, Any]:
    """The feature flags from cdk.json, so in-process synth (tests, review) matches the CLI's."""
    cdk_json = Path(__file__).resolve().parents[1] / "cdk.json"
    flags: dict[str, Any] = json.loads(cdk_json.read_text(encoding="utf-8"))["context"]
    return flags

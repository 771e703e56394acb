"""``make pipeline``: the first deploy of the optional CDK pipeline stack; after it, it updates itself.

Guarantees: while config/pipeline/pipeline.yaml is missing or says ``enabled: false`` it refuses with
one line saying where to enable it (exit 1), before the CDK CLI starts; the pipeline deploys to AWS
only, so endpoint overrides are refused and credentials are checked first; broadening changes wait
for approval at the terminal.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TextIO

from cdk_app.config.loading import load_pipeline
from cdk_app.config.pipeline import PIPELINE_FILE, SHOWN_PIPELINE_FILE, PipelineConfig
from cdk_app.contracts import PIPELINE_STACK
from operator_tools.lib.cdk_cli import cdk_parser, exec_cdk
from operator_tools.lib.deploy_target import aws_environ
from operator_tools.lib.errors import ToolError

DESCRIPTION = "Deploy the CDK pipeline stack for the first time (it must be enabled in its config)."


def pipeline_command(pipeline: PipelineConfig, cdk: str, config_dir: Path) -> list[str]:
    """``cdk deploy Pipeline``, the pipeline's first deploy; a ``ToolError`` while it is disabled."""
    if not pipeline.enabled:
        why = "says enabled: false" if (config_dir / PIPELINE_FILE).is_file() else "does not exist"
        raise ToolError(
            f"the CDK pipeline is disabled: {SHOWN_PIPELINE_FILE} {why}. Set enabled: true there "
            "(see docs/deploying.md), or deploy one environment with make deploy ENV=<env>"
        )
    return [cdk, "deploy", PIPELINE_STACK, "--require-approval", "broadening"]


def main(argv: Sequence[str] | None = None, *, stderr: TextIO = sys.stderr) -> int:
    """CLI entry point: check, then replace this process with ``cdk deploy Pipeline`` (exit 1/2 if not)."""
    args = cdk_parser("pipeline", DESCRIPTION, takes_env=False).parse_args(argv)

    def build() -> tuple[list[str], Mapping[str, str]]:
        command = pipeline_command(load_pipeline(args.config_dir), args.cdk, args.config_dir)
        return command, aws_environ("the pipeline deploys to AWS", "make pipeline", os.environ)

    return exec_cdk("pipeline", build, stderr=stderr)


if __name__ == "__main__":
    sys.exit(main())

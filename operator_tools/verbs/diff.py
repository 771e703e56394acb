"""``make diff ENV=<env>``: ``cdk diff`` of one environment against what is deployed.

Guarantees: a missing or unknown ``ENV`` stops with the list of environments (exit 2) before the CDK
CLI starts; an environment that an enabled CDK pipeline deploys is compared as the Stage inside the
``Pipeline`` stack; the diff reads AWS with the caller's credentials (checked first, one line if
there are none), or reads the emulator for an emulator environment.
"""

from __future__ import annotations

import sys
from collections.abc import Mapping, Sequence
from typing import TextIO

from operator_tools.lib.cdk_cli import cdk_parser, diff_command, exec_cdk, pipeline_deploying
from operator_tools.lib.environment import choose_environment
from operator_tools.local.target import command_environ

DESCRIPTION = "Compare one environment's synthesized stacks with what is deployed (the CDK CLI's diff)."


def main(argv: Sequence[str] | None = None, *, stderr: TextIO = sys.stderr) -> int:
    """CLI entry point: check, then replace this process with ``cdk diff`` (exit 1/2 if refused)."""
    args = cdk_parser("diff", DESCRIPTION).parse_args(argv)

    def build() -> tuple[list[str], Mapping[str, str]]:
        config = choose_environment(args.env, "diff", args.config_dir)
        in_pipeline = pipeline_deploying(config, args.config_dir) is not None
        command = diff_command(config, args.cdk, in_pipeline=in_pipeline)
        return command, command_environ(config, f"make diff ENV={config.name}")

    return exec_cdk("diff", build, stderr=stderr)


if __name__ == "__main__":
    sys.exit(main())

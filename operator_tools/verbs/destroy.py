"""``make destroy ENV=<env> [FORCE=1]``: check, ask, then ``cdk destroy '<env>/*' --force``.

Guarantees, before the CDK CLI starts (so before any synth or AWS call):

- a missing or unknown ``ENV`` stops with the list of environments and the closest name (exit 2);
- a production-tier environment is refused outright, whatever ``FORCE`` says (exit 1). Tier decides,
  never the name: ``prod`` is special because its config says ``tier: production``;
- any other environment is destroyed only after its name is typed back exactly, unless ``--force``
  (``FORCE=1``); the question is asked only once every refusal and the credentials check have passed;
- an environment that an enabled CDK pipeline deploys is left to the pipeline (exit 1).
"""

from __future__ import annotations

import sys
from collections.abc import Mapping, Sequence
from typing import TextIO

from cdk_app.config import EnvironmentConfig
from operator_tools.lib.cdk_cli import cdk_parser, destroy_command, exec_cdk, refuse_if_pipeline_deploys
from operator_tools.lib.environment import choose_environment
from operator_tools.lib.errors import ToolError
from operator_tools.local.target import command_environ

DESCRIPTION = (
    "Destroy one environment's stacks with the CDK CLI after its name is typed back; production-tier "
    "environments are never destroyed, and pipeline-deployed ones are left to the pipeline."
)


def refuse_production_destroy(config: EnvironmentConfig) -> None:
    """A ``ToolError`` for a production-tier environment, whatever ``FORCE`` says."""
    if config.tier == "production":
        raise ToolError(
            f"refusing to destroy {config.name}: it is tier production. Production user pools keep "
            "deletion protection and RETAIN; removing one is a manual, reviewed change, not a make target."
        )


def confirm(config: EnvironmentConfig, stdin: TextIO, stderr: TextIO) -> None:
    """Ask for the environment's name on ``stderr``; a ``ToolError`` unless ``stdin`` answers it exactly."""
    stderr.write(
        f"This deletes every stack of {config.name} (tier {config.tier}), including its user pool and "
        f"users unless they are retained.\nType the environment name ({config.name}) to confirm: "
    )
    stderr.flush()
    answer = stdin.readline().strip()
    if answer != config.name:
        raise ToolError(f"confirmation {answer!r} does not match {config.name!r}; nothing was destroyed")


def main(argv: Sequence[str] | None = None, *, stdin: TextIO = sys.stdin, stderr: TextIO = sys.stderr) -> int:
    """CLI entry point: check, ask, then replace this process with ``cdk destroy`` (exit 1/2 if not)."""
    parser = cdk_parser("destroy", DESCRIPTION)
    parser.add_argument("--force", action="store_true", help="skip the typed confirmation")
    args = parser.parse_args(argv)

    def build() -> tuple[list[str], Mapping[str, str]]:
        config = choose_environment(args.env, "destroy", args.config_dir)
        refuse_if_pipeline_deploys(config, "destroy", args.config_dir)
        # Refusals and the credentials come before the prompt: never ask for a name to no effect.
        refuse_production_destroy(config)
        environ = command_environ(config, f"make destroy ENV={config.name}")
        if not args.force:
            confirm(config, stdin, stderr)
        return destroy_command(config, args.cdk), environ

    return exec_cdk("destroy", build, stderr=stderr)


if __name__ == "__main__":
    sys.exit(main())

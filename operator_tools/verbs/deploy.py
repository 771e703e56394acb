"""``make deploy ENV=<env> [APPROVAL=...]``: check, then ``cdk deploy '<env>/*'``.

Guarantees, before the CDK CLI starts (so before any synth or AWS call):

- a missing or unknown ``ENV`` stops with the list of environments and the closest name (exit 2);
- security-broadening changes (IAM, security groups) wait for approval at the terminal by default;
  ``APPROVAL=never`` is refused for a production-tier environment outside CI, because there the
  approval is the person at the terminal; in CI it is the GitHub environment's required reviewers.
  Tier decides, never the name. On the emulator nothing reaches a real account: the default is never;
- an environment that an enabled CDK pipeline deploys is left to the pipeline (exit 1);
- the command's environ is ``local.target.command_environ``'s: the emulator, or AWS with credentials.
"""

from __future__ import annotations

import sys
from collections.abc import Mapping, Sequence
from typing import TextIO

from cdk_app.config import EnvironmentConfig
from operator_tools.lib.cdk_cli import cdk_parser, deploy_command, exec_cdk, refuse_if_pipeline_deploys
from operator_tools.lib.environment import choose_environment
from operator_tools.lib.errors import ToolError, UsageError
from operator_tools.local.target import command_environ

APPROVALS = ("broadening", "any-change", "never")
DESCRIPTION = (
    "Deploy one environment with the CDK CLI, once it exists, is not the pipeline's to deploy, and the "
    "approval level is allowed for its tier (never is for CI only in production)."
)


def checked_approval(config: EnvironmentConfig, approval: str, *, ci: bool) -> str:
    """The approval level to deploy ``config`` with: ``approval``, or the target's default when empty."""
    # On the emulator nothing reaches a real account, so there is no broadening change to confirm.
    approval = approval or ("never" if config.deploy_target == "emulator" else "broadening")
    if approval not in APPROVALS:
        raise UsageError(f"APPROVAL={approval!r}: use one of {', '.join(APPROVALS)}")
    if approval == "never" and config.tier == "production" and not ci:
        raise ToolError(
            f"{config.name} is tier production: APPROVAL=never is only for CI, where the GitHub "
            "environment's reviewers approve. Deploy without it and confirm broadening changes here."
        )
    return approval


def main(argv: Sequence[str] | None = None, *, stderr: TextIO = sys.stderr) -> int:
    """CLI entry point: check, then replace this process with ``cdk deploy`` (exit 1/2 if refused)."""
    parser = cdk_parser("deploy", DESCRIPTION)
    parser.add_argument(
        "--approval", default="", help=f"{' | '.join(APPROVALS)} (default broadening; never on the emulator)"
    )
    parser.add_argument("--ci", action="store_true", help="running in CI behind a protected environment")
    args = parser.parse_args(argv)

    def build() -> tuple[list[str], Mapping[str, str]]:
        config = choose_environment(args.env, "deploy", args.config_dir)
        refuse_if_pipeline_deploys(config, "deploy", args.config_dir)
        command = deploy_command(config, args.cdk, checked_approval(config, args.approval, ci=args.ci))
        return command, command_environ(config, f"make deploy ENV={config.name}")

    return exec_cdk("deploy", build, stderr=stderr)


if __name__ == "__main__":
    sys.exit(main())

"""``make bootstrap ENV=<env> [TRUST=...] [EXECUTION_POLICIES=...]``: ``cdk bootstrap`` of the
environment's account and region(s), once, as an administrator.

Guarantees: a missing or unknown ``ENV`` stops with the list of environments (exit 2); trusting
another account (a pipeline or CI account) requires explicit execution policies, so the trusted
account never silently gets CDK's default AdministratorAccess (exit 2); a certificate stack's
region (``CERTIFICATE_REGION``) is bootstrapped too; credentials are checked before the CLI starts.
"""

from __future__ import annotations

import sys
from collections.abc import Mapping, Sequence
from typing import TextIO

from cdk_app.config import EnvironmentConfig
from cdk_app.contracts import CERTIFICATE_REGION
from operator_tools.lib.cdk_cli import cdk_parser, exec_cdk, split_list
from operator_tools.lib.environment import choose_environment
from operator_tools.lib.errors import UsageError
from operator_tools.local.target import command_environ

DESCRIPTION = (
    "Bootstrap the CDK in one environment's account and region(s); trusting another account needs "
    "the managed policies CloudFormation may deploy with."
)


def bootstrap_command(
    config: EnvironmentConfig, cdk: str, trust: Sequence[str], policies: Sequence[str]
) -> list[str]:
    """``cdk bootstrap`` of the environment's account and region, plus ``CERTIFICATE_REGION`` for a
    certificate stack; a ``UsageError`` for ``trust`` without ``policies``."""
    if trust and not policies:
        raise UsageError(
            "TRUST needs EXECUTION_POLICIES: name the managed policy ARNs CloudFormation may deploy with "
            "for the trusted account (CDK would otherwise default to AdministratorAccess)"
        )
    command = [cdk, "bootstrap"]
    if config.account is not None and config.region is not None:
        regions = [config.region]
        if config.domain.needs_certificate_stack and config.region != CERTIFICATE_REGION:
            regions.append(CERTIFICATE_REGION)
        command += [f"aws://{config.account}/{region}" for region in regions]
    else:
        # No account in config: the CLI bootstraps the app's environments with the caller's account.
        command += ["-c", f"env={config.name}"]
    for account in trust:
        command += ["--trust", account]
    if policies:
        command += ["--cloudformation-execution-policies", ",".join(policies)]
    return command


def main(argv: Sequence[str] | None = None, *, stderr: TextIO = sys.stderr) -> int:
    """CLI entry point: check, then replace this process with ``cdk bootstrap`` (exit 1/2 if refused)."""
    parser = cdk_parser("bootstrap", DESCRIPTION)
    parser.add_argument("--trust", default="", help="account IDs to trust (space or comma separated)")
    parser.add_argument("--execution-policies", default="", help="managed policy ARNs (with --trust)")
    args = parser.parse_args(argv)

    def build() -> tuple[list[str], Mapping[str, str]]:
        config = choose_environment(args.env, "bootstrap", args.config_dir)
        trust, policies = split_list(args.trust), split_list(args.execution_policies)
        command = bootstrap_command(config, args.cdk, trust, policies)
        return command, command_environ(config, f"make bootstrap ENV={config.name}")

    return exec_cdk("bootstrap", build, stderr=stderr)


if __name__ == "__main__":
    sys.exit(main())

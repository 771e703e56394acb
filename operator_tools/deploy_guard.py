"""The checks in front of ``make deploy/destroy/diff/bootstrap``, then the CDK CLI command itself.

Guarantees, before any AWS call is made:

- a missing or unknown ``ENV`` stops with the list of environments (exit 2);
- ``destroy`` refuses a production-tier environment outright, and for any other tier runs only after
  the environment's name is typed back exactly, unless ``--force`` (``FORCE=1``) is given (exit 1);
- ``deploy`` asks for approval of security-broadening changes (IAM, security groups) by default.
  ``--approval never`` is refused for a production-tier environment outside CI, because there the
  approval is the person at the terminal; in CI it is the GitHub environment's required reviewers;
- an environment that an enabled CDK pipeline deploys is not deployed or destroyed from here.

Tier decides, never the name: ``prod`` is special because its config says ``tier: production``.
The command is run with ``os.execv``, so its exit code is ``make``'s.

Usage: ``python -m operator_tools.deploy_guard {deploy,destroy,diff,bootstrap} --env NAME --cdk PATH``
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

from cdk_app.config import ConfigError, EnvironmentConfig, available_environments, load_environment
from cdk_app.config.loader import CONFIG_DIR
from cdk_app.config.pipeline import load_pipeline
from operator_tools.errors import ToolError

EXIT_REFUSED = 1
EXIT_USAGE = 2
APPROVALS = ("broadening", "any-change", "never")
# Stacks in us-east-1 (the custom domain's certificate) need that region bootstrapped too.
CERTIFICATE_REGION = "us-east-1"


class UsageError(ToolError):
    """The command line names no environment, an unknown one, or a bad option (exit 2)."""


def resolve_environment(name: str, config_dir: Path) -> EnvironmentConfig:
    """Load ``name``'s config, or raise ``UsageError`` listing every environment."""
    known = available_environments(config_dir)
    listed = ", ".join(known) or "none (add config/<name>.yaml)"
    if not name:
        raise UsageError(
            f"ENV is required, e.g. make deploy ENV={known[0] if known else 'dev'}; environments: {listed}"
        )
    if name not in known:
        raise UsageError(f"no environment named {name!r}; environments: {listed}")
    return load_environment(name, config_dir)


def deploy_command(env: EnvironmentConfig, cdk: str, approval: str, *, ci: bool) -> list[str]:
    """``cdk deploy '<env>/*'`` with the approval level the rules above allow."""
    if approval not in APPROVALS:
        raise UsageError(f"APPROVAL={approval!r}: use one of {', '.join(APPROVALS)}")
    if approval == "never" and env.tier == "production" and not ci:
        raise ToolError(
            f"{env.name} is tier production: APPROVAL=never is only for CI, where the GitHub "
            "environment's reviewers approve. Deploy without it and confirm broadening changes here."
        )
    return [cdk, "deploy", f"{env.name}/*", "-c", f"env={env.name}", "--require-approval", approval]


def destroy_command(
    env: EnvironmentConfig, cdk: str, *, force: bool, stdin: TextIO, stderr: TextIO
) -> list[str]:
    """``cdk destroy '<env>/*' --force``, once the guard's rules are met; raises ``ToolError`` if not."""
    if env.tier == "production":
        raise ToolError(
            f"refusing to destroy {env.name}: it is tier production. Production user pools keep "
            "deletion protection and RETAIN; removing one is a manual, reviewed change, not a make target."
        )
    if not force:
        stderr.write(
            f"This deletes every stack of {env.name} (tier {env.tier}), including its user pool and "
            f"users unless they are retained.\nType the environment name ({env.name}) to confirm: "
        )
        stderr.flush()
        answer = stdin.readline().strip()
        if answer != env.name:
            raise ToolError(f"confirmation {answer!r} does not match {env.name!r}; nothing was destroyed")
    return [cdk, "destroy", f"{env.name}/*", "-c", f"env={env.name}", "--force"]


def diff_command(env: EnvironmentConfig, cdk: str, *, in_pipeline: bool = False) -> list[str]:
    """``cdk diff '<env>/*'`` (needs credentials for the environment's account).

    An environment that the pipeline deploys is a Stage inside the ``Pipeline`` stack instead.
    """
    stage = f"Pipeline/{env.name}" if in_pipeline else env.name
    return [cdk, "diff", f"{stage}/*", "-c", f"env={env.name}"]


def bootstrap_command(
    env: EnvironmentConfig, cdk: str, trust: Sequence[str], policies: Sequence[str]
) -> list[str]:
    """``cdk bootstrap`` of the environment's account and region, plus us-east-1 for a certificate stack.

    Trusting another account (a pipeline or CI account) requires explicit execution policies, so the
    trusted account never silently gets CDK's default AdministratorAccess.
    """
    if trust and not policies:
        raise UsageError(
            "TRUST needs EXECUTION_POLICIES: name the managed policy ARNs CloudFormation may deploy with "
            "for the trusted account (CDK would otherwise default to AdministratorAccess)"
        )
    command = [cdk, "bootstrap"]
    if env.account is not None and env.region is not None:
        regions = [env.region]
        custom = env.domain.custom
        if custom is not None and custom.certificate_arn is None and env.region != CERTIFICATE_REGION:
            regions.append(CERTIFICATE_REGION)
        command += [f"aws://{env.account}/{region}" for region in regions]
    else:
        # No account in config: the CLI bootstraps the app's environments with the caller's account.
        command += ["-c", f"env={env.name}"]
    for account in trust:
        command += ["--trust", account]
    if policies:
        command += ["--cloudformation-execution-policies", ",".join(policies)]
    return command


def _split(values: str) -> list[str]:
    return [v for v in values.replace(",", " ").split() if v]


def main(argv: Sequence[str] | None = None, *, stdin: TextIO = sys.stdin, stderr: TextIO = sys.stderr) -> int:
    parser = argparse.ArgumentParser(prog="deploy_guard", description=__doc__.splitlines()[0])
    parser.add_argument("verb", choices=("deploy", "destroy", "diff", "bootstrap"))
    parser.add_argument("--env", default="", help="environment name (config/<env>.yaml)")
    parser.add_argument("--cdk", required=True, help="path of the CDK CLI to run")
    parser.add_argument(
        "--approval", default="", help=f"deploy: {' | '.join(APPROVALS)} (default broadening)"
    )
    parser.add_argument("--ci", action="store_true", help="running in CI behind a protected environment")
    parser.add_argument("--force", action="store_true", help="destroy: skip the typed confirmation")
    parser.add_argument(
        "--trust", default="", help="bootstrap: account IDs to trust (space or comma separated)"
    )
    parser.add_argument("--execution-policies", default="", help="bootstrap: managed policy ARNs")
    parser.add_argument("--config-dir", type=Path, default=CONFIG_DIR, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    try:
        env = resolve_environment(args.env.strip(), args.config_dir)
        pipeline = load_pipeline(args.config_dir)
        in_pipeline = pipeline.enabled and env.name in pipeline.environments
        if in_pipeline and args.verb in ("deploy", "destroy"):
            branch = pipeline.source.branch if pipeline.source else "its branch"
            raise ToolError(
                f"{env.name} is deployed by the CDK pipeline {pipeline.name!r} "
                f"(config/pipeline/pipeline.yaml); push to {branch} instead of running make {args.verb}"
            )
        if args.verb == "deploy":
            command = deploy_command(env, args.cdk, args.approval or "broadening", ci=args.ci)
        elif args.verb == "destroy":
            command = destroy_command(env, args.cdk, force=args.force, stdin=stdin, stderr=stderr)
        elif args.verb == "diff":
            command = diff_command(env, args.cdk, in_pipeline=in_pipeline)
        else:
            command = bootstrap_command(env, args.cdk, _split(args.trust), _split(args.execution_policies))
    except (UsageError, ConfigError) as exc:
        stderr.write(f"make {args.verb}: {exc}\n")
        return EXIT_USAGE
    except ToolError as exc:
        stderr.write(f"make {args.verb}: {exc}\n")
        return EXIT_REFUSED
    stderr.write(f"+ {' '.join(command)}\n")
    stderr.flush()
    os.execv(command[0], command)  # noqa: S606 - the CDK CLI path comes from the Makefile, not user data
    return 0  # pragma: no cover - execv does not return


if __name__ == "__main__":
    sys.exit(main())

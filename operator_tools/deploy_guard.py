"""The checks in front of ``make deploy/destroy/diff/bootstrap/pipeline``, then the CDK CLI command itself.

Guarantees, before the CDK CLI starts (so before any synth or AWS call):

- a missing or unknown ``ENV`` stops with the list of environments and the closest name (exit 2);
- ``destroy`` refuses a production-tier environment outright, and for any other tier runs only after
  the environment's name is typed back exactly, unless ``--force`` (``FORCE=1``) is given (exit 1);
- ``deploy`` asks for approval of security-broadening changes (IAM, security groups) by default.
  ``--approval never`` is refused for a production-tier environment outside CI, because there the
  approval is the person at the terminal; in CI it is the GitHub environment's required reviewers;
- an environment that an enabled CDK pipeline deploys is not deployed or destroyed from here, and
  ``pipeline`` refuses while the pipeline is disabled;
- without AWS credentials, every verb stops with one line (``operator_tools.credentials``).

Tier decides, never the name: ``prod`` is special because its config says ``tier: production``.
The command is run with ``os.execv``, so its exit code is ``make``'s.

Usage: ``python -m operator_tools.deploy_guard {deploy,destroy,diff,bootstrap} --env NAME --cdk PATH``
or ``python -m operator_tools.deploy_guard pipeline --cdk PATH``
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

from cdk_app.config.loading.project import load_pipeline

from cdk_app.config import ConfigError, EnvironmentConfig
from cdk_app.config.loading.loader import CONFIG_DIR
from cdk_app.config.pipeline import PIPELINE_FILE, SHOWN_PIPELINE_FILE, PipelineConfig
from cdk_app.contracts import CERTIFICATE_REGION, PIPELINE_STACK
from operator_tools.deploy_target import aws_environment, command_environment
from operator_tools.environment import choose_environment
from operator_tools.errors import EXIT_FAILED, EXIT_USAGE, ToolError, UsageError

EXIT_REFUSED = EXIT_FAILED
APPROVALS = ("broadening", "any-change", "never")
ENVIRONMENT_VERBS = ("deploy", "destroy", "diff", "bootstrap")
# Plain text for --help (the module docstring above is for readers of the code).
DESCRIPTION = (
    "The checks in front of make deploy/destroy/diff/bootstrap/pipeline: the environment exists, "
    "production is never destroyed, broadening changes need approval, pipeline-deployed environments "
    "are left to the pipeline, and AWS credentials are present. Then it runs the CDK CLI command."
)


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


def refuse_production_destroy(env: EnvironmentConfig) -> None:
    """A ``ToolError`` for a production-tier environment, whatever ``FORCE`` says."""
    if env.tier == "production":
        raise ToolError(
            f"refusing to destroy {env.name}: it is tier production. Production user pools keep "
            "deletion protection and RETAIN; removing one is a manual, reviewed change, not a make target."
        )


def destroy_command(
    env: EnvironmentConfig, cdk: str, *, force: bool, stdin: TextIO, stderr: TextIO
) -> list[str]:
    """``cdk destroy '<env>/*' --force``, once the guard's rules are met; raises ``ToolError`` if not."""
    refuse_production_destroy(env)
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
    stage = f"{PIPELINE_STACK}/{env.name}" if in_pipeline else env.name
    return [cdk, "diff", f"{stage}/*", "-c", f"env={env.name}"]


def bootstrap_command(
    env: EnvironmentConfig, cdk: str, trust: Sequence[str], policies: Sequence[str]
) -> list[str]:
    """``cdk bootstrap`` of the environment's account and region, plus ``CERTIFICATE_REGION`` for a
    certificate stack.

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
        if env.domain.needs_certificate_stack and env.region != CERTIFICATE_REGION:
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


def pipeline_command(pipeline: PipelineConfig, cdk: str, config_dir: Path) -> list[str]:
    """``cdk deploy Pipeline``, the pipeline's first deploy; a ``ToolError`` while it is disabled."""
    if not pipeline.enabled:
        why = "says enabled: false" if (config_dir / PIPELINE_FILE).is_file() else "does not exist"
        raise ToolError(
            f"the CDK pipeline is disabled: {SHOWN_PIPELINE_FILE} {why}. Set enabled: true there "
            "(see docs/deploying.md), or deploy one environment with make deploy ENV=<env>"
        )
    return [cdk, "deploy", PIPELINE_STACK, "--require-approval", "broadening"]


def _split(values: str) -> list[str]:
    return [v for v in values.replace(",", " ").split() if v]


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="deploy_guard", description=DESCRIPTION)
    parser.add_argument("verb", choices=(*ENVIRONMENT_VERBS, "pipeline"))
    parser.add_argument("--env", default="", help="environment name (config/<env>.yaml); not for pipeline")
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
    return parser


def _command(args: argparse.Namespace, stdin: TextIO, stderr: TextIO) -> tuple[list[str], dict[str, str]]:
    """The CDK CLI command for ``args.verb`` and the process environment it runs in, once every rule
    above is met (else ``ToolError``). Where the environment's calls go is ``deploy_target``'s rule."""
    if args.verb == "pipeline":
        command = pipeline_command(load_pipeline(args.config_dir), args.cdk, args.config_dir)
        return command, aws_environment("the pipeline deploys to AWS", "make pipeline", os.environ)
    env = choose_environment(args.env, args.verb, args.config_dir)
    pipeline = load_pipeline(args.config_dir)
    in_pipeline = pipeline.enabled and env.name in pipeline.environments
    if in_pipeline and args.verb in ("deploy", "destroy"):
        branch = pipeline.source.branch if pipeline.source else "its branch"
        raise ToolError(
            f"{env.name} is deployed by the CDK pipeline {pipeline.name!r} "
            f"({SHOWN_PIPELINE_FILE}); push to {branch} instead of running make {args.verb}"
        )
    if args.verb == "destroy":
        # Refusals and the credentials come before the prompt: never ask for a name to no effect.
        refuse_production_destroy(env)
        environment = command_environment(env, f"make destroy ENV={env.name}")
        return destroy_command(env, args.cdk, force=args.force, stdin=stdin, stderr=stderr), environment
    if args.verb == "deploy":
        # On the emulator nothing reaches a real account, so there is no broadening change to confirm.
        default = "never" if env.deploy_target == "emulator" else "broadening"
        command = deploy_command(env, args.cdk, args.approval or default, ci=args.ci)
    elif args.verb == "diff":
        command = diff_command(env, args.cdk, in_pipeline=in_pipeline)
    else:
        command = bootstrap_command(env, args.cdk, _split(args.trust), _split(args.execution_policies))
    return command, command_environment(env, f"make {args.verb} ENV={env.name}")


def main(argv: Sequence[str] | None = None, *, stdin: TextIO = sys.stdin, stderr: TextIO = sys.stderr) -> int:
    """CLI entry point: check, then replace this process with the CDK CLI command (exit 0/1/2 if not)."""
    args = _parser().parse_args(argv)
    try:
        command, environment = _command(args, stdin, stderr)
    except (UsageError, ConfigError) as exc:
        stderr.write(f"make {args.verb}: {exc}\n")
        return EXIT_USAGE
    except ToolError as exc:
        stderr.write(f"make {args.verb}: {exc}\n")
        return EXIT_REFUSED
    stderr.write(f"+ {' '.join(command)}\n")
    stderr.flush()
    os.execve(command[0], command, environment)  # noqa: S606 - the CLI path comes from the Makefile
    return 0  # pragma: no cover - execv does not return


if __name__ == "__main__":
    sys.exit(main())

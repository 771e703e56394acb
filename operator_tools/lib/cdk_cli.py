"""The CDK CLI as the deploying verbs run it: the commands' shapes, the pipeline's claim on an
environment, and handing the process over to the CLI.

Guarantees: every command selects exactly one environment's stacks (``'<env>/*'`` and ``-c env=<env>``,
or the Stage inside the ``Pipeline`` stack for an environment the pipeline deploys); ``exec_cdk``
runs only a command whose every check has passed (its caller builds it first), prints it, and
replaces this process with it, so the CLI's exit code is ``make``'s. The rules about *whether* a
command may run (approval, production, confirmation) belong to each verb.
"""

from __future__ import annotations

import argparse
import os
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TextIO

from cdk_app.config import EnvironmentConfig
from cdk_app.config.loading import load_pipeline
from cdk_app.config.loading.loader import CONFIG_DIR
from cdk_app.config.pipeline import SHOWN_PIPELINE_FILE, PipelineConfig
from cdk_app.contracts import PIPELINE_STACK
from operator_tools.lib.cli import run_cli
from operator_tools.lib.errors import ToolError


def deploy_command(config: EnvironmentConfig, cdk: str, approval: str) -> list[str]:
    """``cdk deploy '<env>/*'`` asking for approval at ``approval`` (``--require-approval``)."""
    return [cdk, "deploy", f"{config.name}/*", "-c", f"env={config.name}", "--require-approval", approval]


def destroy_command(config: EnvironmentConfig, cdk: str) -> list[str]:
    """``cdk destroy '<env>/*' --force``: the CLI asks nothing, so the verb must have asked first."""
    return [cdk, "destroy", f"{config.name}/*", "-c", f"env={config.name}", "--force"]


def diff_command(config: EnvironmentConfig, cdk: str, *, in_pipeline: bool = False) -> list[str]:
    """``cdk diff '<env>/*'``; an environment the pipeline deploys is a Stage inside the ``Pipeline``
    stack, so that is what its diff selects."""
    stage = f"{PIPELINE_STACK}/{config.name}" if in_pipeline else config.name
    return [cdk, "diff", f"{stage}/*", "-c", f"env={config.name}"]


def pipeline_deploying(config: EnvironmentConfig, config_dir: Path) -> PipelineConfig | None:
    """The enabled CDK pipeline that deploys ``config``'s environment, if there is one."""
    pipeline = load_pipeline(config_dir)
    return pipeline if pipeline.enabled and config.name in pipeline.environments else None


def refuse_if_pipeline_deploys(config: EnvironmentConfig, verb: str, config_dir: Path) -> None:
    """A ``ToolError`` when an enabled pipeline deploys the environment: it is not changed from here."""
    pipeline = pipeline_deploying(config, config_dir)
    if pipeline is not None:
        branch = pipeline.source.branch if pipeline.source else "its branch"
        raise ToolError(
            f"{config.name} is deployed by the CDK pipeline {pipeline.name!r} "
            f"({SHOWN_PIPELINE_FILE}); push to {branch} instead of running make {verb}"
        )


def cdk_parser(verb: str, description: str, *, takes_env: bool = True) -> argparse.ArgumentParser:
    """The options every deploying verb takes: ``--env`` (unless ``takes_env`` is False) and ``--cdk``."""
    parser = argparse.ArgumentParser(prog=verb, description=description)
    if takes_env:
        # Not argparse-required: a missing ENV gets the list of environments, as every make verb does.
        parser.add_argument("--env", default="", help="environment name (config/<env>.yaml)")
    parser.add_argument("--cdk", required=True, help="path of the CDK CLI to run")
    parser.add_argument("--config-dir", type=Path, default=CONFIG_DIR, help=argparse.SUPPRESS)
    return parser


def split_list(values: str) -> list[str]:
    """``"a, b c"`` as ``["a", "b", "c"]``: make variables list values separated by spaces or commas."""
    return [v for v in values.replace(",", " ").split() if v]


CommandBuilder = Callable[[], tuple[list[str], Mapping[str, str]]]


def exec_cdk(verb: str, build: CommandBuilder, *, stderr: TextIO) -> int:
    """Run ``build`` (which checks every rule and returns the command and its environ), print the
    command, and replace this process with it. A failed check is ``run_cli``'s one line (exit 1 or 2)."""

    def body() -> int:
        command, environ = build()
        stderr.write(f"+ {' '.join(command)}\n")
        stderr.flush()
        try:
            os.execve(command[0], command, dict(environ))  # noqa: S606 - the CLI path comes from the Makefile
        except OSError as exc:
            raise ToolError(f"cannot run {command[0]}: {exc.strerror}") from None
        return 0  # pragma: no cover - execve does not return

    return run_cli(f"make {verb}", body, stderr=stderr)

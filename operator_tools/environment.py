"""Choose an environment by name, and open a deployed one: the first step of every operator verb.

Guarantees:

- a missing or mistyped environment name is a ``UsageError`` (exit 2) that names the make verb, lists
  the environments and suggests the closest name;
- ``open_environment`` decides whether a verb needs AWS credentials at all (not when it reads the
  outputs from a file and calls nothing else), makes the boto3 session and reads the stack outputs.
  Where the calls go (AWS, or the emulator this project started, with the URLs it serves the hosted
  UI and the API at) is ``deploy_target``'s rule, applied here. Everything a tool later calls
  (Cognito, CloudFormation, the hosted UI, the API) comes from the ``DeployedEnvironment`` it returns.
"""

from __future__ import annotations

import difflib
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import boto3

from cdk_app.config import EnvironmentConfig, available_environments
from cdk_app.config.loading import load_environment
from cdk_app.config.loading.loader import CONFIG_DIR
from operator_tools.deploy_target import aws_environment, running_emulator
from operator_tools.errors import UsageError
from operator_tools.local import emulator
from operator_tools.local.outputs import local_outputs
from operator_tools.stack_outputs import StackOutputs, read_outputs_file, read_stack_outputs, resolve_region


def choose_environment(name: str, verb: str, config_dir: Path = CONFIG_DIR) -> EnvironmentConfig:
    """Load environment ``name`` for ``make <verb>``, or raise ``UsageError`` listing every environment.

    A mistyped name gets the closest known one as a suggestion (``make diff ENV=dev``).
    """
    known = available_environments(config_dir)
    listed = ", ".join(known) or "none (add config/<name>.yaml)"
    name = name.strip()
    if not name:
        example = known[0] if known else "dev"
        raise UsageError(f"ENV is required, e.g. make {verb} ENV={example}; environments: {listed}")
    if name not in known:
        close = difflib.get_close_matches(name, known, n=1)
        hint = f" (did you mean make {verb} ENV={close[0]}?)" if close else ""
        raise UsageError(f"no environment named {name!r}{hint}; environments: {listed}")
    return load_environment(name, config_dir)


@dataclass(frozen=True)
class DeployedEnvironment:
    """A deployed environment as a tool sees it: its config, its stack outputs and its AWS session."""

    config: EnvironmentConfig
    outputs: StackOutputs
    session: boto3.session.Session
    # The local emulator's endpoint for an emulator environment; None means AWS itself.
    endpoint_url: str | None = None

    def client(self, service: str) -> Any:
        """A boto3 client for ``service`` in the environment's region (on the emulator, if local)."""
        return self.session.client(service, endpoint_url=self.endpoint_url)


def open_environment(
    config: EnvironmentConfig,
    *,
    verb: str,
    outputs_file: Path | None = None,
    calls_aws: bool = True,
    environ: Mapping[str, str] = os.environ,
) -> DeployedEnvironment:
    """Check credentials if anything will need them, then read the outputs (from ``outputs_file``, a
    ``cdk deploy --outputs-file`` JSON, or with ``DescribeStacks``).

    ``calls_aws`` says whether the tool itself calls AWS later (besides reading the outputs); with an
    ``outputs_file`` and no such calls, no credentials are needed. Raises only ``ToolError``.
    """
    command = f"make {verb} ENV={config.name}"
    if config.deploy_target == "emulator":
        return _open_on_emulator(config, command, outputs_file)
    if outputs_file is None or calls_aws:
        aws_environment(f"{config.name} is a real environment (deploy_target: aws)", command, environ)
    session = boto3.session.Session(region_name=resolve_region(config, environ))
    return DeployedEnvironment(
        config, _outputs(config, lambda: session.client("cloudformation"), outputs_file), session
    )


def _open_on_emulator(
    config: EnvironmentConfig, command: str, outputs_file: Path | None
) -> DeployedEnvironment:
    """The same environment on the local emulator: its keys, its endpoint, its URLs for the outputs."""
    running = running_emulator(config)
    session = boto3.session.Session(
        aws_access_key_id=emulator.DUMMY_KEY_ID,
        aws_secret_access_key=emulator.DUMMY_SECRET,
        region_name=running.region,
    )
    outputs = _outputs(
        config, lambda: session.client("cloudformation", endpoint_url=running.endpoint), outputs_file
    )
    return DeployedEnvironment(config, local_outputs(outputs, running.endpoint), session, running.endpoint)


def _outputs(
    config: EnvironmentConfig, cloudformation: Callable[[], Any], outputs_file: Path | None
) -> StackOutputs:
    if outputs_file is not None:
        return read_outputs_file(config, outputs_file)
    return read_stack_outputs(config, cloudformation())

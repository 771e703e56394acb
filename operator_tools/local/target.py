"""Where an environment's AWS calls go: the AWS account, or the emulator this project started.

The one home of the choice between the two deploy targets (``deploy_target`` in config):

- ``emulator`` (config/local.yaml): every call goes to the running emulator, with its dummy keys; the
  caller's profile, keys and endpoint are removed (``emulator.client_env``), and the outputs' AWS URLs
  are mapped to where the emulator serves them. With no emulator running it is refused rather than
  sent anywhere else.
- ``aws``: ``lib.deploy_target``'s rule: the caller's own credentials, and no endpoint override.

It sits in local/ because one side of the choice is the emulator, and lib/ never imports local/. The
verbs call ``open_deployment`` (to read outputs and call AWS APIs) and ``command_environ`` (to run
the CDK CLI).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

import boto3

from cdk_app.config import EnvironmentConfig
from operator_tools.lib.deploy_target import aws_environ
from operator_tools.lib.deployment import Deployment, open_on_aws, read_outputs
from operator_tools.lib.errors import ToolError
from operator_tools.local import emulator
from operator_tools.local.outputs import local_outputs


def running_emulator(config: EnvironmentConfig) -> emulator.Emulator:
    """The emulator an emulator environment's calls go to; ``ToolError`` when none is running."""
    running = emulator.find()
    if running is None:
        raise ToolError(
            f"{config.name} deploys to the local emulator, which is not running; "
            f"start it (and deploy) with make up ENV={config.name}"
        )
    return running


def command_environ(
    config: EnvironmentConfig, command: str, environ: Mapping[str, str] | None = None
) -> dict[str, str]:
    """The environ ``command`` (``make deploy ENV=dev``) may run in for ``config``.

    Raises ``ToolError`` when none is safe: no emulator for an emulator environment; an endpoint
    override or no credentials for a real one.
    """
    environ = dict(os.environ if environ is None else environ)
    if config.deploy_target == "emulator":
        return emulator.client_env(running_emulator(config), environ)
    return aws_environ(f"{config.name} is a real environment (deploy_target: aws)", command, environ)


def open_deployment(
    config: EnvironmentConfig,
    *,
    verb: str,
    outputs_file: Path | None = None,
    calls_aws: bool = True,
    environ: Mapping[str, str] = os.environ,
) -> Deployment:
    """Open ``config``'s deployment for ``make <verb>``: on the emulator, or on AWS
    (``lib.deployment.open_on_aws``, which says when credentials are needed). Raises only ``ToolError``."""
    command = f"make {verb} ENV={config.name}"
    if config.deploy_target == "emulator":
        return _open_on_emulator(config, outputs_file)
    return open_on_aws(
        config, command=command, outputs_file=outputs_file, calls_aws=calls_aws, environ=environ
    )


def _open_on_emulator(config: EnvironmentConfig, outputs_file: Path | None) -> Deployment:
    """The same environment on the local emulator: its keys, its endpoint, its URLs for the outputs."""
    running = running_emulator(config)
    session = boto3.session.Session(
        aws_access_key_id=emulator.DUMMY_KEY_ID,
        aws_secret_access_key=emulator.DUMMY_SECRET,
        region_name=running.region,
    )
    outputs = read_outputs(
        config, lambda: session.client("cloudformation", endpoint_url=running.endpoint), outputs_file
    )
    return Deployment(config, local_outputs(outputs, running.endpoint), session, running.endpoint)

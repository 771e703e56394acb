"""A deployed environment as a verb sees it, and how one on AWS itself is opened.

Guarantees of ``open_on_aws``: AWS credentials are checked (and endpoint overrides refused, see
``deploy_target``) before anything else, unless the verb needs no AWS call at all (outputs read from
a file, and ``calls_aws=False``); the boto3 session is in the environment's region; the outputs are
read and checked once (``stack_outputs``). Everything a verb later calls (Cognito, CloudFormation,
the hosted UI, the API) comes from the ``Deployment`` returned. An environment on the emulator is
opened by ``operator_tools.local.target.open_deployment``, which hands AWS ones to this module.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import boto3

from cdk_app.config import EnvironmentConfig
from cdk_app.config.clients import ClientConfig
from operator_tools.lib.deploy_target import aws_environ
from operator_tools.lib.stack_outputs import (
    StackOutputs,
    read_outputs_file,
    read_stack_outputs,
    read_tenant_client_id,
    resolve_region,
)


@dataclass(frozen=True)
class Deployment:
    """An environment as deployed: its config, its stack outputs and an AWS session that reaches it."""

    config: EnvironmentConfig
    outputs: StackOutputs
    session: boto3.session.Session
    # The local emulator's endpoint for an emulator environment; None means AWS itself.
    endpoint_url: str | None = None

    def client(self, service: str) -> Any:
        """A boto3 client for ``service`` in the environment's region (on the emulator, if local)."""
        return self.session.client(service, endpoint_url=self.endpoint_url)

    def outputs_for(self, client: ClientConfig) -> StackOutputs:
        """The outputs, holding ``client``'s ID: a tenant's client ID is an SSM parameter, not an
        output (a stack has at most 200), so it is read here (``ssm:GetParameter``)."""
        tenant = self.config.tenant_of_client(client.name)
        if tenant is None:
            return self.outputs
        client_id = read_tenant_client_id(self.config.name, tenant.name, self.client("ssm"))
        return self.outputs.with_client_id(client.name, client_id)


def open_on_aws(
    config: EnvironmentConfig,
    *,
    command: str,
    outputs_file: Path | None,
    calls_aws: bool,
    environ: Mapping[str, str],
) -> Deployment:
    """Check credentials if anything will need them, then read the outputs (from ``outputs_file``, a
    ``cdk deploy --outputs-file`` JSON, or with ``DescribeStacks``).

    ``calls_aws`` says whether the verb itself calls AWS later (besides reading the outputs); with an
    ``outputs_file`` and no such calls, no credentials are needed. ``command`` (``make smoke ENV=dev``)
    is what a refusal tells the user to run again. Raises only ``ToolError``.
    """
    if outputs_file is None or calls_aws:
        aws_environ(f"{config.name} is a real environment (deploy_target: aws)", command, environ)
    session = boto3.session.Session(region_name=resolve_region(config, environ))
    outputs = read_outputs(config, lambda: session.client("cloudformation"), outputs_file)
    return Deployment(config, outputs, session)


def read_outputs(
    config: EnvironmentConfig, cloudformation: Callable[[], Any], outputs_file: Path | None
) -> StackOutputs:
    """The outputs from ``outputs_file`` if given, else from the stacks (``cloudformation()`` is only
    made when it is needed)."""
    if outputs_file is not None:
        return read_outputs_file(config, outputs_file)
    return read_stack_outputs(config, cloudformation())

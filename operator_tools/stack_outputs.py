"""Read what a deployed environment exposes: the outputs of stacks ``<env>-Identity`` and ``<env>-Api``.

Guarantees: the result is a frozen, fully populated ``StackOutputs`` (every key the tools rely on is
present and non-empty, one client ID per configured client); anything missing is a ``ToolError`` that
names the stack and the output key. Secrets are never outputs, so nothing here is secret.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Any, Protocol

from botocore.exceptions import BotoCoreError, ClientError, NoCredentialsError, NoRegionError

from cdk_app.config import EnvironmentConfig
from cdk_app.config.clients import ClientConfig
from operator_tools.errors import ToolError

IDENTITY_KEYS = (
    "UserPoolId", "UserPoolArn", "IssuerUrl", "JwksUrl", "DomainBaseUrl",
    "AuthorizeEndpoint", "TokenEndpoint", "LogoutEndpoint",
)  # fmt: skip
API_KEYS = ("ApiBaseUrl", "MeRouteUrl", "ItemsRouteUrl", "AdminRouteUrl")


class CloudFormationClient(Protocol):
    """The one call we make; a boto3 ``cloudformation`` client satisfies it."""

    def describe_stacks(self, *, StackName: str) -> Mapping[str, Any]: ...  # noqa: N803 (AWS's name)


@dataclass(frozen=True)
class StackOutputs:
    """The outputs of one environment's two stacks. ``client_ids`` maps config client name to client ID."""

    env: str
    user_pool_id: str
    user_pool_arn: str
    issuer_url: str
    jwks_url: str
    domain_base_url: str
    authorize_endpoint: str
    token_endpoint: str
    logout_endpoint: str
    client_ids: Mapping[str, str]
    api_base_url: str
    me_route_url: str
    items_route_url: str
    admin_route_url: str

    def client_id(self, client: ClientConfig) -> str:
        """The deployed ID of a configured client (present for every client: checked when read)."""
        return self.client_ids[client.name]


def identity_stack_name(env: str) -> str:
    return f"{env}-Identity"


def api_stack_name(env: str) -> str:
    return f"{env}-Api"


def client_output_key(client: ClientConfig) -> str:
    """``SpaClient`` -> ``SpaClientId``: the output the Identity stack gives each client."""
    return f"{client.construct_id}Id"


def outputs_from_mapping(
    config: EnvironmentConfig, by_stack: Mapping[str, Mapping[str, str]]
) -> StackOutputs:
    """Build ``StackOutputs`` from ``{stack name: {output key: value}}`` (the shape ``cdk deploy
    --outputs-file`` writes), checking every key the tools need."""
    identity, api = identity_stack_name(config.name), api_stack_name(config.name)

    def need(stack: str, key: str) -> str:
        outputs = by_stack.get(stack)
        if outputs is None:
            raise ToolError(f"stack {stack} has no outputs here; is environment {config.name!r} deployed?")
        value = outputs.get(key)
        if not isinstance(value, str) or not value:
            raise ToolError(f"stack {stack} has no output {key!r}; redeploy with the current stacks")
        return value

    ids = {c.name: need(identity, client_output_key(c)) for c in config.clients}
    return StackOutputs(
        env=config.name,
        user_pool_id=need(identity, "UserPoolId"),
        user_pool_arn=need(identity, "UserPoolArn"),
        issuer_url=need(identity, "IssuerUrl"),
        jwks_url=need(identity, "JwksUrl"),
        domain_base_url=need(identity, "DomainBaseUrl"),
        authorize_endpoint=need(identity, "AuthorizeEndpoint"),
        token_endpoint=need(identity, "TokenEndpoint"),
        logout_endpoint=need(identity, "LogoutEndpoint"),
        client_ids=MappingProxyType(ids),
        api_base_url=need(api, "ApiBaseUrl"),
        me_route_url=need(api, "MeRouteUrl"),
        items_route_url=need(api, "ItemsRouteUrl"),
        admin_route_url=need(api, "AdminRouteUrl"),
    )


def read_stack_outputs(config: EnvironmentConfig, cloudformation: CloudFormationClient) -> StackOutputs:
    """Read both stacks with ``DescribeStacks`` (needs ``cloudformation:DescribeStacks``)."""
    stacks = (identity_stack_name(config.name), api_stack_name(config.name))
    return outputs_from_mapping(config, {name: _describe(cloudformation, name) for name in stacks})


def read_outputs_file(config: EnvironmentConfig, path: Path) -> StackOutputs:
    """Read the JSON file ``cdk deploy --outputs-file`` wrote: no AWS call, so no credentials needed."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ToolError(f"cannot read outputs file {path}: {exc}") from None
    if not isinstance(data, dict) or not all(isinstance(v, dict) for v in data.values()):
        raise ToolError(f"outputs file {path} is not {{stack name: {{output key: value}}}}")
    return outputs_from_mapping(config, data)


def resolve_region(config: EnvironmentConfig, environ: Mapping[str, str]) -> str:
    """The environment's region: the config's, else ``AWS_REGION`` / ``AWS_DEFAULT_REGION``."""
    # The config wins: the stacks were deployed to the config's region whatever the shell says.
    region = config.region or environ.get("AWS_REGION") or environ.get("AWS_DEFAULT_REGION")
    if not region:
        raise ToolError(f"environment {config.name!r} sets no region; set AWS_REGION")
    return region


def _describe(cloudformation: CloudFormationClient, stack: str) -> dict[str, str]:
    try:
        answer = cloudformation.describe_stacks(StackName=stack)
    except NoCredentialsError:
        raise ToolError(
            f"no AWS credentials to read stack {stack}; set AWS_PROFILE (or run `aws sso login`)"
        ) from None
    except NoRegionError:
        raise ToolError("no AWS region; set AWS_REGION") from None
    except ClientError as exc:
        error = exc.response.get("Error", {})
        message = str(error.get("Message", ""))
        if error.get("Code") == "ValidationError" and "does not exist" in message:
            raise ToolError(
                f"stack {stack} does not exist in this account/region; deploy it first or check AWS_PROFILE"
            ) from None
        raise ToolError(f"DescribeStacks {stack} failed: {error.get('Code')}: {message}") from None
    except BotoCoreError as exc:
        raise ToolError(f"DescribeStacks {stack} failed: {exc}") from None
    found = answer.get("Stacks") or []
    if not found:
        raise ToolError(f"stack {stack} does not exist in this account/region")
    return {o["OutputKey"]: o["OutputValue"] for o in found[0].get("Outputs", []) if "OutputValue" in o}

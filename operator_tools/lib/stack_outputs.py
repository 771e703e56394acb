"""Read what a deployed environment exposes: the outputs of its ``Identity`` and ``Api`` stacks.

Stack names and output keys come from ``cdk_app.contracts``, the same names the stacks are built with.

Guarantees: the result is a frozen ``StackOutputs`` in which every output the tools read is present and
non-empty (one client ID per configured client); anything missing is a ``ToolError`` that names the
stack and the output key. Outputs no tool reads are not required (``None`` when absent). Secrets are
never outputs, so nothing here is secret.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from types import MappingProxyType
from typing import Any, Protocol

from botocore.exceptions import BotoCoreError, ClientError, NoCredentialsError, NoRegionError

from cdk_app.config import EnvironmentConfig
from cdk_app.config.clients import ClientConfig
from cdk_app.contracts import (
    API_STACK,
    IDENTITY_STACK,
    ApiOutputs,
    IdentityOutputs,
    client_id_output,
    stack_name,
    tenant_client_id_parameter,
)
from operator_tools.lib.errors import ToolError

OutputsByStack = Mapping[str, Mapping[str, str]]
"""``{stack name: {output key: value}}``: the shape ``cdk deploy --outputs-file`` writes."""


class CloudFormationClient(Protocol):
    """The one call we make; a boto3 ``cloudformation`` client satisfies it."""

    def describe_stacks(self, *, StackName: str) -> Mapping[str, Any]: ...  # noqa: N803 (AWS's name)


@dataclass(frozen=True)
class StackOutputs:
    """The outputs the tools read, each checked when read. ``client_ids`` maps config client name to ID.

    The last fields are outputs no tool reads yet (kept for tests and samples to come): they are
    ``None`` when the deployed stacks lack them, instead of failing every tool.
    """

    env: str
    user_pool_id: str
    issuer_url: str
    discovery_url: str
    jwks_url: str
    authorize_endpoint: str
    token_endpoint: str
    client_ids: Mapping[str, str]
    api_base_url: str
    me_route_url: str
    admin_route_url: str
    domain_base_url: str | None = None
    logout_endpoint: str | None = None
    items_route_url: str | None = None
    # Only with SAML providers: what `make sp-metadata` tells the IdP (AWS's URL, on the emulator too).
    saml_sp_entity_id: str | None = None
    saml_acs_url: str | None = None

    def client_id(self, client: ClientConfig) -> str:
        """The deployed ID of a configured client (present for every client: checked when read)."""
        return self.client_ids[client.name]

    def with_client_id(self, name: str, client_id: str) -> StackOutputs:
        """These outputs and one more client's ID (a tenant's, read from its SSM parameter)."""
        return replace(self, client_ids=MappingProxyType({**self.client_ids, name: client_id}))


class SsmClient(Protocol):
    """The one SSM call we make; a boto3 ``ssm`` client satisfies it."""

    def get_parameter(self, *, Name: str) -> Mapping[str, Any]: ...  # noqa: N803 (AWS's name)


def read_tenant_client_id(env: str, tenant: str, ssm: SsmClient) -> str:
    """A tenant client's ID from its SSM parameter (``ssm:GetParameter``); raises ``ToolError``."""
    name = tenant_client_id_parameter(env, tenant)
    try:
        value = ssm.get_parameter(Name=name)["Parameter"]["Value"]
    except ClientError as exc:
        if exc.response.get("Error", {}).get("Code") == "ParameterNotFound":
            raise ToolError(
                f"tenant {tenant!r} of {env!r} has no client ID at SSM parameter {name}; "
                "is its tenant stack deployed?"
            ) from None
        raise ToolError(f"cannot read SSM parameter {name}: {exc}") from None
    except (BotoCoreError, NoCredentialsError, NoRegionError) as exc:
        raise ToolError(f"cannot read SSM parameter {name}: {exc}") from None
    if not isinstance(value, str) or not value:
        raise ToolError(f"SSM parameter {name} is empty; redeploy tenant {tenant!r}")
    return value


def outputs_from_mapping(config: EnvironmentConfig, by_stack: OutputsByStack) -> StackOutputs:
    """Build ``StackOutputs`` from ``{stack name: {output key: value}}``, checking every key read."""
    identity, api = stack_name(config.name, IDENTITY_STACK), stack_name(config.name, API_STACK)

    def need(stack: str, key: str) -> str:
        outputs = by_stack.get(stack)
        if outputs is None:
            raise ToolError(f"stack {stack} has no outputs here; is environment {config.name!r} deployed?")
        value = outputs.get(key)
        if not isinstance(value, str) or not value:
            raise ToolError(f"stack {stack} has no output {key!r}; redeploy with the current stacks")
        return value

    def may(stack: str, key: str) -> str | None:
        value = by_stack.get(stack, {}).get(key)
        return value if isinstance(value, str) and value else None

    ids = {c.name: need(identity, client_id_output(c.construct_id)) for c in config.clients}
    issuer = need(identity, IdentityOutputs.ISSUER_URL)
    return StackOutputs(
        env=config.name,
        user_pool_id=need(identity, IdentityOutputs.USER_POOL_ID),
        issuer_url=issuer,
        # Where the issuer publishes its OpenID configuration (OIDC Discovery 1.0, section 4).
        discovery_url=issuer + "/.well-known/openid-configuration",
        jwks_url=need(identity, IdentityOutputs.JWKS_URL),
        authorize_endpoint=need(identity, IdentityOutputs.AUTHORIZE_ENDPOINT),
        token_endpoint=need(identity, IdentityOutputs.TOKEN_ENDPOINT),
        client_ids=MappingProxyType(ids),
        api_base_url=need(api, ApiOutputs.API_BASE_URL),
        me_route_url=need(api, ApiOutputs.ME_ROUTE_URL),
        admin_route_url=need(api, ApiOutputs.ADMIN_ROUTE_URL),
        domain_base_url=may(identity, IdentityOutputs.DOMAIN_BASE_URL),
        logout_endpoint=may(identity, IdentityOutputs.LOGOUT_ENDPOINT),
        items_route_url=may(api, ApiOutputs.ITEMS_ROUTE_URL),
        saml_sp_entity_id=may(identity, IdentityOutputs.SAML_SP_ENTITY_ID),
        saml_acs_url=may(identity, IdentityOutputs.SAML_ACS_URL),
    )


def read_stack_outputs(config: EnvironmentConfig, cloudformation: CloudFormationClient) -> StackOutputs:
    """Read both stacks with ``DescribeStacks`` (needs ``cloudformation:DescribeStacks``)."""
    names = (stack_name(config.name, IDENTITY_STACK), stack_name(config.name, API_STACK))
    return outputs_from_mapping(config, {name: _describe(cloudformation, name) for name in names})


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

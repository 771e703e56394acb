"""Reading the two stacks' outputs: typed result, and one clear line for anything missing."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest
from botocore.stub import Stubber

from cdk_app.config import EnvironmentConfig
from operator_tools.lib.errors import ToolError
from operator_tools.lib.stack_outputs import (
    outputs_from_mapping,
    read_outputs_file,
    read_stack_outputs,
    resolve_region,
)
from tests.operator_tools.conftest import REGION, stubbed_client

IDENTITY = {
    "UserPoolId": "eu-west-1_AbCdEf123",
    "UserPoolArn": "arn:aws:cognito-idp:eu-west-1:111111111111:userpool/eu-west-1_AbCdEf123",
    "IssuerUrl": "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbCdEf123",
    "JwksUrl": "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbCdEf123/.well-known/jwks.json",
    "DomainBaseUrl": "https://sso-dev-example-1234.auth.eu-west-1.amazoncognito.com",
    "AuthorizeEndpoint": "https://sso-dev-example-1234.auth.eu-west-1.amazoncognito.com/oauth2/authorize",
    "TokenEndpoint": "https://sso-dev-example-1234.auth.eu-west-1.amazoncognito.com/oauth2/token",
    "LogoutEndpoint": "https://sso-dev-example-1234.auth.eu-west-1.amazoncognito.com/logout",
    "SpaClientId": "spaclientid0123456789abcd",
    "MachineClientId": "machineclientid0123456789",
}
API = {
    "ApiBaseUrl": "https://abc123.execute-api.eu-west-1.amazonaws.com/prod/",
    "MeRouteUrl": "https://abc123.execute-api.eu-west-1.amazonaws.com/prod/me",
    "ItemsRouteUrl": "https://abc123.execute-api.eu-west-1.amazonaws.com/prod/items",
    "AdminRouteUrl": "https://abc123.execute-api.eu-west-1.amazonaws.com/prod/admin",
}


def _stack(name: str, outputs: dict[str, str]) -> dict[str, Any]:
    return {
        "Stacks": [
            {
                "StackName": name,
                "CreationTime": dt.datetime(2025, 1, 1, tzinfo=dt.UTC),
                "StackStatus": "UPDATE_COMPLETE",
                "Outputs": [{"OutputKey": k, "OutputValue": v} for k, v in outputs.items()],
            }
        ]
    }


@pytest.fixture
def cloudformation(boto_session: boto3.session.Session) -> Iterator[tuple[Any, Stubber]]:
    client = stubbed_client(boto_session, "cloudformation")
    with Stubber(client) as stubber:
        yield client, stubber


def test_outputs_of_both_stacks_become_typed_fields(
    cloudformation: tuple[Any, Stubber], dev_config: EnvironmentConfig
) -> None:
    client, stubber = cloudformation
    stubber.add_response("describe_stacks", _stack("dev-Identity", IDENTITY), {"StackName": "dev-Identity"})
    stubber.add_response("describe_stacks", _stack("dev-Api", API), {"StackName": "dev-Api"})

    outputs = read_stack_outputs(dev_config, client)

    stubber.assert_no_pending_responses()
    assert outputs.issuer_url == IDENTITY["IssuerUrl"]
    assert outputs.token_endpoint == IDENTITY["TokenEndpoint"]
    assert outputs.me_route_url == API["MeRouteUrl"]
    assert dict(outputs.client_ids) == {
        "spa": "spaclientid0123456789abcd",
        "machine": "machineclientid0123456789",
    }
    with pytest.raises(AttributeError):
        outputs.issuer_url = "https://elsewhere"  # type: ignore[misc]


def test_missing_output_names_the_stack_and_the_key(
    cloudformation: tuple[Any, Stubber], dev_config: EnvironmentConfig
) -> None:
    client, stubber = cloudformation
    identity = {k: v for k, v in IDENTITY.items() if k != "MachineClientId"}
    stubber.add_response("describe_stacks", _stack("dev-Identity", identity))
    stubber.add_response("describe_stacks", _stack("dev-Api", API))

    with pytest.raises(ToolError, match=r"stack dev-Identity has no output 'MachineClientId'"):
        read_stack_outputs(dev_config, client)


def test_missing_stack_is_named_without_a_traceback(
    cloudformation: tuple[Any, Stubber], dev_config: EnvironmentConfig
) -> None:
    client, stubber = cloudformation
    stubber.add_response("describe_stacks", _stack("dev-Identity", IDENTITY))
    stubber.add_client_error(
        "describe_stacks",
        service_error_code="ValidationError",
        service_message="Stack with id dev-Api does not exist",
        http_status_code=400,
    )

    with pytest.raises(ToolError, match=r"stack dev-Api does not exist") as caught:
        read_stack_outputs(dev_config, client)
    assert caught.value.__suppress_context__  # `from None`: the CLI prints one line


def test_no_credentials_is_a_clear_error(
    dev_config: EnvironmentConfig, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("AWS_ACCESS_KEY_ID")
    monkeypatch.delenv("AWS_SECRET_ACCESS_KEY")
    monkeypatch.delenv("AWS_SESSION_TOKEN")
    # A fresh session: it must look for credentials now, and find none.
    client = boto3.session.Session().client("cloudformation", region_name=REGION)

    with pytest.raises(ToolError, match=r"no AWS credentials to read stack dev-Identity"):
        read_stack_outputs(dev_config, client)


def test_cdk_outputs_file_gives_the_same_result(dev_config: EnvironmentConfig, tmp_path: Path) -> None:
    path = tmp_path / "cdk-outputs.json"
    path.write_text(json.dumps({"dev-Identity": IDENTITY, "dev-Api": API}))

    outputs = read_outputs_file(dev_config, path)

    assert outputs.client_id(dev_config.clients[0]) == "spaclientid0123456789abcd"
    assert outputs.admin_route_url == API["AdminRouteUrl"]
    assert outputs.items_route_url == API["ItemsRouteUrl"]


def test_outputs_file_without_the_api_stack_is_refused(dev_config: EnvironmentConfig, tmp_path: Path) -> None:
    path = tmp_path / "cdk-outputs.json"
    path.write_text(json.dumps({"dev-Identity": IDENTITY}))

    with pytest.raises(ToolError, match=r"stack dev-Api has no outputs"):
        read_outputs_file(dev_config, path)


def test_region_comes_from_config_before_the_shell(dev_config: EnvironmentConfig) -> None:
    assert resolve_region(dev_config, {"AWS_REGION": "us-east-1"}) == "eu-west-1"
    regionless = dev_config.model_copy(update={"region": None})
    assert resolve_region(regionless, {"AWS_REGION": "us-east-1"}) == "us-east-1"
    with pytest.raises(ToolError, match="set AWS_REGION"):
        resolve_region(regionless, {})


# Read by smoke, login or the local tools: a deployment without one of these cannot be checked.
READ_BY_THE_TOOLS = [
    ("dev-Identity", "UserPoolId"),
    ("dev-Identity", "IssuerUrl"),
    ("dev-Identity", "JwksUrl"),
    ("dev-Identity", "AuthorizeEndpoint"),
    ("dev-Identity", "TokenEndpoint"),
    ("dev-Identity", "SpaClientId"),
    ("dev-Api", "ApiBaseUrl"),
    ("dev-Api", "MeRouteUrl"),
    ("dev-Api", "AdminRouteUrl"),
]


@pytest.mark.parametrize(("stack", "key"), READ_BY_THE_TOOLS)
def test_every_output_the_tools_read_is_required(dev_config: EnvironmentConfig, stack: str, key: str) -> None:
    by_stack = {"dev-Identity": dict(IDENTITY), "dev-Api": dict(API)}
    del by_stack[stack][key]

    with pytest.raises(ToolError, match=rf"^stack {stack} has no output '{key}'; redeploy"):
        outputs_from_mapping(dev_config, by_stack)


def test_outputs_no_tool_reads_are_not_required(dev_config: EnvironmentConfig) -> None:
    unread = {"UserPoolArn", "DomainBaseUrl", "LogoutEndpoint", "ItemsRouteUrl"}
    identity = {k: v for k, v in IDENTITY.items() if k not in unread}
    api = {k: v for k, v in API.items() if k not in unread}

    outputs = outputs_from_mapping(dev_config, {"dev-Identity": identity, "dev-Api": api})

    assert outputs.me_route_url == API["MeRouteUrl"]
    assert (outputs.domain_base_url, outputs.logout_endpoint, outputs.items_route_url) == (None, None, None)
    full = outputs_from_mapping(dev_config, {"dev-Identity": IDENTITY, "dev-Api": API})
    assert full.domain_base_url == IDENTITY["DomainBaseUrl"]
    assert full.logout_endpoint == IDENTITY["LogoutEndpoint"]

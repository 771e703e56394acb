"""A tenant's client ID is an SSM parameter, not a stack output: the verbs that need a client's ID
(`make login`, `make outputs`) read it from there when the client is a tenant file's."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from botocore.stub import Stubber

from cdk_app.config import EnvironmentConfig
from cdk_app.config.loading import load_environment
from cdk_app.contracts import tenant_client_id_parameter
from operator_tools.lib.deployment import Deployment
from operator_tools.lib.errors import ToolError
from operator_tools.lib.stack_outputs import StackOutputs, read_tenant_client_id
from tests.fixtures.tenants import metadata_dir, prod_with_tenants
from tests.operator_tools.conftest import stubbed_client

TENANT_CLIENT_ID = "tenant1234567890abcdefghij"


@pytest.fixture(scope="module")
def prod(tmp_path_factory: pytest.TempPathFactory) -> Iterator[EnvironmentConfig]:
    config_dir = tmp_path_factory.mktemp("tenants") / "config"
    prod_with_tenants(config_dir, 2)
    try:
        yield load_environment("prod", config_dir)
    finally:
        shutil.rmtree(metadata_dir(config_dir), ignore_errors=True)


def _ssm(boto_session: boto3.session.Session, name: str, *, value: str | None) -> tuple[Any, Stubber]:
    client = stubbed_client(boto_session, "ssm")
    stubber = Stubber(client)
    if value is None:
        stubber.add_client_error("get_parameter", "ParameterNotFound", expected_params={"Name": name})
    else:
        stubber.add_response(
            "get_parameter", {"Parameter": {"Name": name, "Value": value}}, expected_params={"Name": name}
        )
    stubber.activate()
    return client, stubber


def test_a_tenant_client_is_found_by_name_and_knows_its_tenant(prod: EnvironmentConfig) -> None:
    tenant = prod.tenants[0]
    assert tenant.client is not None
    assert prod.named_client(tenant.client.name) == tenant.client
    assert prod.tenant_of_client(tenant.client.name) == tenant
    own = prod.clients[0]
    assert prod.named_client(own.name) == own
    assert prod.tenant_of_client(own.name) is None


def test_the_outputs_for_a_tenant_client_carry_the_id_from_its_parameter(
    prod: EnvironmentConfig, outputs: StackOutputs, boto_session: boto3.session.Session
) -> None:
    tenant = prod.tenants[1]
    assert tenant.client is not None
    ssm, stubber = _ssm(boto_session, tenant_client_id_parameter("prod", tenant.name), value=TENANT_CLIENT_ID)

    class Session:
        def client(self, service: str, endpoint_url: str | None = None) -> Any:
            assert service == "ssm"
            return ssm

    deployed = Deployment(prod, outputs, Session())  # type: ignore[arg-type]
    assert deployed.outputs_for(tenant.client).client_id(tenant.client) == TENANT_CLIENT_ID
    stubber.assert_no_pending_responses()
    # The environment's own clients keep their output IDs, and no SSM call is made for them.
    assert deployed.outputs_for(prod.clients[0]) is outputs


def test_a_missing_parameter_is_one_line_naming_the_tenant_and_the_parameter(
    boto_session: boto3.session.Session,
) -> None:
    name = tenant_client_id_parameter("prod", "globex")
    ssm, _ = _ssm(boto_session, name, value=None)
    with pytest.raises(ToolError) as caught:
        read_tenant_client_id("prod", "globex", ssm)
    assert str(caught.value) == (
        f"tenant 'globex' of 'prod' has no client ID at SSM parameter {name}; is its tenant stack deployed?"
    )

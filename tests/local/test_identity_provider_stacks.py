"""The launcher's AWS::Cognito::UserPoolIdentityProvider provisioner, through the emulator's own
CloudFormation API: create, update in place, rename (a replacement), delete and rollback, on small
templates holding a user pool, a SAML provider (metadata with an HTTP-Redirect sign-in endpoint)
and an OIDC provider. Each test deploys its own stack on one emulator started through the launcher."""

from __future__ import annotations

import copy
import json
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from operator_tools.local import aws, emulator
from tests.operator_tools.conftest import free_port

pytestmark = pytest.mark.emulator

ROOT = Path(__file__).resolve().parents[2]
REGION = "eu-west-1"
METADATA = (ROOT / "config" / "saml" / "acme-corp.xml").read_text(encoding="utf-8")
EMAIL_CLAIM = "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress"
NAME_CLAIM = "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/name"


def template() -> dict[str, Any]:
    """A pool with a SAML and an OIDC provider and a client that offers both (CDK's shapes)."""
    return {
        "Resources": {
            "Pool": {"Type": "AWS::Cognito::UserPool", "Properties": {"UserPoolName": "launcher-test"}},
            "Saml": {
                "Type": "AWS::Cognito::UserPoolIdentityProvider",
                "Properties": {
                    "UserPoolId": {"Ref": "Pool"},
                    "ProviderName": "AcmeCorp",
                    "ProviderType": "SAML",
                    # CDK writes these booleans as JSON booleans; the API takes strings.
                    "ProviderDetails": {
                        "MetadataFile": METADATA,
                        "IDPSignout": False,
                        "RequestSigningAlgorithm": "rsa-sha256",
                    },
                    "AttributeMapping": {"email": EMAIL_CLAIM},
                    "IdpIdentifiers": ["acme.example.com"],
                },
            },
            "Oidc": {
                "Type": "AWS::Cognito::UserPoolIdentityProvider",
                "Properties": {
                    "UserPoolId": {"Ref": "Pool"},
                    "ProviderName": "PartnerOidc",
                    "ProviderType": "OIDC",
                    "ProviderDetails": {
                        "client_id": "partner-client",
                        "client_secret": "not-a-secret",
                        "attributes_request_method": "GET",
                        "oidc_issuer": "https://127.0.0.1:9443/issuer",
                        "authorize_scopes": "openid email profile",
                    },
                    "AttributeMapping": {"email": "email", "custom:idp_groups": "groups"},
                    "IdpIdentifiers": ["partner.example.com"],
                },
            },
            "Client": {
                "Type": "AWS::Cognito::UserPoolClient",
                "Properties": {
                    "UserPoolId": {"Ref": "Pool"},
                    "SupportedIdentityProviders": ["COGNITO", {"Ref": "Saml"}, {"Ref": "Oidc"}],
                },
            },
        },
        "Outputs": {
            "PoolId": {"Value": {"Ref": "Pool"}},
            "SamlName": {"Value": {"Ref": "Saml"}},
            "OidcName": {"Value": {"Ref": "Oidc"}},
        },
    }


def failing_after(body: dict[str, Any], logical_id: str) -> dict[str, Any]:
    """``body`` plus a resource that fails once ``logical_id`` has been updated: a group in a pool
    that does not exist, created after it."""
    body["Resources"]["Broken"] = {
        "Type": "AWS::Cognito::UserPoolGroup",
        "DependsOn": [logical_id],
        "Properties": {"UserPoolId": "eu-west-1_doesnotexist", "GroupName": "broken"},
    }
    return body


@pytest.fixture(scope="module")
def running(tmp_path_factory: pytest.TempPathFactory) -> Iterator[emulator.Emulator]:
    state = tmp_path_factory.mktemp("local")
    started, fresh = emulator.start(REGION, state_dir=state, port=free_port())
    assert fresh
    try:
        yield started
    finally:
        emulator.stop(state)


class Stack:
    """One test's stack on the emulator, deployed and changed through CloudFormation's API."""

    def __init__(self, clients: tuple[Any, Any], name: str) -> None:
        self.cloudformation, self.cognito = clients
        self.name = name

    def create(self, body: dict[str, Any]) -> str:
        self.cloudformation.create_stack(StackName=self.name, TemplateBody=json.dumps(body))
        return self.settle()

    def update(self, body: dict[str, Any]) -> str:
        self.cloudformation.update_stack(StackName=self.name, TemplateBody=json.dumps(body))
        return self.settle()

    def delete(self) -> str:
        self.cloudformation.delete_stack(StackName=self.name)
        return self.settle()

    def settle(self, timeout: float = 60) -> str:
        """The stack's status once no operation is in progress."""
        deadline = time.monotonic() + timeout
        while True:
            try:
                stacks = self.cloudformation.describe_stacks(StackName=self.name)["Stacks"]
            except self.cloudformation.exceptions.ClientError as exc:
                if "does not exist" in str(exc):
                    return "DELETE_COMPLETE"  # a deleted stack is not listed by name
                raise
            status = str(stacks[0]["StackStatus"])
            if not status.endswith("_IN_PROGRESS") or time.monotonic() > deadline:
                return status
            time.sleep(0.2)

    def outputs(self) -> dict[str, str]:
        stack = self.cloudformation.describe_stacks(StackName=self.name)["Stacks"][0]
        return {o["OutputKey"]: o["OutputValue"] for o in stack.get("Outputs", [])}

    def physical_id(self, logical_id: str) -> str:
        found = self.cloudformation.describe_stack_resource(StackName=self.name, LogicalResourceId=logical_id)
        return str(found["StackResourceDetail"]["PhysicalResourceId"])

    def provider(self, name: str) -> dict[str, Any]:
        pool = self.outputs()["PoolId"]
        found: dict[str, Any] = self.cognito.describe_identity_provider(UserPoolId=pool, ProviderName=name)
        return found["IdentityProvider"]

    def provider_names(self, pool: str) -> set[str]:
        listed = self.cognito.list_identity_providers(UserPoolId=pool, MaxResults=60)["Providers"]
        return {p["ProviderName"] for p in listed}

    def failure_reasons(self) -> list[str]:
        events = self.cloudformation.describe_stack_events(StackName=self.name)["StackEvents"]
        return [e.get("ResourceStatusReason", "") for e in events if e["ResourceStatus"].endswith("_FAILED")]


@pytest.fixture(scope="module")
def clients(running: emulator.Emulator) -> tuple[Any, Any]:
    return aws.client(running, "cloudformation"), aws.client(running, "cognito-idp")


@pytest.fixture
def stack(clients: tuple[Any, Any], request: pytest.FixtureRequest) -> Stack:
    return Stack(clients, "idp-" + request.node.name.replace("_", "-")[-100:].strip("-"))


def test_a_template_with_saml_and_oidc_providers_deploys_them_as_written(stack: Stack) -> None:
    assert stack.create(template()) == "CREATE_COMPLETE"
    outputs = stack.outputs()
    assert (outputs["SamlName"], outputs["OidcName"]) == ("AcmeCorp", "PartnerOidc")  # Ref is the name
    saml = stack.provider("AcmeCorp")
    assert saml["ProviderType"] == "SAML"
    assert saml["ProviderDetails"] == {
        "MetadataFile": METADATA,
        "IDPSignout": "false",
        "RequestSigningAlgorithm": "rsa-sha256",
    }
    assert saml["AttributeMapping"] == {"email": EMAIL_CLAIM}
    assert saml["IdpIdentifiers"] == ["acme.example.com"]
    oidc = stack.provider("PartnerOidc")
    assert oidc["ProviderType"] == "OIDC"
    assert oidc["ProviderDetails"]["oidc_issuer"] == "https://127.0.0.1:9443/issuer"
    assert oidc["AttributeMapping"] == {"email": "email", "custom:idp_groups": "groups"}
    client_id = stack.physical_id("Client")
    client = stack.cognito.describe_user_pool_client(UserPoolId=outputs["PoolId"], ClientId=client_id)
    assert client["UserPoolClient"]["SupportedIdentityProviders"] == ["COGNITO", "AcmeCorp", "PartnerOidc"]


def test_an_attribute_mapping_change_updates_the_same_provider_in_place(stack: Stack) -> None:
    assert stack.create(template()) == "CREATE_COMPLETE"
    before = stack.provider("AcmeCorp")
    changed = template()
    saml = changed["Resources"]["Saml"]["Properties"]
    saml["AttributeMapping"] = {"email": EMAIL_CLAIM, "name": NAME_CLAIM}
    saml["ProviderDetails"]["IDPSignout"] = True
    del saml["IdpIdentifiers"]  # dropped from the template: back to none
    assert stack.update(changed) == "UPDATE_COMPLETE"
    after = stack.provider("AcmeCorp")
    assert after["AttributeMapping"] == {"email": EMAIL_CLAIM, "name": NAME_CLAIM}
    assert after["ProviderDetails"]["IDPSignout"] == "true"
    assert after["IdpIdentifiers"] == []
    assert after["CreationDate"] == before["CreationDate"]  # the same provider, not a new one
    assert stack.physical_id("Saml") == "AcmeCorp"
    assert stack.provider("PartnerOidc")["IdpIdentifiers"] == ["partner.example.com"]  # untouched


def test_a_rename_replaces_the_provider_the_new_one_is_created_and_the_old_one_deleted(stack: Stack) -> None:
    assert stack.create(template()) == "CREATE_COMPLETE"
    pool = stack.outputs()["PoolId"]
    renamed = template()
    saml = renamed["Resources"]["Saml"]["Properties"]
    saml["ProviderName"] = "AcmeCorpV2"
    saml["IdpIdentifiers"] = ["acme-v2.example.com"]  # identifiers are unique in a pool
    assert stack.update(renamed) == "UPDATE_COMPLETE"
    assert stack.provider_names(pool) == {"AcmeCorpV2", "PartnerOidc"}
    assert stack.outputs()["SamlName"] == "AcmeCorpV2"
    assert stack.provider("AcmeCorpV2")["IdpIdentifiers"] == ["acme-v2.example.com"]
    client = stack.cognito.describe_user_pool_client(UserPoolId=pool, ClientId=stack.physical_id("Client"))
    assert client["UserPoolClient"]["SupportedIdentityProviders"] == ["COGNITO", "AcmeCorpV2", "PartnerOidc"]


def test_a_rename_that_keeps_the_identifiers_fails_and_leaves_the_old_provider(stack: Stack) -> None:
    # The new provider is created before the old one is deleted, so it cannot take the old one's
    # identifiers (what `make review` calls WILL FAIL): the update fails and rolls back.
    assert stack.create(template()) == "CREATE_COMPLETE"
    pool = stack.outputs()["PoolId"]
    renamed = template()
    renamed["Resources"]["Saml"]["Properties"]["ProviderName"] = "AcmeCorpV2"
    assert stack.update(renamed) == "UPDATE_ROLLBACK_COMPLETE"
    assert any("DuplicateProviderException" in reason for reason in stack.failure_reasons())
    assert stack.provider_names(pool) == {"AcmeCorp", "PartnerOidc"}
    assert stack.provider("AcmeCorp")["IdpIdentifiers"] == ["acme.example.com"]


def test_a_provider_removed_from_the_template_is_deleted_and_the_stack_delete_removes_the_rest(
    stack: Stack,
) -> None:
    assert stack.create(template()) == "CREATE_COMPLETE"
    pool = stack.outputs()["PoolId"]
    without = template()
    del without["Resources"]["Oidc"]
    del without["Outputs"]["OidcName"]
    without["Resources"]["Client"]["Properties"]["SupportedIdentityProviders"] = ["COGNITO", {"Ref": "Saml"}]
    assert stack.update(without) == "UPDATE_COMPLETE"
    assert stack.provider_names(pool) == {"AcmeCorp"}
    assert stack.delete() == "DELETE_COMPLETE"
    with pytest.raises(stack.cognito.exceptions.ResourceNotFoundException):
        stack.cognito.describe_user_pool(UserPoolId=pool)


def test_an_update_that_fails_after_an_in_place_change_rolls_the_provider_back(stack: Stack) -> None:
    assert stack.create(template()) == "CREATE_COMPLETE"
    changed = template()
    changed["Resources"]["Saml"]["Properties"]["AttributeMapping"] = {
        "email": EMAIL_CLAIM,
        "name": NAME_CLAIM,
    }
    changed["Resources"]["Saml"]["Properties"]["IdpIdentifiers"] = ["acme.example.com", "acme.example.org"]
    assert stack.update(failing_after(changed, "Saml")) == "UPDATE_ROLLBACK_COMPLETE"
    assert any("broken" in r or "not found" in r for r in stack.failure_reasons())
    saml = stack.provider("AcmeCorp")
    assert saml["AttributeMapping"] == {"email": EMAIL_CLAIM}
    assert saml["IdpIdentifiers"] == ["acme.example.com"]


def test_an_update_refused_for_another_providers_identifier_changes_nothing(stack: Stack) -> None:
    assert stack.create(template()) == "CREATE_COMPLETE"
    changed = template()
    saml = changed["Resources"]["Saml"]["Properties"]
    saml["AttributeMapping"] = {"email": EMAIL_CLAIM, "name": NAME_CLAIM}
    saml["IdpIdentifiers"] = ["acme.example.com", "partner.example.com"]  # PartnerOidc's
    assert stack.update(changed) == "UPDATE_ROLLBACK_COMPLETE"
    assert any("DuplicateProviderException" in reason for reason in stack.failure_reasons())
    after = stack.provider("AcmeCorp")
    assert after["AttributeMapping"] == {"email": EMAIL_CLAIM}  # not half-applied
    assert after["IdpIdentifiers"] == ["acme.example.com"]


def test_an_update_that_fails_after_a_rename_rolls_back_to_the_old_provider(stack: Stack) -> None:
    assert stack.create(template()) == "CREATE_COMPLETE"
    pool = stack.outputs()["PoolId"]
    renamed = template()
    renamed["Resources"]["Saml"]["Properties"]["ProviderName"] = "AcmeCorpV2"
    renamed["Resources"]["Saml"]["Properties"]["IdpIdentifiers"] = ["acme-v2.example.com"]
    assert stack.update(failing_after(renamed, "Saml")) == "UPDATE_ROLLBACK_COMPLETE"
    assert stack.provider_names(pool) == {"AcmeCorp", "PartnerOidc"}  # the new one deleted, the old kept
    assert stack.outputs()["SamlName"] == "AcmeCorp"
    assert stack.physical_id("Saml") == "AcmeCorp"


def test_a_type_change_under_the_same_name_is_refused_as_for_any_custom_named_resource(stack: Stack) -> None:
    assert stack.create(template()) == "CREATE_COMPLETE"
    changed = copy.deepcopy(template())
    changed["Resources"]["Oidc"]["Properties"]["ProviderType"] = "SAML"
    changed["Resources"]["Oidc"]["Properties"]["ProviderDetails"] = {"MetadataFile": METADATA}
    assert stack.update(changed) == "UPDATE_ROLLBACK_COMPLETE"
    assert any("custom-named resource requires replacing" in r for r in stack.failure_reasons())
    assert stack.provider("PartnerOidc")["ProviderType"] == "OIDC"


def test_an_existing_provider_is_imported_into_a_stack(stack: Stack) -> None:
    body = template()
    del body["Resources"]["Oidc"]
    del body["Outputs"]["OidcName"]
    body["Resources"]["Client"]["Properties"]["SupportedIdentityProviders"] = ["COGNITO", {"Ref": "Saml"}]
    assert stack.create(body) == "CREATE_COMPLETE"
    pool = stack.outputs()["PoolId"]
    stack.cognito.create_identity_provider(
        UserPoolId=pool,
        ProviderName="Adopted",
        ProviderType="OIDC",
        ProviderDetails={
            "client_id": "c",
            "authorize_scopes": "openid",
            "oidc_issuer": "https://127.0.0.1:1",
        },
    )
    with_import = copy.deepcopy(body)
    with_import["Resources"]["Adopted"] = {
        "Type": "AWS::Cognito::UserPoolIdentityProvider",
        "DeletionPolicy": "Retain",
        "Properties": {
            "UserPoolId": pool,
            "ProviderName": "Adopted",
            "ProviderType": "OIDC",
            "ProviderDetails": {
                "client_id": "c",
                "authorize_scopes": "openid",
                "oidc_issuer": "https://127.0.0.1:1",
            },
        },
    }
    stack.cloudformation.create_change_set(
        StackName=stack.name,
        ChangeSetName="adopt",
        ChangeSetType="IMPORT",
        TemplateBody=json.dumps(with_import),
        ResourcesToImport=[
            {
                "ResourceType": "AWS::Cognito::UserPoolIdentityProvider",
                "LogicalResourceId": "Adopted",
                "ResourceIdentifier": {"UserPoolId": pool, "ProviderName": "Adopted"},
            }
        ],
    )
    stack.cloudformation.get_waiter("change_set_create_complete").wait(
        StackName=stack.name, ChangeSetName="adopt", WaiterConfig={"Delay": 1, "MaxAttempts": 30}
    )
    stack.cloudformation.execute_change_set(StackName=stack.name, ChangeSetName="adopt")
    assert stack.settle() == "IMPORT_COMPLETE"
    assert stack.physical_id("Adopted") == "Adopted"

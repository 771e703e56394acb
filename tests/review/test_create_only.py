"""Create-only properties come from cfn-lint's bundled provider schemas, nested pointers included."""

from __future__ import annotations

import pytest
from cfnlint.schema import PROVIDER_SCHEMA_MANAGER

from change_review.core.model import ABSENT
from change_review.policy.create_only import create_only_pointers, is_under, values_at

COGNITO_TYPES = [
    "AWS::Cognito::UserPool",
    "AWS::Cognito::UserPoolClient",
    "AWS::Cognito::UserPoolDomain",
    "AWS::Cognito::UserPoolIdentityProvider",
    "AWS::Cognito::UserPoolResourceServer",
    "AWS::Cognito::UserPoolGroup",
    "AWS::Cognito::ManagedLoginBranding",
]


@pytest.mark.parametrize("resource_type", COGNITO_TYPES)
def test_pointers_match_what_cfn_lint_itself_loads(resource_type: str) -> None:
    schema = PROVIDER_SCHEMA_MANAGER.get_resource_schema("eu-west-1", resource_type).schema
    expected = {tuple(p.split("/")[2:]) for p in schema.get("createOnlyProperties", [])}
    assert set(create_only_pointers("eu-west-1", resource_type)) == expected


def test_the_examples_reviewers_rely_on_are_create_only() -> None:
    assert ("GenerateSecret",) in create_only_pointers("eu-west-1", "AWS::Cognito::UserPoolClient")
    assert ("Domain",) in create_only_pointers("eu-west-1", "AWS::Cognito::UserPoolDomain")
    assert ("ProviderName",) in create_only_pointers("eu-west-1", "AWS::Cognito::UserPoolIdentityProvider")


def test_an_unknown_region_or_type_falls_back_safely() -> None:
    assert create_only_pointers("xx-nowhere-1", "AWS::Cognito::UserPoolClient") == create_only_pointers(
        "us-east-1", "AWS::Cognito::UserPoolClient"
    )
    assert create_only_pointers("eu-west-1", "Custom::Anything") == ()


def test_a_nested_pointer_reaches_into_objects_and_every_list_item() -> None:
    props = {"Foo": {"Bar": 1}, "Items": [{"Key": "a"}, {"Other": 2}]}
    assert values_at(props, ("Foo", "Bar")) == [1]
    assert values_at(props, ("Items", "*", "Key")) == ["a", ABSENT]
    assert values_at({}, ("Foo", "Bar")) == [ABSENT]
    # A change inside the pointed-at value, or of a whole parent, touches it; a sibling does not.
    assert is_under(("Properties", "Foo", "Bar", "Baz"), ("Foo", "Bar"))
    assert is_under(("Properties", "Foo"), ("Foo", "Bar"))
    assert not is_under(("Properties", "Foo", "Qux"), ("Foo", "Bar"))
    assert is_under(("Properties", "Items", ("Key", "a"), "Key"), ("Items", "*", "Key"))

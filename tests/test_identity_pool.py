"""The user pool in each fixture environment carries the settings its config asks for."""

from __future__ import annotations

from typing import Any

import pytest
from aws_cdk.assertions import Match, Template

from tests.synthesis import Synthesized


def pool(template: Template) -> dict[str, Any]:
    found = template.find_resources("AWS::Cognito::UserPool")
    assert list(found) == ["UserPool"], "the pool's logical ID must stay 'UserPool'"
    return found["UserPool"]


def test_pool_logical_id_is_pinned(identity: Template) -> None:
    # A different logical ID means CloudFormation creates a new, empty pool.
    identity.resource_count_is("AWS::Cognito::UserPool", 1)
    assert pool(identity)["Type"] == "AWS::Cognito::UserPool"


def test_sign_in_is_by_email_and_case_insensitive(identity: Template) -> None:
    identity.has_resource_properties(
        "AWS::Cognito::UserPool",
        {
            "UsernameAttributes": ["email"],
            "UsernameConfiguration": {"CaseSensitive": False},
            "AliasAttributes": Match.absent(),
        },
    )


def test_password_policy_is_at_least_the_floor(identity: Template, synth: Synthesized, env: str) -> None:
    policy = pool(identity)["Properties"]["Policies"]["PasswordPolicy"]
    assert policy["MinimumLength"] == synth.configs[env].user_pool.password_policy.min_length >= 8
    for flag in ("RequireLowercase", "RequireUppercase", "RequireNumbers", "RequireSymbols"):
        assert policy[flag] is True, flag


def test_protection_follows_config(identity: Template, synth: Synthesized, env: str) -> None:
    config = synth.configs[env].user_pool
    resource = pool(identity)
    expected_policy = "Retain" if config.removal_policy == "retain" else "Delete"
    assert resource["DeletionPolicy"] == expected_policy
    assert resource["UpdateReplacePolicy"] == expected_policy
    expected = "ACTIVE" if config.deletion_protection else "INACTIVE"
    assert resource["Properties"].get("DeletionProtection", "INACTIVE") == expected


def test_prod_pool_is_retained_protected_mfa_required_with_enforced_threat_protection(
    synth: Synthesized,
) -> None:
    resource = pool(synth.template("prod", "Identity"))
    props = resource["Properties"]
    assert resource["DeletionPolicy"] == "Retain"
    assert props["DeletionProtection"] == "ACTIVE"
    assert props["MfaConfiguration"] == "ON"
    assert props["UserPoolTier"] == "PLUS"
    assert props["UserPoolAddOns"]["AdvancedSecurityMode"] == "ENFORCED"
    assert props["UserPoolAddOns"]["AdvancedSecurityAdditionalFlows"] == {"CustomAuthMode": "ENFORCED"}
    # TOTP only: email MFA would leave email-only recovery without a channel (config refuses it).
    assert props["EnabledMfas"] == ["SOFTWARE_TOKEN_MFA"]
    assert props["AccountRecoverySetting"] == {
        "RecoveryMechanisms": [{"Name": "verified_email", "Priority": 1}]
    }
    # Sent through SES: Cognito's default sender has a tiny quota and cannot send risk notices.
    assert props["EmailConfiguration"]["EmailSendingAccount"] == "DEVELOPER"


def test_dev_pool_is_disposable_with_optional_totp(synth: Synthesized) -> None:
    resource = pool(synth.template("dev", "Identity"))
    props = resource["Properties"]
    assert resource["DeletionPolicy"] == "Delete"
    assert props["MfaConfiguration"] == "OPTIONAL"
    assert props["EnabledMfas"] == ["SOFTWARE_TOKEN_MFA"]
    assert props["UserPoolTier"] == "ESSENTIALS"
    assert "UserPoolAddOns" not in props
    assert props["AdminCreateUserConfig"]["AllowAdminCreateUserOnly"] is False


@pytest.mark.parametrize("env", ["staging", "prod"])
def test_self_sign_up_is_off_outside_dev(synth: Synthesized, env: str) -> None:
    props = pool(synth.template(env, "Identity"))["Properties"]
    assert props["AdminCreateUserConfig"]["AllowAdminCreateUserOnly"] is True


def test_attributes_include_required_email_and_idp_groups(identity: Template) -> None:
    schema = pool(identity)["Properties"]["Schema"]
    by_name = {a["Name"]: a for a in schema}
    assert by_name["email"]["Required"] is True
    assert by_name["idp_groups"]["AttributeDataType"] == "String"
    assert by_name["idp_groups"]["Mutable"] is True


def test_account_recovery_is_by_verified_email(identity: Template) -> None:
    identity.has_resource_properties(
        "AWS::Cognito::UserPool",
        {"AccountRecoverySetting": {"RecoveryMechanisms": [{"Name": "verified_email", "Priority": 1}]}},
    )


def test_groups_have_precedence(identity: Template) -> None:
    identity.has_resource_properties(
        "AWS::Cognito::UserPoolGroup",
        {"GroupName": "admins", "Precedence": 0, "UserPoolId": {"Ref": "UserPool"}},
    )
    identity.resource_count_is("AWS::Cognito::UserPoolGroup", 2)


def test_config_tags_reach_the_pool(identity: Template, synth: Synthesized, env: str) -> None:
    tags = pool(identity)["Properties"]["UserPoolTags"]
    assert tags == dict(synth.configs[env].tags)

"""Choice-based sign-in in the synthesized pools and clients: staging offers passkeys and email one-time
codes through its members client; the other environments offer passwords only, written out."""

from __future__ import annotations

from typing import Any

import aws_cdk as cdk
import pytest
from aws_cdk.assertions import Match, Template

from cdk_app.config.sign_in import SignInPolicyConfig, SmsConfig
from cdk_app.config.user_pool import UserPoolConfig
from cdk_app.constructs.user_pool import SsoUserPool
from composition.app_settings import APP_SETTINGS
from tests.synthesis import Synthesized


def pool_props(synth: Synthesized, env: str) -> dict[str, Any]:
    props: dict[str, Any] = synth.template(env, "Identity").find_resources("AWS::Cognito::UserPool")[
        "UserPool"
    ]["Properties"]
    return props


def client_flows(synth: Synthesized, env: str) -> dict[str, list[str]]:
    clients = synth.template(env, "Identity").find_resources("AWS::Cognito::UserPoolClient")
    return {c["Properties"]["ClientName"]: c["Properties"]["ExplicitAuthFlows"] for c in clients.values()}


def test_staging_offers_passwords_email_codes_and_passkeys_bound_to_its_hosted_domain(
    synth: Synthesized,
) -> None:
    props = pool_props(synth, "staging")

    assert props["Policies"]["SignInPolicy"] == {
        "AllowedFirstAuthFactors": ["PASSWORD", "EMAIL_OTP", "WEB_AUTHN"]
    }
    assert props["WebAuthnRelyingPartyID"] == "sso-staging-example-1234.auth.eu-west-1.amazoncognito.com"
    assert props["WebAuthnUserVerification"] == "required"
    # Passwordless factors are never offered to users who must use MFA.
    assert props["MfaConfiguration"] == "OPTIONAL"
    # Email codes go through SES, not Cognito's few-a-day default sender.
    assert props["EmailConfiguration"]["EmailSendingAccount"] == "DEVELOPER"
    assert props["UserPoolTier"] == "PLUS"


def test_only_stagings_members_client_allows_choice_based_sign_in(synth: Synthesized) -> None:
    flows = client_flows(synth, "staging")

    assert flows == {
        "spa": [],
        "web": [],
        "members": ["ALLOW_USER_AUTH"],
        "machine": ["ALLOW_REFRESH_TOKEN_AUTH"],
    }


@pytest.mark.parametrize("env", ["dev", "prod"])
def test_environments_without_passwordless_write_a_password_only_policy(synth: Synthesized, env: str) -> None:
    # Written out, not left out: a policy dropped from a template stays in Cognito as it was.
    props = pool_props(synth, env)

    assert props["Policies"]["SignInPolicy"] == {"AllowedFirstAuthFactors": ["PASSWORD"]}
    assert "WebAuthnRelyingPartyID" not in props
    assert "WebAuthnUserVerification" not in props
    assert all("ALLOW_USER_AUTH" not in f for f in client_flows(synth, env).values())


def _pool_template(config: UserPoolConfig) -> Template:
    stack = cdk.Stack(
        cdk.App(**APP_SETTINGS), "Pool", env=cdk.Environment(account="123456789012", region="eu-west-1")
    )
    SsoUserPool(stack, "UserPool", config=config)
    return Template.from_stack(stack)


def test_a_lite_pool_writes_no_sign_in_policy() -> None:
    config = UserPoolConfig(feature_plan="lite")

    props = _pool_template(config).find_resources("AWS::Cognito::UserPool")["UserPool"]["Properties"]

    assert "SignInPolicy" not in props["Policies"]


def test_sms_codes_send_through_a_role_the_project_creates_and_verify_phone_numbers() -> None:
    config = UserPoolConfig(
        sign_in_policy=SignInPolicyConfig(first_factors=("password", "sms_otp")),
        standard_attributes={"email": {"required": True}, "phone_number": {}},  # type: ignore[dict-item]
        sms=SmsConfig(sns_region="eu-west-1"),
    )

    template = _pool_template(config)

    template.has_resource_properties(
        "AWS::Cognito::UserPool",
        {
            "Policies": Match.object_like(
                {"SignInPolicy": {"AllowedFirstAuthFactors": ["PASSWORD", "SMS_OTP"]}}
            ),
            "SmsConfiguration": {
                "ExternalId": Match.any_value(),
                "SnsCallerArn": {"Fn::GetAtt": [Match.string_like_regexp("smsRole"), "Arn"]},
                "SnsRegion": "eu-west-1",
            },
            "AutoVerifiedAttributes": ["email", "phone_number"],
        },
    )
    template.has_resource_properties(
        "AWS::IAM::Role",
        {
            "Policies": [
                {
                    "PolicyDocument": {"Statement": [Match.object_like({"Action": "sns:Publish"})]},
                    "PolicyName": Match.any_value(),
                }
            ]
        },
    )


def test_sms_codes_can_use_an_existing_role_with_its_external_id() -> None:
    role = "arn:aws:iam::123456789012:role/cognito-sms"
    config = UserPoolConfig(
        sign_in_policy=SignInPolicyConfig(first_factors=("password", "sms_otp")),
        sign_in={"identifiers": ("phone",)},  # type: ignore[arg-type]
        standard_attributes={},
        account_recovery="phone_only_without_mfa",
        sms=SmsConfig(role_arn=role, external_id="pool-external-id"),
    )

    template = _pool_template(config)

    template.has_resource_properties(
        "AWS::Cognito::UserPool",
        {"SmsConfiguration": {"ExternalId": "pool-external-id", "SnsCallerArn": role}},
    )
    template.resource_count_is("AWS::IAM::Role", 0)

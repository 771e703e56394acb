"""Config paths no fixture environment takes, synthesized once (cdk-nag on) in one app:
dev with SMS MFA and the classic hosted UI, prod with a certificate given by ARN."""

from __future__ import annotations

from typing import Any

import pytest
from aws_cdk.assertions import Match, Template

from cdk_app.config.loading import load_environment
from change_review.core.assembly import load_stacks
from composition.app_builder import build_app
from tests.fixtures import FIXTURE_CONFIG_DIR
from tests.fixtures.config_dir import project_of

CERTIFICATE_ARN = "arn:aws:acm:us-east-1:123456789012:certificate/12345678-1234-1234-1234-123456789012"


@pytest.fixture(scope="module")
def variants(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, dict[str, Any]]]:
    dev = load_environment("dev", FIXTURE_CONFIG_DIR)
    mfa = dev.user_pool.mfa.model_copy(update={"factors": ("totp", "sms")})
    dev = dev.model_copy(
        update={
            "user_pool": dev.user_pool.model_copy(update={"mfa": mfa}),
            "domain": dev.domain.model_copy(update={"ui": "classic"}),
        }
    )
    prod = load_environment("prod", FIXTURE_CONFIG_DIR)
    custom = prod.domain.custom
    assert custom is not None
    prod = prod.model_copy(
        update={
            "domain": prod.domain.model_copy(
                update={"custom": custom.model_copy(update={"certificate_arn": CERTIFICATE_ARN})}
            )
        }
    )
    outdir = tmp_path_factory.mktemp("variants")
    project = project_of(tmp_path_factory.mktemp("variants-config") / "config", dev, prod)
    app, _ = build_app(project, outdir=str(outdir))
    app.synth()  # cdk-nag on: raises on any unacknowledged finding
    stacks = load_stacks(outdir)
    return {
        env: {stack: t.template for (e, stack), t in stacks.items() if e == env} for env in ("dev", "prod")
    }


def test_sms_mfa_gets_a_publish_only_role_and_passes_the_checks(variants: dict[str, Any]) -> None:
    identity = Template.from_json(variants["dev"]["Identity"])
    identity.has_resource_properties(
        "AWS::Cognito::UserPool",
        {
            "EnabledMfas": ["SMS_MFA", "SOFTWARE_TOKEN_MFA"],
            "SmsConfiguration": {"SnsCallerArn": Match.any_value(), "ExternalId": Match.any_value()},
        },
    )
    identity.has_resource_properties(
        "AWS::IAM::Role",
        {
            "Policies": [
                {
                    "PolicyDocument": {
                        "Statement": [{"Action": "sns:Publish", "Effect": "Allow", "Resource": "*"}]
                    }
                }
            ]
        },
    )


def test_classic_hosted_ui_has_no_managed_login_branding(variants: dict[str, Any]) -> None:
    identity = Template.from_json(variants["dev"]["Identity"])
    identity.has_resource_properties("AWS::Cognito::UserPoolDomain", {"ManagedLoginVersion": 1})
    identity.resource_count_is("AWS::Cognito::ManagedLoginBranding", 0)


def test_a_certificate_arn_replaces_the_certificate_stack(variants: dict[str, Any]) -> None:
    assert "Certificate" not in variants["prod"]
    identity = Template.from_json(variants["prod"]["Identity"])
    identity.has_resource_properties(
        "AWS::Cognito::UserPoolDomain",
        {"Domain": "auth.example.com", "CustomDomainConfig": {"CertificateArn": CERTIFICATE_ARN}},
    )

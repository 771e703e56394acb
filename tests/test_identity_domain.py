"""Hosted domain, managed login and the outputs an application (and a SAML admin) needs."""

from __future__ import annotations

import pytest
from aws_cdk.assertions import Match, Template

from tests.synthesis import Synthesized


@pytest.mark.parametrize(
    ("env", "prefix"), [("dev", "sso-dev-example-1234"), ("staging", "sso-staging-example-1234")]
)
def test_prefix_domain(synth: Synthesized, env: str, prefix: str) -> None:
    template = synth.template(env, "Identity")
    template.has_resource_properties(
        "AWS::Cognito::UserPoolDomain",
        {"Domain": prefix, "ManagedLoginVersion": 2, "CustomDomainConfig": Match.absent()},
    )
    template.resource_count_is("AWS::Route53::RecordSet", 0)


def test_prod_custom_domain_uses_the_us_east_1_certificate_and_alias_records(synth: Synthesized) -> None:
    template = synth.template("prod", "Identity")
    domain = template.find_resources("AWS::Cognito::UserPoolDomain")["UserPoolDomain"]["Properties"]
    assert domain["Domain"] == "auth.example.com"
    cert = domain["CustomDomainConfig"]["CertificateArn"]["Fn::GetStackOutput"]
    assert cert["Region"] == "us-east-1"
    assert cert["StackName"] == "prod-Certificate"
    for record_type in ("A", "AAAA"):
        template.has_resource_properties(
            "AWS::Route53::RecordSet",
            {
                "Type": record_type,
                "Name": "auth.example.com.",
                "HostedZoneId": "Z0PLACEHOLDER00000000",
                "AliasTarget": {"DNSName": {"Fn::GetAtt": ["UserPoolDomain", "CloudFrontDistribution"]}},
            },
        )
    certificate = synth.template("prod", "Certificate")
    certificate.has_resource_properties(
        "AWS::CertificateManager::Certificate",
        {
            "DomainName": "auth.example.com",
            "ValidationMethod": "DNS",
            "DomainValidationOptions": [
                {"DomainName": "auth.example.com", "HostedZoneId": "Z0PLACEHOLDER00000000"}
            ],
        },
    )


def test_certificate_stack_is_in_us_east_1(synth: Synthesized) -> None:
    manifest_env = synth.stack_envs[("prod", "Certificate")]
    assert manifest_env.endswith("/us-east-1")


def test_managed_login_branding_for_each_interactive_client(
    identity: Template, synth: Synthesized, env: str
) -> None:
    interactive = [c for c in synth.configs[env].clients if c.kind != "m2m"]
    identity.resource_count_is("AWS::Cognito::ManagedLoginBranding", len(interactive))
    for client in interactive:
        identity.has_resource_properties(
            "AWS::Cognito::ManagedLoginBranding",
            {"ClientId": {"Ref": client.construct_id}, "UseCognitoProvidedValues": True},
        )


def test_outputs_give_endpoints_and_client_ids_never_secrets(
    identity: Template, synth: Synthesized, env: str
) -> None:
    outputs = synth.templates[(env, "Identity")]["Outputs"]
    for key in ("UserPoolId", "UserPoolArn", "IssuerUrl", "JwksUrl", "DomainBaseUrl",
                "AuthorizeEndpoint", "TokenEndpoint", "LogoutEndpoint"):  # fmt: skip
        assert key in outputs, key
    for client in synth.configs[env].clients:
        assert outputs[f"{client.construct_id}Id"]["Value"] == {"Ref": client.construct_id}
    assert "ClientSecret" not in str(outputs)
    identity.has_output(
        "JwksUrl",
        {
            "Value": {
                "Fn::Join": [
                    "",
                    [
                        Match.string_like_regexp(r"^https://cognito-idp\.[a-z0-9-]+\.amazonaws\.com/$"),
                        {"Ref": "UserPool"},
                        "/.well-known/jwks.json",
                    ],
                ]
            }
        },
    )


def test_saml_outputs_for_the_idp_administrator(synth: Synthesized) -> None:
    prod = synth.template("prod", "Identity")
    prod.has_output(
        "SamlSpEntityId", {"Value": {"Fn::Join": ["", ["urn:amazon:cognito:sp:", {"Ref": "UserPool"}]]}}
    )
    prod.has_output("SamlAcsUrl", {"Value": "https://auth.example.com/saml2/idpresponse"})
    assert "SamlSpEntityId" not in synth.templates[("dev", "Identity")]["Outputs"]


def test_prod_stacks_have_termination_protection(synth: Synthesized) -> None:
    for (env, stack), protected in synth.termination_protection.items():
        assert protected is (env == "prod"), (env, stack)


def test_prefix_domain_endpoints_point_at_the_cognito_domain(synth: Synthesized) -> None:
    outputs = synth.templates[("dev", "Identity")]["Outputs"]
    base = ["https://", {"Ref": "UserPoolDomain"}, ".auth.eu-west-1.amazoncognito.com"]
    assert outputs["DomainBaseUrl"]["Value"] == {"Fn::Join": ["", base]}
    for key, path in (("AuthorizeEndpoint", "/oauth2/authorize"), ("TokenEndpoint", "/oauth2/token"),
                      ("LogoutEndpoint", "/logout")):  # fmt: skip
        assert outputs[key]["Value"] == {"Fn::Join": ["", [*base[:2], base[2] + path]]}, key
    assert outputs["IssuerUrl"]["Value"] == {
        "Fn::Join": ["", ["https://cognito-idp.eu-west-1.amazonaws.com/", {"Ref": "UserPool"}]]
    }
    assert outputs["UserPoolArn"]["Value"] == {"Fn::GetAtt": ["UserPool", "Arn"]}
    assert outputs["UserPoolId"]["Value"] == {"Ref": "UserPool"}


def test_custom_domain_endpoints_use_the_custom_host(synth: Synthesized) -> None:
    outputs = synth.templates[("prod", "Identity")]["Outputs"]
    assert outputs["DomainBaseUrl"]["Value"] == "https://auth.example.com"
    assert outputs["AuthorizeEndpoint"]["Value"] == "https://auth.example.com/oauth2/authorize"
    assert outputs["TokenEndpoint"]["Value"] == "https://auth.example.com/oauth2/token"
    assert outputs["LogoutEndpoint"]["Value"] == "https://auth.example.com/logout"

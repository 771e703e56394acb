"""Federation: secrets stay in Secrets Manager, SAML/OIDC settings and attribute mappings land."""

from __future__ import annotations

import json
from typing import Any

from aws_cdk.assertions import Match

from tests.synthesis import Synthesized

DYNAMIC_SECRET = Match.string_like_regexp(r"^\{\{resolve:secretsmanager:cognito-sso/\w+/\w+:SecretString:")


def providers(synth: Synthesized, env: str) -> dict[str, dict[str, Any]]:
    resources = synth.templates[(env, "Identity")]["Resources"]
    return {
        r["Properties"]["ProviderName"]: r["Properties"]
        for r in resources.values()
        if r["Type"] == "AWS::Cognito::UserPoolIdentityProvider"
    }


def test_the_fixture_environments_exercise_every_provider_kind(synth: Synthesized) -> None:
    kinds = {
        (p["ProviderType"], "MetadataURL" in p["ProviderDetails"])
        for env in ("dev", "staging", "prod")
        for p in providers(synth, env).values()
    }
    assert {("Google", False), ("SAML", True), ("SAML", False), ("OIDC", False)} <= kinds


def test_google_secret_is_a_secrets_manager_reference(synth: Synthesized) -> None:
    for env in ("dev", "prod"):
        template = synth.template(env, "Identity")
        template.has_resource_properties(
            "AWS::Cognito::UserPoolIdentityProvider",
            {
                "ProviderType": "Google",
                "ProviderDetails": {
                    "client_id": Match.string_like_regexp(r"placeholder\.apps\.googleusercontent\.com$"),
                    "client_secret": DYNAMIC_SECRET,
                    "authorize_scopes": "openid email profile",
                },
                "AttributeMapping": {"email": "email", "name": "name"},
            },
        )


def test_oidc_secret_is_a_dynamic_reference_not_plaintext(synth: Synthesized) -> None:
    oidc = providers(synth, "prod")["EntraId"]
    details = oidc["ProviderDetails"]
    assert oidc["ProviderType"] == "OIDC"
    assert details["client_secret"] == (
        "{{resolve:secretsmanager:cognito-sso/prod/entra:SecretString:client_secret::}}"
    )
    assert details["attributes_request_method"] == "GET"
    assert details["oidc_issuer"].startswith("https://login.microsoftonline.com/")
    assert details["authorize_scopes"] == "openid email profile"
    assert oidc["AttributeMapping"] == {"email": "email", "name": "name", "custom:idp_groups": "groups"}
    assert oidc["IdpIdentifiers"] == ["partner.example.com"]


def test_saml_from_file_is_signed_encrypted_with_sign_out(synth: Synthesized) -> None:
    saml = providers(synth, "prod")["AcmeCorp"]
    details = saml["ProviderDetails"]
    assert "EntityDescriptor" in details["MetadataFile"]
    assert details["RequestSigningAlgorithm"] == "rsa-sha256"
    assert details["EncryptedResponses"] is True
    assert details["IDPSignout"] is True
    assert saml["AttributeMapping"]["custom:idp_groups"] == "http://schemas.xmlsoap.org/claims/Group"


def test_saml_from_url(synth: Synthesized) -> None:
    saml = providers(synth, "staging")["AcmeOkta"]
    assert saml["ProviderDetails"]["MetadataURL"].startswith("https://")
    assert saml["ProviderDetails"]["IDPSignout"] is True
    assert saml["IdpIdentifiers"] == ["acme.example.com"]


def test_no_template_contains_a_plaintext_secret(synth: Synthesized) -> None:
    for (env, stack), template in synth.templates.items():
        text = json.dumps(template)
        for match in ("client_secret", "ClientSecret"):
            for chunk in text.split(f'"{match}": ')[1:]:
                assert chunk.startswith('"{{resolve:secretsmanager:'), (env, stack, chunk[:80])

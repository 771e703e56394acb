"""App clients never carry CDK's unsafe defaults, and each kind gets exactly its grant."""

from __future__ import annotations

from typing import Any

from aws_cdk.assertions import Template

from tests.synthesis import Synthesized


def clients(template: Template) -> dict[str, dict[str, Any]]:
    return {k: v["Properties"] for k, v in template.find_resources("AWS::Cognito::UserPoolClient").items()}


def test_every_configured_client_exists_under_its_stable_id(
    identity: Template, synth: Synthesized, env: str
) -> None:
    expected = {c.construct_id for c in synth.configs[env].clients}
    assert set(clients(identity)) == expected


def test_no_client_has_implicit_grant_placeholder_or_admin_scope(identity: Template) -> None:
    for name, props in clients(identity).items():
        assert "implicit" not in props["AllowedOAuthFlows"], name
        assert "https://example.com" not in props.get("CallbackURLs", []), name
        assert "aws.cognito.signin.user.admin" not in props["AllowedOAuthScopes"], name
        assert props["PreventUserExistenceErrors"] == "ENABLED", name
        assert props["EnableTokenRevocation"] is True, name
        assert "ALLOW_USER_PASSWORD_AUTH" not in props["ExplicitAuthFlows"], name
        assert props["TokenValidityUnits"] == {
            "AccessToken": "minutes",
            "IdToken": "minutes",
            "RefreshToken": "minutes",
        }


def test_client_kinds_get_their_grants(identity: Template, synth: Synthesized, env: str) -> None:
    found = clients(identity)
    for client in synth.configs[env].clients:
        props = found[client.construct_id]
        if client.kind == "spa":
            assert props["GenerateSecret"] is False
            assert props["AllowedOAuthFlows"] == ["code"]
        elif client.kind == "web":
            assert props["GenerateSecret"] is True
            assert props["AllowedOAuthFlows"] == ["code"]
        else:
            assert props["GenerateSecret"] is True
            assert props["AllowedOAuthFlows"] == ["client_credentials"]
            assert "CallbackURLs" not in props
            assert "LogoutURLs" not in props
            assert props["SupportedIdentityProviders"] == ["COGNITO"]
            # Only resource-server scopes: each is "<server ref>/<scope>".
            for scope in props["AllowedOAuthScopes"]:
                assert isinstance(scope, dict)
                assert "Fn::Join" in scope


def test_interactive_clients_rotate_refresh_tokens(identity: Template, synth: Synthesized, env: str) -> None:
    found = clients(identity)
    for client in synth.configs[env].clients:
        props = found[client.construct_id]
        if client.kind == "m2m":
            assert "RefreshTokenRotation" not in props
        else:
            assert props["RefreshTokenRotation"] == {"Feature": "ENABLED", "RetryGracePeriodSeconds": 0}
            # With rotation on, Cognito rejects ALLOW_REFRESH_TOKEN_AUTH.
            assert "ALLOW_REFRESH_TOKEN_AUTH" not in props["ExplicitAuthFlows"]


def test_browser_clients_sign_in_through_the_hosted_pages_or_by_choice_only(
    identity: Template, synth: Synthesized, env: str
) -> None:
    # Written out even when empty: without the property Cognito allows SRP and custom auth.
    found = clients(identity)
    for client in synth.configs[env].clients:
        if client.kind != "m2m":
            assert client.auth_flows == ()
            expected = ["ALLOW_USER_AUTH"] if client.choice_based_sign_in else []
            assert found[client.construct_id]["ExplicitAuthFlows"] == expected, client.name


def test_token_validities_come_from_config(identity: Template, synth: Synthesized, env: str) -> None:
    found = clients(identity)
    for client in synth.configs[env].clients:
        props = found[client.construct_id]
        assert props["AccessTokenValidity"] == client.access_token_validity_minutes
        assert props["IdTokenValidity"] == client.id_token_validity_minutes
        assert props["RefreshTokenValidity"] == client.refresh_token_validity_days * 24 * 60


def test_callback_urls_are_exactly_the_configured_ones(
    identity: Template, synth: Synthesized, env: str
) -> None:
    found = clients(identity)
    for client in synth.configs[env].clients:
        if client.kind != "m2m":
            assert found[client.construct_id]["CallbackURLs"] == list(client.callback_urls)
            assert found[client.construct_id]["LogoutURLs"] == list(client.logout_urls)


def test_clients_depend_on_every_provider_they_name(synth: Synthesized, env: str) -> None:
    resources = synth.templates[(env, "Identity")]["Resources"]
    providers = {
        r["Properties"]["ProviderName"]: logical_id
        for logical_id, r in resources.items()
        if r["Type"] == "AWS::Cognito::UserPoolIdentityProvider"
    }
    for client in synth.configs[env].clients:
        resource = resources[client.construct_id]
        named = [p for p in client.identity_providers if p != "COGNITO"]
        assert resource["Properties"]["SupportedIdentityProviders"] == list(client.identity_providers)
        for name in named:
            assert providers[name] in resource.get("DependsOn", []), (client.name, name)


def test_resource_server_scopes(identity: Template, synth: Synthesized, env: str) -> None:
    (server,) = synth.configs[env].resource_servers
    identity.has_resource_properties(
        "AWS::Cognito::UserPoolResourceServer",
        {
            "Identifier": "api",
            "Scopes": [{"ScopeName": s.name, "ScopeDescription": s.description} for s in server.scopes],
        },
    )
    names = [s.name for s in server.scopes]
    # The admin scope exists where the token trigger grants it (dev, staging), and only there.
    assert names[:2] == ["read", "write"]
    assert ("admin" in names) == (synth.configs[env].token_customization is not None)

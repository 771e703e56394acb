"""No user can set an attribute an identity provider asserts (``custom:idp_groups``).

The forging scenario, modelled on the synthesized template the way Cognito decides it: a user can
write an attribute through a client if the attribute is in the client's WriteAttributes and either
(a) the user can get a token with ``aws.cognito.signin.user.admin`` from that client, which every
direct sign-in flow (SRP, password, custom, or the flows Cognito allows when ExplicitAuthFlows is
left out) and the hosted pages with that scope issue, and call UpdateUserAttributes; or (b) self
sign-up is on, and SignUp accepts the client's write attributes from anyone.
"""

from __future__ import annotations

import copy
from typing import Any

import pytest

from cdk_app.config.clients import ClientConfig
from cdk_app.config.loading import load_environment
from change_review.core.assembly import load_stacks
from composition.app_builder import build_app
from tests.fixtures import FIXTURE_CONFIG_DIR
from tests.fixtures.config_dir import project_of
from tests.synthesis import Synthesized

COGNITO_ADMIN_SCOPE = "aws.cognito.signin.user.admin"
# Flows that only renew tokens a user already has; every other ALLOW_* flow signs a user in directly.
RENEW_ONLY = {"ALLOW_REFRESH_TOKEN_AUTH"}
# What Cognito allows when a client has no ExplicitAuthFlows.
COGNITO_DEFAULT_FLOWS = ["ALLOW_REFRESH_TOKEN_AUTH", "ALLOW_USER_SRP_AUTH", "ALLOW_CUSTOM_AUTH"]


def resources(template: dict[str, Any], resource_type: str) -> dict[str, dict[str, Any]]:
    return {k: v["Properties"] for k, v in template["Resources"].items() if v["Type"] == resource_type}


def asserted(template: dict[str, Any]) -> set[str]:
    """``custom:`` attributes some identity provider's attribute mapping fills."""
    providers = resources(template, "AWS::Cognito::UserPoolIdentityProvider").values()
    return {name for p in providers for name in p.get("AttributeMapping", {}) if name.startswith("custom:")}


def forgeable(template: dict[str, Any]) -> dict[str, set[str]]:
    """Per client, the provider-asserted attributes a user could set through it."""
    (pool,) = resources(template, "AWS::Cognito::UserPool").values()
    self_sign_up = not pool.get("AdminCreateUserConfig", {}).get("AllowAdminCreateUserOnly", False)
    claims = asserted(template)
    found: dict[str, set[str]] = {}
    for client_id, client in resources(template, "AWS::Cognito::UserPoolClient").items():
        if client.get("AllowedOAuthFlows") == ["client_credentials"]:
            continue  # no user ever holds its tokens
        flows = client.get("ExplicitAuthFlows", COGNITO_DEFAULT_FLOWS)
        admin_token = bool(set(flows) - RENEW_ONLY) or COGNITO_ADMIN_SCOPE in client.get(
            "AllowedOAuthScopes", []
        )
        # Without WriteAttributes Cognito decides what is writable; assume the worst.
        writable = set(client["WriteAttributes"]) if "WriteAttributes" in client else claims
        if admin_token or self_sign_up:
            found[client_id] = writable & claims
    return {k: v for k, v in found.items() if v}


def test_no_user_can_set_an_attribute_a_provider_asserts(synth: Synthesized, env: str) -> None:
    template = synth.templates[(env, "Identity")]
    assert forgeable(template) == {}
    if env != "dev":  # staging and prod map group claims: the check is not vacuous there
        assert asserted(template) == {"custom:idp_groups"}


def test_the_forging_path_is_found_when_a_federating_client_allows_direct_sign_in(synth: Synthesized) -> None:
    template = copy.deepcopy(synth.templates[("prod", "Identity")])
    spa = template["Resources"]["SpaClient"]["Properties"]
    spa["ExplicitAuthFlows"] = ["ALLOW_USER_SRP_AUTH"]
    assert forgeable(template) == {"SpaClient": {"custom:idp_groups"}}
    del spa["ExplicitAuthFlows"]  # Cognito's default flows include SRP
    assert forgeable(template) == {"SpaClient": {"custom:idp_groups"}}
    spa["ExplicitAuthFlows"] = []
    spa["AllowedOAuthScopes"] = [*spa["AllowedOAuthScopes"], COGNITO_ADMIN_SCOPE]
    assert forgeable(template) == {"SpaClient": {"custom:idp_groups"}}


def test_the_forging_path_is_found_with_self_sign_up(synth: Synthesized) -> None:
    template = copy.deepcopy(synth.templates[("prod", "Identity")])
    template["Resources"]["UserPool"]["Properties"]["AdminCreateUserConfig"]["AllowAdminCreateUserOnly"] = (
        False
    )
    assert forgeable(template) == {"SpaClient": {"custom:idp_groups"}, "WebClient": {"custom:idp_groups"}}


def test_federating_clients_can_write_what_their_providers_map(synth: Synthesized, env: str) -> None:
    # Cognito fails a federated sign-in if the client cannot write a mapped attribute.
    template = synth.templates[(env, "Identity")]
    mapped = {
        p["ProviderName"]: set(p.get("AttributeMapping", {}))
        for p in resources(template, "AWS::Cognito::UserPoolIdentityProvider").values()
    }
    for client_id, client in resources(template, "AWS::Cognito::UserPoolClient").items():
        for provider in client["SupportedIdentityProviders"]:
            if provider != "COGNITO":
                assert mapped[provider] <= set(client["WriteAttributes"]), (client_id, provider)


def test_interactive_clients_read_and_write_exactly_what_config_resolves(
    synth: Synthesized, env: str
) -> None:
    config = synth.configs[env]
    found = resources(synth.templates[(env, "Identity")], "AWS::Cognito::UserPoolClient")
    for client in config.clients:
        props = found[client.construct_id]
        if client.kind == "m2m":
            assert "ReadAttributes" not in props
            assert "WriteAttributes" not in props
            continue
        access = config.client_attributes(client)
        assert (props["ReadAttributes"], props["WriteAttributes"]) == (list(access.read), list(access.write))
        assert not {"email_verified", "phone_number_verified"} & set(props["WriteAttributes"])


@pytest.fixture(scope="module")
def with_direct_sign_in_client(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """prod plus a client for direct (SRP) sign-in that names no provider, so writes no asserted attribute."""
    prod = load_environment("prod", FIXTURE_CONFIG_DIR)
    direct = ClientConfig(
        name="native",
        kind="spa",
        callback_urls=("https://native.example.com/callback",),
        scopes=("openid", "api/read"),
        identity_providers=("COGNITO",),
        auth_flows=("user_srp",),
        auth_flows_reason="The native app signs users in with its own screens through the Amplify SDK.",
    )
    config = type(prod).model_validate({**prod.model_dump(), "clients": [*prod.clients, direct]})
    outdir = tmp_path_factory.mktemp("direct-sign-in")
    project = project_of(tmp_path_factory.mktemp("direct-sign-in-config") / "config", config)
    app, _ = build_app(project, outdir=str(outdir))
    app.synth()  # cdk-nag on
    return load_stacks(outdir)[("prod", "Identity")].template


def test_a_direct_sign_in_client_without_providers_is_accepted_and_cannot_forge(
    with_direct_sign_in_client: dict[str, Any],
) -> None:
    native = with_direct_sign_in_client["Resources"]["NativeClient"]["Properties"]
    assert native["ExplicitAuthFlows"] == ["ALLOW_USER_SRP_AUTH"]
    assert "custom:idp_groups" not in native["WriteAttributes"]
    assert "custom:idp_groups" in native["ReadAttributes"]
    assert forgeable(with_direct_sign_in_client) == {}

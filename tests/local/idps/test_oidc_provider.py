"""The local OIDC provider (oidc-provider on Node 24) as Cognito meets it: discovery over HTTPS
trusted through the local CA only, the code flow through its login and consent pages, and an ID token
signed by its JWKS that carries email, name and groups."""

from __future__ import annotations

import ssl
import urllib.error
import urllib.parse
import urllib.request

import pytest

from operator_tools.local.idps import lifecycle
from tests.local.idps.conftest import LocalIdps
from tests.local.idps.http_client import Browser, first_form
from tests.local.idps.oidc_rp import authorize_url, discovery, follow, sign_in, verified_claims
from tests.local.idps.saml_sp import password

pytestmark = pytest.mark.idps


def test_discovery_is_served_over_https_that_the_local_ca_vouches_for(idps: LocalIdps) -> None:
    document = discovery(idps)
    assert document["issuer"] == idps.oidc.url == idps.oidc_spec.issuer
    assert document["authorization_endpoint"].startswith(f"{idps.oidc.url}/")
    assert "client_secret_post" in document["token_endpoint_auth_methods_supported"]
    assert {"email", "name", "groups"} <= set(document["claims_supported"])


def test_without_the_local_ca_the_certificate_is_refused(idps: LocalIdps) -> None:
    with pytest.raises(urllib.error.URLError) as refused:
        urllib.request.urlopen(
            f"{idps.oidc.url}/.well-known/openid-configuration",
            timeout=5,
            context=ssl.create_default_context(),
        )
    assert isinstance(refused.value.reason, ssl.SSLCertVerificationError)


def test_the_code_flow_ends_in_an_id_token_signed_by_its_jwks_with_email_name_and_groups(
    idps: LocalIdps,
) -> None:
    claims = verified_claims(idps, sign_in(idps)["id_token"])
    assert claims["sub"] == idps.oidc.username
    assert claims["email"] == "oidc-test-user@oidc.localhost"
    assert claims["name"] == "OIDC Test User"
    assert claims["groups"] == "engineering"  # one string: the emulator drops arrays


def test_a_wrong_password_gets_the_login_page_again_with_401(idps: LocalIdps) -> None:
    browser = Browser(idps.ca_file)
    url, page = follow(browser, authorize_url(idps, "relay-2"))
    login = first_form(page, url)
    reply = browser.post(
        login.action, {"username": idps.oidc.username, "password": password(idps, "oidc") + "x"}
    )
    assert reply.status == 401
    assert "Wrong username or password." in reply.body
    assert "location" not in reply.headers


def test_a_wrong_client_secret_gets_no_tokens(idps: LocalIdps) -> None:
    with pytest.raises(AssertionError, match="invalid_client"):
        sign_in(idps, secret="not-the-secret")


def test_a_group_change_is_in_the_next_sign_ins_id_token(idps: LocalIdps) -> None:
    try:
        lifecycle.set_user_groups("oidc", ("engineering", "on-call"), idps.state_dir)
        assert verified_claims(idps, sign_in(idps)["id_token"])["groups"] == "engineering,on-call"
        lifecycle.set_user_groups("oidc", ("sales",), idps.state_dir)
        assert verified_claims(idps, sign_in(idps)["id_token"])["groups"] == "sales"
    finally:
        lifecycle.set_user_groups("oidc", ("engineering",), idps.state_dir)

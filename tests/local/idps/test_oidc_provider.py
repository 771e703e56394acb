"""The local OIDC provider (oidc-provider on Node 24) as Cognito meets it: discovery over HTTPS
trusted through the local CA only, the code flow through its login and consent pages, and an ID token
signed by its JWKS that carries email, name and groups."""

from __future__ import annotations

import json
import ssl
import urllib.error
import urllib.parse
import urllib.request
from typing import Any

import jwt
import pytest

from operator_tools.local.idps import lifecycle
from tests.local.idps.conftest import OIDC_CLIENT_ID, OIDC_REDIRECT_URI, LocalIdps
from tests.local.idps.http_client import Browser, first_form
from tests.local.idps.saml_sp import password


def _discovery(idps: LocalIdps) -> dict[str, Any]:
    reply = Browser(idps.ca_file).get(f"{idps.oidc.url}/.well-known/openid-configuration")
    assert reply.status == 200
    document: dict[str, Any] = json.loads(reply.body)
    return document


def _client_secret(idps: LocalIdps) -> str:
    return lifecycle.oidc_client_secret(idps.state_dir)


def _authorize_url(idps: LocalIdps, state: str, scope: str = "openid email profile groups") -> str:
    """The redirect the emulator sends a browser: no nonce, no PKCE (docs: federation-on-ministack)."""
    query = {
        "response_type": "code", "client_id": OIDC_CLIENT_ID, "redirect_uri": OIDC_REDIRECT_URI,
        "scope": scope, "state": state,
    }  # fmt: skip
    return f"{_discovery(idps)['authorization_endpoint']}?{urllib.parse.urlencode(query)}"


def _follow(browser: Browser, url: str) -> tuple[str, str]:
    """Follow redirects on the IdP until a page (returned with its URL) or the redirect URI (its URL)."""
    for _ in range(6):
        if url.startswith(OIDC_REDIRECT_URI):
            return url, ""
        reply = browser.get(url)
        if reply.status in (302, 303):
            url = urllib.parse.urljoin(url, reply.location)
            continue
        assert reply.status == 200, reply.body
        return url, reply.body
    raise AssertionError("too many redirects")


def _sign_in(idps: LocalIdps, *, state: str = "relay-1", secret: str | None = None) -> dict[str, str]:
    """Login, consent, code, token (client_secret_post, as the emulator does); the token response."""
    browser = Browser(idps.ca_file)
    url, page = _follow(browser, _authorize_url(idps, state))
    login = first_form(page, url)
    assert set(login.fields) >= {"username", "password"}
    reply = browser.post(login.action, {"username": idps.oidc.username, "password": password(idps, "oidc")})
    assert reply.status in (302, 303), reply.body
    url, page = _follow(browser, urllib.parse.urljoin(login.action, reply.location))
    # The consent page: each sign-in here is a new browser, so a new session with no grant yet.
    consent = first_form(page, url)
    assert "Allow" in page
    assert consent.action.endswith("/confirm")
    reply = browser.post(consent.action, consent.fields)
    url, _ = _follow(browser, urllib.parse.urljoin(consent.action, reply.location))
    query = urllib.parse.parse_qs(urllib.parse.urlsplit(url).query)
    assert query["state"] == [state]
    token_request = {
        "grant_type": "authorization_code", "code": query["code"][0], "redirect_uri": OIDC_REDIRECT_URI,
        "client_id": OIDC_CLIENT_ID, "client_secret": secret or _client_secret(idps),
    }  # fmt: skip
    token_reply = Browser(idps.ca_file).post(_discovery(idps)["token_endpoint"], token_request)
    assert token_reply.status == 200, token_reply.body
    tokens: dict[str, str] = json.loads(token_reply.body)
    return tokens


def _verified_claims(idps: LocalIdps, id_token: str) -> dict[str, Any]:
    jwks = json.loads(Browser(idps.ca_file).get(_discovery(idps)["jwks_uri"]).body)
    key = jwt.PyJWKSet.from_dict(jwks)[jwt.get_unverified_header(id_token)["kid"]]
    claims: dict[str, Any] = jwt.decode(
        id_token, key, algorithms=["RS256"], audience=OIDC_CLIENT_ID, issuer=idps.oidc.url
    )
    return claims


def test_discovery_is_served_over_https_that_the_local_ca_vouches_for(idps: LocalIdps) -> None:
    document = _discovery(idps)
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
    claims = _verified_claims(idps, _sign_in(idps)["id_token"])
    assert claims["sub"] == idps.oidc.username
    assert claims["email"] == "oidc-test-user@oidc.localhost"
    assert claims["name"] == "OIDC Test User"
    assert claims["groups"] == ["engineering"]


def test_a_wrong_password_gets_the_login_page_again_with_401(idps: LocalIdps) -> None:
    browser = Browser(idps.ca_file)
    url, page = _follow(browser, _authorize_url(idps, "relay-2"))
    login = first_form(page, url)
    reply = browser.post(
        login.action, {"username": idps.oidc.username, "password": password(idps, "oidc") + "x"}
    )
    assert reply.status == 401
    assert "Wrong username or password." in reply.body
    assert "location" not in reply.headers


def test_a_wrong_client_secret_gets_no_tokens(idps: LocalIdps) -> None:
    with pytest.raises(AssertionError, match="invalid_client"):
        _sign_in(idps, secret="not-the-secret")


def test_a_group_change_is_in_the_next_sign_ins_id_token(idps: LocalIdps) -> None:
    try:
        lifecycle.set_user_groups("oidc", ("engineering", "on-call"), idps.state_dir)
        assert _verified_claims(idps, _sign_in(idps)["id_token"])["groups"] == ["engineering", "on-call"]
        lifecycle.set_user_groups("oidc", ("sales",), idps.state_dir)
        assert _verified_claims(idps, _sign_in(idps)["id_token"])["groups"] == ["sales"]
    finally:
        lifecycle.set_user_groups("oidc", ("engineering",), idps.state_dir)

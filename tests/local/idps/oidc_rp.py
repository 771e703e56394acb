"""Cognito's side of an OIDC sign-in, for the tests: discovery, the authorize redirect as the emulator
builds it, the login and consent pages followed hop by hop, the token request, the ID token's check."""

from __future__ import annotations

import json
import urllib.parse
from typing import Any

import jwt

from operator_tools.local.idps import lifecycle
from tests.local.idps.conftest import OIDC_CLIENT_ID, OIDC_REDIRECT_URI, LocalIdps
from tests.local.idps.http_client import Browser, first_form
from tests.local.idps.saml_sp import password


def discovery(idps: LocalIdps) -> dict[str, Any]:
    reply = Browser(idps.ca_file).get(f"{idps.oidc.url}/.well-known/openid-configuration")
    assert reply.status == 200
    document: dict[str, Any] = json.loads(reply.body)
    return document


def client_secret(idps: LocalIdps) -> str:
    return lifecycle.oidc_client_secret(idps.state_dir)


def authorize_url(idps: LocalIdps, state: str, scope: str = "openid email profile groups") -> str:
    """The redirect the emulator sends a browser: no nonce, no PKCE (docs: federation-on-ministack)."""
    query = {
        "response_type": "code", "client_id": OIDC_CLIENT_ID, "redirect_uri": OIDC_REDIRECT_URI,
        "scope": scope, "state": state,
    }  # fmt: skip
    return f"{discovery(idps)['authorization_endpoint']}?{urllib.parse.urlencode(query)}"


def follow(browser: Browser, url: str) -> tuple[str, str]:
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


def sign_in(idps: LocalIdps, *, state: str = "relay-1", secret: str | None = None) -> dict[str, str]:
    """Login, consent, code, token (client_secret_post, as the emulator does); the token response."""
    browser = Browser(idps.ca_file)
    url, page = follow(browser, authorize_url(idps, state))
    login = first_form(page, url)
    assert set(login.fields) >= {"username", "password"}
    reply = browser.post(login.action, {"username": idps.oidc.username, "password": password(idps, "oidc")})
    assert reply.status in (302, 303), reply.body
    url, page = follow(browser, urllib.parse.urljoin(login.action, reply.location))
    # The consent page: each sign-in here is a new browser, so a new session with no grant yet.
    consent = first_form(page, url)
    assert "Allow" in page
    assert consent.action.endswith("/confirm")
    reply = browser.post(consent.action, consent.fields)
    url, _ = follow(browser, urllib.parse.urljoin(consent.action, reply.location))
    query = urllib.parse.parse_qs(urllib.parse.urlsplit(url).query)
    assert query["state"] == [state]
    token_request = {
        "grant_type": "authorization_code", "code": query["code"][0], "redirect_uri": OIDC_REDIRECT_URI,
        "client_id": OIDC_CLIENT_ID, "client_secret": secret or client_secret(idps),
    }  # fmt: skip
    token_reply = Browser(idps.ca_file).post(discovery(idps)["token_endpoint"], token_request)
    assert token_reply.status == 200, token_reply.body
    tokens: dict[str, str] = json.loads(token_reply.body)
    return tokens


def verified_claims(idps: LocalIdps, id_token: str) -> dict[str, Any]:
    jwks = json.loads(Browser(idps.ca_file).get(discovery(idps)["jwks_uri"]).body)
    key = jwt.PyJWKSet.from_dict(jwks)[jwt.get_unverified_header(id_token)["kid"]]
    claims: dict[str, Any] = jwt.decode(
        id_token, key, algorithms=["RS256"], audience=OIDC_CLIENT_ID, issuer=idps.oidc.url
    )
    return claims

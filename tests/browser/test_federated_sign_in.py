"""Federated sign-in in Chromium (`make e2e-browser`): the sample SPA sends ``identity_provider``, the
browser lands on the local SAML IdP's own login page (pysaml2), a person signs in there, and the
IdP's signed response goes through Cognito's ACS back to the app, which shows the ID token's claims
(the mapped ``email`` and ``custom:idp_groups``, the ``identities`` naming the provider) and calls
GET /me with the access token.

The IdP serves HTTPS with a certificate from a CA made on this machine; the browser accepts exactly
that certificate (its SPKI hash, see conftest.py), and the IdP sends the browser's hop to Cognito's
ACS, an AWS host name, to the emulator's gateway.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlsplit

from selenium.webdriver import Chrome

from cdk_app.config.federation import SamlConfig
from operator_tools.local.idps import users
from operator_tools.local.idps.layout import IdpFiles
from tests.browser.conftest import ServedApp
from tests.browser.spa_page import SpaPage


def _identities(claims: dict[str, Any]) -> list[dict[str, Any]]:
    """The ``identities`` claim: a list of objects (Cognito), or the same as a JSON string."""
    raw = claims["identities"]
    parsed: list[dict[str, Any]] = json.loads(raw) if isinstance(raw, str) else raw
    return parsed


def test_a_person_signs_in_through_the_saml_idp_s_own_page(
    browser: Chrome, saml_app: ServedApp, saml_provider: SamlConfig, idp_files: IdpFiles
) -> None:
    assert saml_provider.metadata_url is not None, "the local SAML provider is configured by its URL"
    idp = urlsplit(str(saml_provider.metadata_url))
    person = users.load(idp_files.saml.user)  # the password stays in this process

    page = SpaPage(browser, saml_app.origin)
    page.open(f"/?identity_provider={saml_provider.name}")
    assert page.state == "signed-out"

    at = page.sign_in_at_idp(f"{idp.scheme}://{idp.netloc}/", person.username, person.password)

    assert at.startswith(f"https://{idp.netloc}{idp.path}")
    assert page.text("status") == f"Signed in as {person.email}."
    claims = page.claims()
    assert claims["email"] == person.email
    assert person.groups[0] in claims["custom:idp_groups"]
    assert [i["providerName"] for i in _identities(claims)] == [saml_provider.name]
    assert claims["cognito:username"].startswith(f"{saml_provider.name}_")
    print(
        f"SAML {saml_provider.name} in Chromium: signed in at {at}; claims email, "
        f"custom:idp_groups={claims['custom:idp_groups']!r}, identities={saml_provider.name}"
    )

    me = page.call_me()
    assert me["sub"] == claims["sub"]
    assert me["token_use"] == "access"

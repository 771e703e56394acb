"""The service provider's side of a SAML sign-in, for the tests: pysaml2's SP client, configured
from the IdP's published metadata, and an independent check of the Response's XML signatures."""

from __future__ import annotations

import base64
import json
import re
import zlib
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlencode

from lxml import etree
from saml2 import BINDING_HTTP_POST
from saml2.client import Saml2Client
from saml2.config import SPConfig
from signxml import DigestAlgorithm, SignatureConfiguration, SignatureMethod, XMLVerifier

from operator_tools.local.idps.xmlsec_signing import CONFIG_BACKEND, use_xmlsec
from tests.local.idps.conftest import ACS_URL, SP_ENTITY_ID, LocalIdps
from tests.local.idps.http_client import Browser, Form, first_form

SAML = "{urn:oasis:names:tc:SAML:2.0:assertion}"
SAMLP = "{urn:oasis:names:tc:SAML:2.0:protocol}"
DS = "{http://www.w3.org/2000/09/xmldsig#}"


def sp_client(idps: LocalIdps) -> Saml2Client:
    """Cognito's SP (its entity ID and ACS), knowing the IdP from the IdP's own metadata file."""
    config = SPConfig()
    config.load(
        {
            "entityid": SP_ENTITY_ID,
            "crypto_backend": CONFIG_BACKEND,
            "metadata": {"local": [str(idps.files.saml_metadata)]},
            "allow_unknown_attributes": True,
            "service": {
                "sp": {
                    "endpoints": {"assertion_consumer_service": [(ACS_URL, BINDING_HTTP_POST)]},
                    "want_response_signed": True,
                    "want_assertions_signed": True,
                    "authn_requests_signed": False,
                    "allow_unsolicited": False,
                }
            },
        }
    )
    client = Saml2Client(config=config)
    use_xmlsec(client)
    return client


def cognito_request(idps: LocalIdps) -> str:
    """The SSO redirect URL as the emulator builds it: a minimal AuthnRequest, deflated, with RelayState."""
    now = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    xml = (
        '<samlp:AuthnRequest xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" ID="_cognito1" Version="2.0" '
        f'IssueInstant="{now}" AssertionConsumerServiceURL="{ACS_URL}" Destination="{idps.saml.url}" '
        'ProtocolBinding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST">'
        f'<saml:Issuer xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion">{SP_ENTITY_ID}</saml:Issuer>'
        "</samlp:AuthnRequest>"
    )
    encoded = base64.b64encode(zlib.compress(xml.encode())[2:-4]).decode()
    return f"{idps.saml.url}?{urlencode({'SAMLRequest': encoded, 'RelayState': 'relay-1'})}"


@dataclass(frozen=True)
class SignIn:
    browser: Browser
    login_page: str
    login_form: Form


def open_login(idps: LocalIdps, sso_url: str) -> SignIn:
    browser = Browser(idps.ca_file)
    page = browser.get(sso_url)
    assert page.status == 200, page.body
    return SignIn(browser, page.body, first_form(page.body, sso_url))


def submit(sign_in: SignIn, username: str, password: str) -> tuple[int, str]:
    reply = sign_in.browser.post(
        sign_in.login_form.action, sign_in.login_form.fields | {"username": username, "password": password}
    )
    return reply.status, reply.body


def password(idps: LocalIdps, kind: str) -> str:
    """The test user's password, read from its 0600 file as a person would."""
    user_file = idps.files.saml.user if kind == "saml" else idps.files.oidc.user
    value: str = json.loads(user_file.read_text())["password"]
    return value


def idp_certificate(idps: LocalIdps) -> str:
    """The signing certificate the IdP's metadata publishes, as PEM."""
    root = etree.fromstring(idps.files.saml_metadata.read_bytes())
    (b64,) = [e.text for e in root.iter(f"{DS}X509Certificate")]
    body = re.sub(r"\s+", "", b64 or "")
    lines = [body[i : i + 64] for i in range(0, len(body), 64)]
    return "-----BEGIN CERTIFICATE-----\n" + "\n".join(lines) + "\n-----END CERTIFICATE-----\n"


def verify_both_signatures(response_xml: bytes, cert_pem: str) -> tuple[Any, Any]:
    """signxml (not libxmlsec1) checks the Response's and the Assertion's signatures, RSA-SHA256 and
    SHA-256 only; returns the two signed elements."""
    config = SignatureConfiguration(
        signature_methods=frozenset({SignatureMethod.RSA_SHA256}),
        digest_algorithms=frozenset({DigestAlgorithm.SHA256}),
        require_x509=True,
    )
    root = etree.fromstring(response_xml)
    signed_response = (
        XMLVerifier().verify(root, x509_cert=cert_pem, expect_config=config, id_attribute="ID").signed_xml
    )
    assertion = root.find(f"{SAML}Assertion")
    assert assertion is not None
    alone = etree.fromstring(etree.tostring(assertion))
    signed_assertion = (
        XMLVerifier().verify(alone, x509_cert=cert_pem, expect_config=config, id_attribute="ID").signed_xml
    )
    return signed_response, signed_assertion


def attributes(assertion: Any) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for attribute in assertion.iter(f"{SAML}Attribute"):
        found[attribute.get("Name")] = [v.text for v in attribute.iter(f"{SAML}AttributeValue")]
    return found

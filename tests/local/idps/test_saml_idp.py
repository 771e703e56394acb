"""The local SAML IdP (pysaml2) as a service provider meets it: a real SP client's AuthnRequest, the
login page, and a Response whose two RSA-SHA256 signatures verify with the IdP's published cert."""

from __future__ import annotations

import base64
import re
from pathlib import Path

import pytest
from lxml import etree
from saml2 import BINDING_HTTP_POST, BINDING_HTTP_REDIRECT
from saml2.saml import NAMEID_FORMAT_EMAILADDRESS

from operator_tools.local.idps import lifecycle
from tests.local.idps.conftest import ACS_URL, SP_ENTITY_ID, LocalIdps, sp_metadata
from tests.local.idps.http_client import Browser, first_form
from tests.local.idps.saml_sp import (
    DS,
    SAML,
    SAMLP,
    attributes,
    cognito_request,
    idp_certificate,
    open_login,
    password,
    sp_client,
    submit,
    verify_both_signatures,
)

MD = "{urn:oasis:names:tc:SAML:2.0:metadata}"

pytestmark = pytest.mark.idps


def _sign_in(idps: LocalIdps, sso_url: str) -> tuple[bytes, dict[str, str], str]:
    """Sign in as the test user; the decoded Response, the auto-post form's fields and its action."""
    status, page = submit(open_login(idps, sso_url), idps.saml.username, password(idps, "saml"))
    assert status == 200, page
    form = first_form(page, sso_url)
    return base64.b64decode(form.fields["SAMLResponse"]), form.fields, form.action


def test_the_metadata_names_the_entity_its_redirect_sso_url_and_its_signing_certificate(
    idps: LocalIdps,
) -> None:
    served = Browser(idps.ca_file).get(idps.saml.url)
    assert served.status == 200
    assert served.headers["content-type"] == "application/samlmetadata+xml"
    root = etree.fromstring(served.body.encode())
    assert root.get("entityID") == idps.saml.url
    (sso,) = root.iter(f"{MD}SingleSignOnService")
    assert (sso.get("Binding"), sso.get("Location")) == (BINDING_HTTP_REDIRECT, idps.saml.url)
    (key,) = root.iter(f"{MD}KeyDescriptor")
    assert key.get("use") in (None, "signing")
    published = idps.files.saml_metadata.read_text()
    assert served.body == published
    signing = "".join(idps.files.saml_signing_cert.read_text().splitlines()[1:-1])
    assert re.sub(r"\s+", "", next(root.iter(f"{DS}X509Certificate")).text or "") == signing


def test_a_pysaml2_sp_sign_in_gets_a_response_and_assertion_both_signed_rsa_sha256(idps: LocalIdps) -> None:
    client = sp_client(idps)
    request_id, info = client.prepare_for_authenticate(entityid=idps.saml.url, relay_state="relay-sp")
    sso_url = dict(info["headers"])["Location"]
    response_xml, fields, action = _sign_in(idps, sso_url)

    assert (action, fields["RelayState"]) == (ACS_URL, "relay-sp")
    signed_response, signed_assertion = verify_both_signatures(response_xml, idp_certificate(idps))
    assert signed_response.tag == f"{SAMLP}Response"
    assert signed_assertion.tag == f"{SAML}Assertion"
    for method in etree.fromstring(response_xml).iter(f"{DS}SignatureMethod"):
        assert method.get("Algorithm") == "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256"
    # The SP client itself accepts it: its own signature checks, audience, destination, InResponseTo.
    parsed = client.parse_authn_request_response(
        fields["SAMLResponse"], BINDING_HTTP_POST, outstanding={request_id: "/"}
    )
    assert parsed.in_response_to == request_id
    assert parsed.response.signature is not None
    assert parsed.assertion.signature is not None
    assert parsed.name_id.text == idps.saml.username


def test_the_assertion_carries_the_name_id_email_name_and_group(idps: LocalIdps) -> None:
    response_xml, _, _ = _sign_in(idps, cognito_request(idps))
    root = etree.fromstring(response_xml)
    assertion = root.find(f"{SAML}Assertion")
    assert assertion is not None
    assert root.get("InResponseTo") == "_cognito1"
    assert root.get("Destination") == ACS_URL
    assert assertion.findtext(f"{SAML}Subject/{SAML}NameID") == "saml-test-user"
    assert assertion.findtext(f"{SAML}Conditions/{SAML}AudienceRestriction/{SAML}Audience") == SP_ENTITY_ID
    assert attributes(assertion) == {
        "email": ["saml-test-user@saml.localhost"],
        "name": ["SAML Test User"],
        "groups": ["engineering"],
    }


def test_a_wrong_password_gets_the_login_page_again_with_401_and_no_response(idps: LocalIdps) -> None:
    sign_in = open_login(idps, cognito_request(idps))
    status, page = submit(sign_in, idps.saml.username, password(idps, "saml") + "x")
    assert status == 401
    assert "Wrong username or password." in page
    assert "SAMLResponse" not in page
    status, page = submit(sign_in, "someone-else", password(idps, "saml"))
    assert status == 401
    assert "SAMLResponse" not in page


def test_a_group_change_is_asserted_at_the_next_sign_in(idps: LocalIdps) -> None:
    try:
        lifecycle.set_user_groups("saml", ("engineering", "on-call"), idps.state_dir)
        response_xml, _, _ = _sign_in(idps, cognito_request(idps))
        assertion = etree.fromstring(response_xml).find(f"{SAML}Assertion")
        assert attributes(assertion)["groups"] == ["engineering", "on-call"]
        lifecycle.set_user_groups("saml", ("sales",), idps.state_dir)
        response_xml, _, _ = _sign_in(idps, cognito_request(idps))
        assert attributes(etree.fromstring(response_xml).find(f"{SAML}Assertion"))["groups"] == ["sales"]
    finally:
        lifecycle.set_user_groups("saml", ("engineering",), idps.state_dir)


def test_a_request_from_an_sp_missing_from_the_sp_metadata_is_refused(idps: LocalIdps) -> None:
    url = cognito_request(idps).replace("_cognito1", "_other")
    client = sp_client(idps)
    client.config.entityid = "urn:amazon:cognito:sp:eu-west-1_Unknown"
    _, info = client.prepare_for_authenticate(entityid=idps.saml.url)
    refused = Browser(idps.ca_file).get(dict(info["headers"])["Location"])
    assert refused.status == 400
    assert "sp-metadata" in refused.body
    assert Browser(idps.ca_file).get(url).status == 200


def test_a_new_sp_metadata_file_is_read_without_a_restart(idps: LocalIdps) -> None:
    """A new pool (another ID, so another entity ID) is a new SP metadata document."""
    sp_file = Path(idps.saml_spec.sp_metadata)
    original = sp_file.read_text()
    new_entity = "urn:amazon:cognito:sp:eu-west-1_NewPool99"
    try:
        sp_file.write_text(sp_metadata(entity_id=new_entity))
        client = sp_client(idps)
        client.config.entityid = new_entity
        _, info = client.prepare_for_authenticate(entityid=idps.saml.url)
        response_xml, _, _ = _sign_in(idps, dict(info["headers"])["Location"])
        audience = etree.fromstring(response_xml).findtext(f".//{SAML}Audience")
        assert audience == new_entity
        assert lifecycle.status(idps.state_dir)[0].pid == idps.saml.pid
    finally:
        sp_file.write_text(original)


def test_the_name_id_is_the_email_when_the_request_asks_for_email_addresses(idps: LocalIdps) -> None:
    client = sp_client(idps)
    _, info = client.prepare_for_authenticate(
        entityid=idps.saml.url, nameid_format=NAMEID_FORMAT_EMAILADDRESS
    )
    response_xml, _, _ = _sign_in(idps, dict(info["headers"])["Location"])
    name_id = etree.fromstring(response_xml).find(f".//{SAML}Subject/{SAML}NameID")
    assert name_id is not None
    assert (name_id.get("Format"), name_id.text) == (
        NAMEID_FORMAT_EMAILADDRESS,
        "saml-test-user@saml.localhost",
    )

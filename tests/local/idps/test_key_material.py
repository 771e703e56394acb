"""The local IdPs' key material and test users: made once, reused, 0600, and never shown."""

from __future__ import annotations

import os
import ssl
import stat
from pathlib import Path

import pytest
from cryptography import x509
from lxml import etree

from operator_tools.local.idps import certificates, users
from operator_tools.local.idps.errors import IdpError
from operator_tools.local.idps.layout import IdpFiles
from operator_tools.local.idps.lifecycle import ensure_ca
from operator_tools.local.idps.saml_idp import SamlIdp, SamlSettings
from operator_tools.local.idps.xmlsec_signing import XmlsecBackend, check_available


def _mode(path: Path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def test_the_ca_is_made_once_and_issues_an_https_certificate_for_loopback_only(tmp_path: Path) -> None:
    files = IdpFiles(tmp_path)
    ca_file = ensure_ca(tmp_path)
    first = (files.ca_cert.read_bytes(), files.tls_cert.read_bytes())
    assert ensure_ca(tmp_path) == ca_file
    assert (files.ca_cert.read_bytes(), files.tls_cert.read_bytes()) == first
    assert (_mode(files.ca_key), _mode(files.tls_key)) == (0o600, 0o600)
    leaf = x509.load_pem_x509_certificate(files.tls_cert.read_bytes())
    names = leaf.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    assert [str(n.value) for n in names] == ["127.0.0.1", "localhost"]
    ca = x509.load_pem_x509_certificate(files.ca_cert.read_bytes())
    leaf.verify_directly_issued_by(ca)
    # A TLS client that trusts ca.pem accepts the leaf; the system's trust store knows neither.
    context = ssl.create_default_context(cafile=str(ca_file))
    assert context.get_ca_certs()[0]["subject"] == ((("commonName", ca.subject.rfc4514_string()[3:]),),)


def test_a_new_ca_makes_a_new_https_certificate(tmp_path: Path) -> None:
    files = IdpFiles(tmp_path)
    ensure_ca(tmp_path)
    old_leaf = files.tls_cert.read_bytes()
    files.ca_key.unlink()
    ensure_ca(tmp_path)
    new_ca = x509.load_pem_x509_certificate(files.ca_cert.read_bytes())
    assert files.tls_cert.read_bytes() != old_leaf
    x509.load_pem_x509_certificate(files.tls_cert.read_bytes()).verify_directly_issued_by(new_ca)


def test_the_spki_hash_is_of_the_certificates_public_key(tmp_path: Path) -> None:
    ensure_ca(tmp_path)
    digest = certificates.spki_sha256(IdpFiles(tmp_path).tls_cert)
    assert len(digest) == 44
    assert digest.endswith("=")


def test_a_test_user_keeps_its_password_across_ensure_and_group_changes(tmp_path: Path) -> None:
    path = tmp_path / "user.json"
    user = users.ensure(path, "u", "u@x.localhost", "U")
    assert _mode(path) == 0o600
    assert user.groups == ("engineering",)
    assert len(user.password) >= 24
    assert user.password not in repr(user)
    assert users.ensure(path, "u", "u@x.localhost", "U") == user
    changed = users.set_groups(path, ("a", "b"))
    assert (changed.groups, changed.password) == (("a", "b"), user.password)
    assert users.load(path) == changed
    assert changed.accepts("u", user.password)
    assert not changed.accepts("u", user.password[:-1])
    assert users.ensure(path, "v", "v@x.localhost", "V").password != user.password


def test_a_malformed_user_file_is_one_line_naming_it(tmp_path: Path) -> None:
    path = tmp_path / "user.json"
    path.write_text('{"username": "u"}')
    with pytest.raises(IdpError, match=f"^{path} holds no test user; `make up` makes it again$"):
        users.load(path)
    with pytest.raises(IdpError, match="without surrounding spaces"):
        users.set_groups(path, (" padded",))


def test_python_xmlsec_loads_beside_this_lxml() -> None:
    """xmlsec refuses to work beside an lxml built on another libxml2: the lock must keep them paired."""
    assert check_available().startswith("1.")
    import xmlsec

    assert xmlsec.get_libxml_version() == etree.LIBXML_VERSION


def _idp(tmp_path: Path, gateway: str | None) -> SamlIdp:
    certificates.ensure_signing(tmp_path / "s.pem", tmp_path / "s-key.pem", "test")
    settings = SamlSettings(
        url="https://127.0.0.1:1/saml/idp",
        sp_metadata=tmp_path / "none.xml",
        signing_cert=tmp_path / "s.pem",
        signing_key=tmp_path / "s-key.pem",
        user_file=tmp_path / "user.json",
        metadata_file=tmp_path / "md.xml",
        gateway=gateway,
    )
    return SamlIdp(settings)


def test_a_signature_over_an_edited_document_or_a_remote_reference_does_not_verify(tmp_path: Path) -> None:
    idp = _idp(tmp_path, None)
    metadata = idp.metadata_xml()
    assert "https://127.0.0.1:1/saml/idp" in metadata
    template = (
        '<r:Doc xmlns:r="urn:test" ID="d1"><ds:Signature xmlns:ds="http://www.w3.org/2000/09/xmldsig#">'
        '<ds:SignedInfo><ds:CanonicalizationMethod Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"/>'
        '<ds:SignatureMethod Algorithm="http://www.w3.org/2001/04/xmldsig-more#rsa-sha256"/>'
        '<ds:Reference URI="#d1"><ds:Transforms>'
        '<ds:Transform Algorithm="http://www.w3.org/2000/09/xmldsig#enveloped-signature"/></ds:Transforms>'
        '<ds:DigestMethod Algorithm="http://www.w3.org/2001/04/xmlenc#sha256"/><ds:DigestValue/></ds:Reference>'
        "</ds:SignedInfo><ds:SignatureValue/></ds:Signature><r:Value>42</r:Value></r:Doc>"
    )
    backend = XmlsecBackend()
    signed = backend.sign_statement(template, "urn:test:Doc", str(tmp_path / "s-key.pem"), "d1")
    check = (str(tmp_path / "s.pem"), "pem", "urn:test:Doc", "d1")
    assert backend.validate_signature(signed, *check)
    assert not backend.validate_signature(signed.replace(">42<", ">43<"), *check)
    assert not backend.validate_signature(
        signed.replace('URI="#d1"', 'URI="http://example.invalid/x"'), *check
    )


def test_with_a_gateway_the_browser_posts_to_the_gateway_and_without_one_to_the_acs(tmp_path: Path) -> None:
    acs = "https://sso-local.auth.eu-west-1.amazoncognito.com/saml2/idpresponse"
    assert _idp(tmp_path, None).browser_target(acs) == acs
    gateway = _idp(tmp_path, "http://127.0.0.1:4566/")
    assert gateway.browser_target(acs) == "http://127.0.0.1:4566/saml2/idpresponse"

"""The SAML 2.0 metadata of the user pool as a service provider: what an IdP administrator imports.

The document says what Cognito's documentation tells an IdP administrator to enter by hand
(docs.aws.amazon.com/cognito, "Adding SAML identity providers to a user pool"):

- the entity ID (audience) ``urn:amazon:cognito:sp:<user pool ID>``;
- the assertion consumer service ``https://<domain>/saml2/idpresponse``, HTTP-POST binding (the one
  binding Cognito's ACS takes);
- the NameID format: ``persistent`` by default. Cognito names each federated user
  ``<provider>_<NameID>``, so the NameID must stay the same at every sign-in (a transient one would make
  a new user each time); ``unspecified`` or ``emailAddress`` suit an IdP that sends a stable value in
  another format;
- the pool's signing certificate (``GetSigningCertificate``) when Cognito signs requests to this IdP
  (``RequestSigningAlgorithm``, and ``IDPSignout``, whose logout requests are signed), and then the
  sign-out endpoint ``https://<domain>/saml2/logout`` when IdP sign-out is on;
- the provider's encryption certificate (its ``ActiveEncryptionCertificate``) when it sends encrypted
  assertions (``EncryptedResponses``).

Element order and attributes follow the OASIS schema (saml-schema-metadata-2.0.xsd): in an
SPSSODescriptor, KeyDescriptor*, SingleLogoutService*, NameIDFormat*, AssertionConsumerService+.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass
from typing import Final

MD: Final = "urn:oasis:names:tc:SAML:2.0:metadata"
DS: Final = "http://www.w3.org/2000/09/xmldsig#"
PROTOCOL: Final = "urn:oasis:names:tc:SAML:2.0:protocol"
HTTP_POST: Final = "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST"
NAME_ID_FORMATS: Final = {
    "persistent": "urn:oasis:names:tc:SAML:2.0:nameid-format:persistent",
    "unspecified": "urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified",
    "emailAddress": "urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress",
}
ENTITY_ID_PREFIX: Final = "urn:amazon:cognito:sp:"
ACS_PATH: Final = "/saml2/idpresponse"
LOGOUT_PATH: Final = "/saml2/logout"


@dataclass(frozen=True)
class ServiceProvider:
    """The pool as one SAML provider's service provider.

    ``signing_certificate`` and ``encryption_certificate`` are base64 DER (PEM armour and whitespace are
    dropped); ``requests_signed`` says Cognito signs its AuthnRequests; ``sign_out`` adds the
    SingleLogoutService (Cognito signs its logout requests, so it comes with the signing certificate).
    """

    entity_id: str
    acs_url: str
    name_id_format: str = NAME_ID_FORMATS["persistent"]
    requests_signed: bool = False
    signing_certificate: str | None = None
    encryption_certificate: str | None = None
    sign_out: bool = False

    @property
    def logout_url(self) -> str:
        """``https://<domain>/saml2/logout``: where the IdP sends logout requests and responses."""
        return self.acs_url.removesuffix(ACS_PATH) + LOGOUT_PATH


def certificate_text(certificate: str) -> str:
    """A certificate as metadata holds it: base64 DER, without PEM armour or whitespace."""
    lines = [line.strip() for line in certificate.strip().splitlines()]
    return "".join(line for line in lines if line and not line.startswith("-----"))


def sp_metadata(sp: ServiceProvider) -> str:
    """The EntityDescriptor document (UTF-8 XML with a declaration), ending in a newline."""
    ET.register_namespace("md", MD)
    ET.register_namespace("ds", DS)
    root = ET.Element(f"{{{MD}}}EntityDescriptor", {"entityID": sp.entity_id})
    descriptor = ET.SubElement(
        root,
        f"{{{MD}}}SPSSODescriptor",
        {
            "AuthnRequestsSigned": "true" if sp.requests_signed else "false",
            # Cognito rejects a response whose assertion the IdP did not sign.
            "WantAssertionsSigned": "true",
            "protocolSupportEnumeration": PROTOCOL,
        },
    )
    for use, certificate in (("signing", sp.signing_certificate), ("encryption", sp.encryption_certificate)):
        if certificate:
            _key_descriptor(descriptor, use, certificate_text(certificate))
    if sp.sign_out:
        ET.SubElement(
            descriptor, f"{{{MD}}}SingleLogoutService", {"Binding": HTTP_POST, "Location": sp.logout_url}
        )
    ET.SubElement(descriptor, f"{{{MD}}}NameIDFormat").text = sp.name_id_format
    ET.SubElement(
        descriptor,
        f"{{{MD}}}AssertionConsumerService",
        {"Binding": HTTP_POST, "Location": sp.acs_url, "index": "0", "isDefault": "true"},
    )
    ET.indent(root)
    return (
        ET.tostring(root, encoding="unicode", xml_declaration=True).replace(
            "<?xml version='1.0' encoding='utf-8'?>", '<?xml version="1.0" encoding="UTF-8"?>'
        )
        + "\n"
    )


def _key_descriptor(parent: ET.Element, use: str, certificate: str) -> None:
    key = ET.SubElement(parent, f"{{{MD}}}KeyDescriptor", {"use": use})
    data = ET.SubElement(ET.SubElement(key, f"{{{DS}}}KeyInfo"), f"{{{DS}}}X509Data")
    ET.SubElement(data, f"{{{DS}}}X509Certificate").text = certificate

"""XML signatures for pysaml2 through python-xmlsec, so no system ``xmlsec1`` program is needed.

pysaml2 signs by running the ``xmlsec1`` program (Debian's ``xmlsec1`` package) on a temporary file.
python-xmlsec binds the same library, libxmlsec1, and its wheels on PyPI carry it, so ``make`` brings
it like any other locked package. ``XmlsecBackend`` is a pysaml2 ``CryptoBackend`` that does in
process what pysaml2 asks the program for: fill in the ``ds:Signature`` template pysaml2 has put in
the element with the given ID (``sign_statement``), or check one (``validate_signature``). Each
element's ``ID`` attribute is registered as an XML ID, as ``xmlsec1 --id-attr:ID`` does, and a
signature is only checked if its references are same-document ones.

``use_xmlsec(entity)`` installs it on a pysaml2 ``Server`` or ``Saml2Client``; build their configs
with ``crypto_backend: XMLSecurity`` (see ``CONFIG_BACKEND``), whose construction looks for no
program.
"""

from __future__ import annotations

from typing import Any

import xmlsec
from lxml import etree
from saml2.sigver import CryptoBackend, SignatureError

from operator_tools.local.idps.errors import IdpError

CONFIG_BACKEND = "XMLSecurity"
_DS_SIGNATURE = "{http://www.w3.org/2000/09/xmldsig#}Signature"
_DS_REFERENCE = "{http://www.w3.org/2000/09/xmldsig#}Reference"
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)


def check_available() -> str:
    """The libxmlsec1 version python-xmlsec runs, or an ``IdpError`` saying why it cannot load."""
    try:
        xmlsec.init()
    except xmlsec.Error as exc:
        raise IdpError(f"python-xmlsec cannot start libxmlsec1 ({exc}); run make setup") from None
    return _libxmlsec_version()


class XmlsecBackend(CryptoBackend):  # type: ignore[misc]  # pysaml2 ships no types
    """pysaml2's signing and signature checks, done by libxmlsec1 in this process."""

    @property
    def version(self) -> str:
        return _libxmlsec_version()

    def sign_statement(self, statement: Any, node_name: str, key_file: str, node_id: str | None) -> str:
        """``statement`` with the signature template of element ``node_name``/``node_id`` filled in."""
        root = _parse(statement)
        context = _context(root)
        context.key = xmlsec.Key.from_file(key_file, xmlsec.constants.KeyDataFormatPem)
        try:
            context.sign(_signature_of(root, node_name, node_id))
        except xmlsec.Error as exc:
            raise SignatureError(f"libxmlsec1 could not sign {node_name}: {exc}") from None
        return str(etree.tostring(root, encoding="unicode"))

    def validate_signature(
        self, signedtext: Any, cert_file: str, cert_type: str, node_name: str, node_id: str | None
    ) -> bool:
        """True if the signature of element ``node_name``/``node_id`` verifies with ``cert_file``."""
        if cert_type != "pem":
            raise SignatureError(f"only PEM certificates are supported, not {cert_type!r}")
        root = _parse(signedtext)
        signature = _signature_of(root, node_name, node_id)
        # Same-document references only (pysaml2 asks xmlsec1 for "empty,same-doc"): libxmlsec1
        # would otherwise fetch a reference's file or URL.
        if any(not (ref.get("URI") or "#").startswith("#") for ref in signature.iter(_DS_REFERENCE)):
            return False
        context = _context(root)
        context.key = xmlsec.Key.from_file(cert_file, xmlsec.constants.KeyDataFormatCertPem)
        try:
            context.verify(signature)
        except xmlsec.Error:
            return False
        return True

    def encrypt(self, *args: Any, **kwargs: Any) -> Any:
        raise SignatureError("the local IdP does not encrypt assertions")

    def encrypt_assertion(self, *args: Any, **kwargs: Any) -> Any:
        raise SignatureError("the local IdP does not encrypt assertions")

    def decrypt(self, *args: Any, **kwargs: Any) -> Any:
        raise SignatureError("the local IdP does not decrypt")


def use_xmlsec(entity: Any) -> None:
    """Make a pysaml2 entity (``Server``, ``Saml2Client``) sign and verify through ``XmlsecBackend``."""
    entity.sec.crypto = XmlsecBackend()


def _libxmlsec_version() -> str:
    version: tuple[int, ...] = xmlsec.get_libxmlsec_version()  # type: ignore[attr-defined]  # not in its stubs
    return ".".join(str(part) for part in version)


def _parse(document: Any) -> Any:
    if not isinstance(document, str | bytes):
        document = str(document)
    if isinstance(document, str):
        document = document.encode("utf-8")
    return etree.fromstring(document, _PARSER)


def _context(root: Any) -> Any:
    context = xmlsec.SignatureContext()
    for element in root.iter():
        if isinstance(element.tag, str) and element.get("ID"):
            context.register_id(element, "ID")
    return context


def _signature_of(root: Any, node_name: str, node_id: str | None) -> Any:
    namespace, _, local = node_name.rpartition(":")
    nodes = [n for n in root.iter(f"{{{namespace}}}{local}") if node_id is None or n.get("ID") == node_id]
    if len(nodes) != 1:
        raise SignatureError(f"expected one {local} with ID {node_id!r}, found {len(nodes)}")
    signature = nodes[0].find(_DS_SIGNATURE)
    if signature is None:
        raise SignatureError(f"{local} {node_id!r} has no ds:Signature")
    return signature

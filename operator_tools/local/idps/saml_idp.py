"""The SAML 2.0 IdP itself, without HTTP: pysaml2's ``Server`` configured from the IdP's settings and
the service provider's metadata file, signing with ``XmlsecBackend``.

Guarantees:

- one URL is the IdP's entity ID, its metadata URL and its HTTP-Redirect SSO URL (see docs/local.md,
  "Local identity providers": the local config names it as ``metadata_url``);
- the SP is known only from its metadata file (the one ``make sp-metadata`` writes); the file is
  reread whenever it changes, so a new pool needs no restart; a missing file means no SP is known;
- an AuthnRequest is parsed and checked by pysaml2 (a known SP, its registered ACS, the Destination);
- a Response and its Assertion are both signed, RSA-SHA256 with SHA-256 digests, and carry the NameID
  (the format the request or the SP's metadata asks for), ``email``, ``name`` and ``groups``
  (basic name format, the names as written, one value each for email and name, one per group).
"""

from __future__ import annotations

import base64
import secrets
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from saml2 import BINDING_HTTP_POST, BINDING_HTTP_REDIRECT, xmldsig
from saml2.attribute_converter import AttributeConverter
from saml2.config import IdPConfig
from saml2.metadata import entity_descriptor
from saml2.saml import (
    NAME_FORMAT_BASIC,
    NAMEID_FORMAT_EMAILADDRESS,
    NAMEID_FORMAT_TRANSIENT,
    NAMEID_FORMAT_UNSPECIFIED,
    NameID,
)
from saml2.server import Server

from operator_tools.local.idps.users import IdpUser
from operator_tools.local.idps.xmlsec_signing import CONFIG_BACKEND, use_xmlsec

ATTRIBUTES = ("email", "name", "groups")
_PASSWORD_CLASS = "urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport"  # noqa: S105 - a URN


@dataclass(frozen=True)
class SamlSettings:
    """What the SAML IdP process is told (``settings.json``, written by ``lifecycle``)."""

    url: str
    sp_metadata: Path
    signing_cert: Path
    signing_key: Path
    user_file: Path
    metadata_file: Path
    gateway: str | None = None


@dataclass(frozen=True)
class SignInRequest:
    """An AuthnRequest pysaml2 accepted: which SP, and where its response goes."""

    request_id: str
    sp_entity_id: str
    acs_url: str
    name_id_format: str


class SamlIdp:
    """A pysaml2 IdP; thread-safe (one lock around pysaml2, which keeps state per request)."""

    def __init__(self, settings: SamlSettings) -> None:
        self.settings = settings
        self._lock = threading.Lock()
        self._sp_version: tuple[int, int] | None = None
        self._server = self._build()

    def metadata_xml(self) -> str:
        """The IdP's metadata document: entity ID, HTTP-Redirect SSO URL and signing certificate."""
        with self._lock:
            return str(entity_descriptor(self._server.config))

    def parse(
        self, saml_request: str, relay_state: str | None, sig_alg: str | None, signature: str | None
    ) -> SignInRequest:
        """The AuthnRequest of an HTTP-Redirect binding; pysaml2's exception if it refuses it."""
        with self._lock:
            server = self._current()
            message = server.parse_authn_request(
                saml_request,
                BINDING_HTTP_REDIRECT,
                relay_state=relay_state,
                sigalg=sig_alg,
                signature=signature,
            ).message
            args = server.response_args(message, [BINDING_HTTP_POST])
            return SignInRequest(
                request_id=args["in_response_to"],
                sp_entity_id=args["sp_entity_id"],
                acs_url=args["destination"],
                name_id_format=self._name_id_format(message, args["sp_entity_id"]),
            )

    def respond(self, request: SignInRequest, user: IdpUser) -> str:
        """The signed Response for ``user`` to ``request``, base64 for the HTTP-POST binding."""
        with self._lock:
            server = self._current()
            response = server.create_authn_response(
                {"email": [user.email], "name": [user.name], "groups": list(user.groups)},
                in_response_to=request.request_id,
                destination=request.acs_url,
                sp_entity_id=request.sp_entity_id,
                userid=user.username,
                name_id=NameID(format=request.name_id_format, text=_name_id(request.name_id_format, user)),
                authn={"class_ref": _PASSWORD_CLASS},
                sign_response=True,
                sign_assertion=True,
                sign_alg=xmldsig.SIG_RSA_SHA256,
                digest_alg=xmldsig.DIGEST_SHA256,
            )
        return base64.b64encode(str(response).encode("utf-8")).decode("ascii")

    def browser_target(self, acs_url: str) -> str:
        """Where the browser posts the response: the ACS, or with a gateway set, the same path there
        (the emulator serves the pool domain's ``/saml2/idpresponse`` on its gateway)."""
        gateway = self.settings.gateway
        if not gateway:
            return acs_url
        path = acs_url.split("://", 1)[-1].partition("/")[2]
        return f"{gateway.rstrip('/')}/{path}"

    def _current(self) -> Server:
        if self._sp_file_version() != self._sp_version:
            self._server = self._build()
        return self._server

    def _build(self) -> Server:
        self._sp_version = self._sp_file_version()
        config = IdPConfig()
        config.load(_config_dict(self.settings, self._sp_version is not None))
        server = Server(config=config)
        use_xmlsec(server)
        # The attribute names as written, in the basic name format (pysaml2 would rename them).
        converter = AttributeConverter(NAME_FORMAT_BASIC)
        converter.from_dict(
            {
                "identifier": NAME_FORMAT_BASIC,
                "fro": {n: n for n in ATTRIBUTES},
                "to": {n: n for n in ATTRIBUTES},
            }
        )
        server.config.attribute_converters = [converter]
        return server

    def _sp_file_version(self) -> tuple[int, int] | None:
        try:
            stat = self.settings.sp_metadata.stat()
        except OSError:
            return None
        return (stat.st_mtime_ns, stat.st_size)

    def _name_id_format(self, message: Any, sp_entity_id: str) -> str:
        policy = getattr(message, "name_id_policy", None)
        if policy is not None and policy.format:
            return str(policy.format)
        try:
            formats = self._server.metadata[sp_entity_id]["spsso_descriptor"][0].get("name_id_format", [])
        except (KeyError, IndexError, TypeError):
            formats = []
        return str(formats[0]["text"]).strip() if formats else NAMEID_FORMAT_UNSPECIFIED


def _name_id(name_id_format: str, user: IdpUser) -> str:
    if name_id_format == NAMEID_FORMAT_EMAILADDRESS:
        return user.email
    if name_id_format == NAMEID_FORMAT_TRANSIENT:
        return "_" + secrets.token_hex(16)
    return user.username


def _config_dict(settings: SamlSettings, with_sp: bool) -> dict[str, Any]:
    return {
        "entityid": settings.url,
        "crypto_backend": CONFIG_BACKEND,
        "key_file": str(settings.signing_key),
        "cert_file": str(settings.signing_cert),
        "metadata": {"local": [str(settings.sp_metadata)]} if with_sp else {},
        "service": {
            "idp": {
                "name": "cognito-sso local SAML IdP",
                "endpoints": {"single_sign_on_service": [(settings.url, BINDING_HTTP_REDIRECT)]},
                "name_id_format": [NAMEID_FORMAT_UNSPECIFIED, NAMEID_FORMAT_EMAILADDRESS],
                "want_authn_requests_signed": False,
                "sign_response": True,
                "sign_assertion": True,
                "policy": {
                    "default": {
                        "lifetime": {"minutes": 5},
                        "attribute_restrictions": None,
                        "name_form": NAME_FORMAT_BASIC,
                    }
                },
            }
        },
    }

"""SAML IdP metadata made in the tests: real X.509 certificates (cryptography) that expire when a test
says, inside the KeyDescriptors a test chooses."""

from __future__ import annotations

import base64
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import cache
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import Encoding
from cryptography.x509.oid import NameOID

MD = "urn:oasis:names:tc:SAML:2.0:metadata"
DS = "http://www.w3.org/2000/09/xmldsig#"


@cache
def _key() -> ec.EllipticCurvePrivateKey:
    # One EC key for every test certificate: generating it is fast, and only the dates matter here.
    return ec.generate_private_key(ec.SECP256R1())


def certificate(common_name: str, not_after: datetime) -> str:
    """A self-signed certificate for ``common_name`` valid until ``not_after``, as metadata holds it
    (base64 DER, no PEM armour)."""
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])
    built = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(_key().public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(min(not_after, datetime.now(UTC)) - timedelta(days=365))
        .not_valid_after(not_after)
        .sign(_key(), hashes.SHA256())
    )
    return base64.b64encode(built.public_bytes(Encoding.DER)).decode("ascii")


def in_days(days: int) -> datetime:
    """Noon UTC, ``days`` from today (negative: in the past)."""
    today = datetime.now(UTC).replace(hour=12, minute=0, second=0, microsecond=0)
    return today + timedelta(days=days)


@dataclass(frozen=True)
class Key:
    """One KeyDescriptor: a certificate and its ``use`` (None: no use attribute, so both)."""

    certificate: str
    use: str | None = "signing"


def key_descriptor(key: Key) -> str:
    use = f' use="{key.use}"' if key.use else ""
    # Line-wrapped base64, as IdPs publish it: the parser must ignore the whitespace.
    wrapped = "\n".join(key.certificate[i : i + 64] for i in range(0, len(key.certificate), 64))
    return (
        f'<md:KeyDescriptor{use}><ds:KeyInfo xmlns:ds="{DS}"><ds:X509Data><ds:X509Certificate>\n'
        f"{wrapped}\n</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>"
    )


def idp_metadata(*keys: Key, sp_keys: tuple[Key, ...] = ()) -> str:
    """An EntityDescriptor with an IDPSSODescriptor holding ``keys`` (and, if given, an
    SPSSODescriptor holding ``sp_keys``, whose certificates are not the IdP's)."""
    sp = (
        f'<md:SPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">'
        f"{''.join(key_descriptor(k) for k in sp_keys)}"
        '<md:AssertionConsumerService index="0" Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" '
        'Location="https://sp.example.com/acs"/></md:SPSSODescriptor>'
        if sp_keys
        else ""
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<md:EntityDescriptor xmlns:md="{MD}" entityID="https://idp.example.com/metadata">'
        f'<md:IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">'
        f"{''.join(key_descriptor(k) for k in keys)}"
        '<md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" '
        'Location="https://idp.example.com/sso"/>'
        f"</md:IDPSSODescriptor>{sp}</md:EntityDescriptor>\n"
    )


Route = tuple[int, dict[str, str], bytes]


@contextmanager
def metadata_server(routes: dict[str, Route]) -> Iterator[str]:
    """An HTTP server on 127.0.0.1 (a free port) answering each path with (status, headers, body);
    yields its base URL and is always stopped."""

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            status, headers, body = routes.get(self.path, (404, {}, b"not found"))
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:
            """Quiet: the tests read their own assertions, not an access log."""

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)

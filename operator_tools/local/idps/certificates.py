"""Key material of the local IdPs, made on this machine with ``cryptography`` and kept under ``.local/``.

Guarantees:

- a local CA (``ca.pem``; its key ``ca-key.pem``, 0600) that only the emulator process and the test
  clients are told to trust; nothing is installed system-wide;
- the IdPs' HTTPS certificate, issued by that CA for ``127.0.0.1`` and ``localhost`` only;
- the SAML IdP's self-signed RSA signing certificate (SAML metadata carries it; no CA is involved);
- each is made once and reused while it is readable, unexpired and (for the HTTPS certificate) still
  issued by the current CA; anything else is made anew. Private keys are written 0600.
"""

from __future__ import annotations

import base64
import datetime
import hashlib
import ipaddress
from pathlib import Path
from typing import Any

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from operator_tools.local.idps.private_files import write_private

_RENEW_BEFORE = datetime.timedelta(days=7)
_CA_LIFETIME = datetime.timedelta(days=3650)
_LEAF_LIFETIME = datetime.timedelta(days=397)
_LOOPBACK_NAMES: tuple[x509.GeneralName, ...] = (
    x509.IPAddress(ipaddress.ip_address("127.0.0.1")),
    x509.DNSName("localhost"),
)
PrivateKey = rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey


def ensure_ca(cert_file: Path, key_file: Path) -> tuple[x509.Certificate, PrivateKey]:
    """The local CA at ``cert_file``/``key_file``, made if missing or about to expire."""
    existing = _load(cert_file, key_file)
    if existing is not None:
        return existing
    key = ec.generate_private_key(ec.SECP256R1())
    name = _name("cognito-sso local IdP CA (this machine only)")
    builder = (
        _builder(name, name, key, _CA_LIFETIME)
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=False, content_commitment=False, key_encipherment=False,
                data_encipherment=False, key_agreement=False, key_cert_sign=True, crl_sign=True,
                encipher_only=False, decipher_only=False,
            ),
            critical=True,
        )
    )  # fmt: skip
    cert = builder.sign(key, hashes.SHA256())
    _save(cert, key, cert_file, key_file)
    return cert, key


def ensure_tls(cert_file: Path, key_file: Path, ca: tuple[x509.Certificate, PrivateKey]) -> None:
    """An HTTPS server certificate for 127.0.0.1 and localhost, issued by ``ca``."""
    ca_cert, ca_key = ca
    existing = _load(cert_file, key_file)
    if existing is not None and _issued_by(existing[0], ca_cert):
        return
    key = ec.generate_private_key(ec.SECP256R1())
    cert = (
        _builder(_name("127.0.0.1"), ca_cert.subject, key, _LEAF_LIFETIME)
        .add_extension(x509.SubjectAlternativeName(list(_LOOPBACK_NAMES)), critical=False)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    _save(cert, key, cert_file, key_file)


def ensure_signing(cert_file: Path, key_file: Path, common_name: str) -> None:
    """A self-signed RSA-2048 certificate for XML signatures (RSA-SHA256)."""
    if _load(cert_file, key_file) is not None:
        return
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = _name(common_name)
    cert = _builder(name, name, key, _LEAF_LIFETIME).sign(key, hashes.SHA256())
    _save(cert, key, cert_file, key_file)


def rsa_private_jwk(key: rsa.RSAPrivateKey, kid: str) -> dict[str, Any]:
    """``key`` as a private JWK (RFC 7518 6.3) for RS256, the form oidc-provider's ``jwks`` takes."""
    numbers = key.private_numbers()
    public = numbers.public_numbers
    fields = {
        "n": public.n, "e": public.e, "d": numbers.d, "p": numbers.p, "q": numbers.q,
        "dp": numbers.dmp1, "dq": numbers.dmq1, "qi": numbers.iqmp,
    }  # fmt: skip
    return {"kty": "RSA", "kid": kid, "alg": "RS256", "use": "sig"} | {
        k: _b64url_int(v) for k, v in fields.items()
    }


def spki_sha256(cert_file: Path) -> str:
    """Base64 SHA-256 of the certificate's public key, the form Chromium's
    ``--ignore-certificate-errors-spki-list`` takes to accept exactly this certificate."""
    cert = x509.load_pem_x509_certificate(cert_file.read_bytes())
    return base64.b64encode(hashlib.sha256(_spki(cert.public_key())).digest()).decode("ascii")


def _spki(key: Any) -> bytes:
    spki: bytes = key.public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    return spki


def _builder(
    subject: x509.Name, issuer: x509.Name, key: PrivateKey, lifetime: datetime.timedelta
) -> x509.CertificateBuilder:
    now = datetime.datetime.now(datetime.UTC)
    return (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + lifetime)
    )


def _name(common_name: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])


def _load(cert_file: Path, key_file: Path) -> tuple[x509.Certificate, PrivateKey] | None:
    try:
        cert = x509.load_pem_x509_certificate(cert_file.read_bytes())
        key = serialization.load_pem_private_key(key_file.read_bytes(), password=None)
    except (OSError, ValueError):
        return None
    if not isinstance(key, rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey):
        return None
    fresh = cert.not_valid_after_utc - datetime.datetime.now(datetime.UTC) > _RENEW_BEFORE
    matches = _spki(cert.public_key()) == _spki(key.public_key())
    return (cert, key) if fresh and matches else None


def _issued_by(cert: x509.Certificate, ca: x509.Certificate) -> bool:
    try:
        cert.verify_directly_issued_by(ca)
    except (ValueError, TypeError, InvalidSignature):
        return False
    return True


def _save(cert: x509.Certificate, key: PrivateKey, cert_file: Path, key_file: Path) -> None:
    pem_key = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    write_private(key_file, pem_key)
    cert_file.parent.mkdir(parents=True, exist_ok=True)
    cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))


def _b64url_int(value: int) -> str:
    raw = value.to_bytes((value.bit_length() + 7) // 8 or 1, "big")
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")

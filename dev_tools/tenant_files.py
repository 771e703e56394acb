"""Tenant files made for measuring and testing scale: ``count`` SAML tenants, each with its own ~4 KB
metadata file (real RSA-2048 certificates, for signing and for encryption) and its own web client.

``write_tenants`` writes ``<config_dir>/tenants/<env>/tenant-NNN.yaml`` and their metadata files.
Metadata must be inside the repository (``cdk_app.config.referenced_files``), so ``metadata_dir``
is; callers make it a temporary directory there and remove it after.
"""

from __future__ import annotations

import base64
from datetime import UTC, datetime, timedelta
from functools import cache
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import Encoding
from cryptography.x509.oid import NameOID

from cdk_app.config.referenced_files import REPO_ROOT
from cdk_app.config.tenants import tenant_dir

_MD = "urn:oasis:names:tc:SAML:2.0:metadata"
_DS = "http://www.w3.org/2000/09/xmldsig#"
_EMAIL = "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress"


@cache
def _certificate() -> str:
    """One RSA-2048 certificate valid for two years (base64 DER, line-wrapped as IdPs publish it)."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "idp.tenant.example.com")])
    now = datetime.now(UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + timedelta(days=730))
        .sign(key, hashes.SHA256())
    )
    text = base64.b64encode(cert.public_bytes(Encoding.DER)).decode("ascii")
    return "\n".join(text[i : i + 64] for i in range(0, len(text), 64))


def metadata(tenant: str) -> str:
    """~4 KB of IdP metadata for ``tenant``: its entity ID, two signing certificates (the current and
    the next) and one for encryption, and its sign-in and sign-out endpoints."""
    base = f"https://idp.{tenant}.example.com/saml"
    keys = "".join(
        f'<md:KeyDescriptor use="{use}"><ds:KeyInfo xmlns:ds="{_DS}"><ds:X509Data><ds:X509Certificate>\n'
        f"{_certificate()}\n</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>\n"
        # A second signing certificate, as an IdP publishes its next one before a rollover.
        for use in ("signing", "signing", "encryption")
    )
    return (
        f'<md:EntityDescriptor xmlns:md="{_MD}" entityID="{base}/metadata">\n'
        '<md:IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">\n'
        f"{keys}"
        '<md:SingleLogoutService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" '
        f'Location="{base}/logout"/>\n'
        "<md:NameIDFormat>urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress</md:NameIDFormat>\n"
        '<md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" '
        f'Location="{base}/sso"/>\n'
        '<md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" '
        f'Location="{base}/sso"/>\n'
        "</md:IDPSSODescriptor>\n</md:EntityDescriptor>\n"
    )


def tenant_yaml(tenant: str, metadata_file: str, *, with_client: bool = True) -> str:
    """The tenant file of ``tenant``: a SAML provider and (``with_client``) a web client offering it."""
    provider = f"T-{tenant}"
    text = (
        "saml:\n"
        f"  name: {provider}\n"
        f"  metadata_file: {metadata_file}\n"
        f"  identifiers: [{tenant}.example.com]\n"
        f"  attribute_mapping: {{email: {_EMAIL}}}\n"
    )
    if with_client:
        text += (
            "client:\n"
            f"  name: {tenant}\n"
            "  kind: web\n"
            f'  callback_urls: ["https://{tenant}.example.com/oauth2/callback"]\n'
            f'  logout_urls: ["https://{tenant}.example.com/"]\n'
            "  scopes: [openid, email]\n"
            f"  identity_providers: [{provider}]\n"
        )
    return text


def tenant_names(count: int, *, start: int = 0) -> list[str]:
    """``tenant-000``, ``tenant-001``, ...: ``count`` names from ``start``."""
    return [f"tenant-{i:03d}" for i in range(start, start + count)]


def write_tenants(
    config_dir: Path, env: str, names: list[str], metadata_dir: Path, *, with_client: bool = True
) -> list[Path]:
    """Write a tenant file (and its metadata file, in ``metadata_dir``) for each of ``names``."""
    directory = config_dir / tenant_dir(env)
    directory.mkdir(parents=True, exist_ok=True)
    metadata_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for tenant in names:
        xml = metadata_dir / f"{tenant}.xml"
        xml.write_text(metadata(tenant), encoding="utf-8")
        relative = xml.resolve().relative_to(REPO_ROOT).as_posix()
        path = directory / f"{tenant}.yaml"
        path.write_text(tenant_yaml(tenant, relative, with_client=with_client), encoding="utf-8")
        written.append(path)
    return written

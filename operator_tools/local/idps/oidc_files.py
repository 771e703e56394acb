"""The OIDC provider's own secrets, made once under ``.local/idps/oidc/`` (0600) and reused.

- ``client.json``: the one client's ID and its secret (``secrets``, 32 bytes, URL-safe); a new
  client ID gets a new secret;
- ``keys.json``: the RS256 signing key as a private JWKS, and the keys oidc-provider signs its
  cookies with.
"""

from __future__ import annotations

import secrets
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric import rsa

from operator_tools.local.idps.certificates import rsa_private_jwk
from operator_tools.local.idps.errors import IdpError
from operator_tools.local.idps.private_files import read_json, write_private_json


def ensure_client(path: Path, client_id: str) -> None:
    """``path`` holds ``client_id`` and a secret for it."""
    data = read_json(path)
    if (
        isinstance(data, dict)
        and data.get("client_id") == client_id
        and isinstance(data.get("client_secret"), str)
    ):
        return
    write_private_json(path, {"client_id": client_id, "client_secret": secrets.token_urlsafe(32)})


def client_secret(path: Path) -> str:
    """The client secret in ``path`` (for the emulator's Secrets Manager); never printed."""
    data = read_json(path)
    secret = data.get("client_secret") if isinstance(data, dict) else None
    if not isinstance(secret, str) or not secret:
        raise IdpError(f"{path} holds no OIDC client secret; start the OIDC IdP first (make up)")
    return secret


def ensure_keys(path: Path) -> None:
    """``path`` holds a private RS256 JWKS and two cookie keys."""
    data = read_json(path)
    if isinstance(data, dict) and data.get("jwks", {}).get("keys") and data.get("cookie_keys"):
        return
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    write_private_json(
        path,
        {
            "jwks": {"keys": [rsa_private_jwk(key, kid=secrets.token_hex(8))]},
            "cookie_keys": [secrets.token_urlsafe(32), secrets.token_urlsafe(32)],
        },
    )

"""Tokens an attacker could present, built from a real one, for the end-to-end refusal checks.

Each keeps the real token's claims and ``kid`` and breaks exactly one thing the authorizer must
check: the signature no longer covers the payload (tampered), the right key signed it but it has
expired, or another key signed it. Nothing here is used outside the local loop's tests.
"""

from __future__ import annotations

import base64
import json
import time
from pathlib import Path
from typing import Any

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa


def _segments(token: str) -> tuple[dict[str, Any], dict[str, Any], str]:
    header, payload, signature = token.split(".")
    return _decode(header), _decode(payload), signature


def _decode(segment: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4)))
    return data


def _encode(data: dict[str, Any]) -> str:
    return base64.urlsafe_b64encode(json.dumps(data, separators=(",", ":")).encode()).rstrip(b"=").decode()


def tampered(token: str, **claims: Any) -> str:
    """The token with ``claims`` changed in its payload and the original signature kept."""
    header, payload, signature = _segments(token)
    return f"{_encode(header)}.{_encode({**payload, **claims})}.{signature}"


def expired(token: str, pool_key_pem: Path) -> str:
    """The token's claims, expired an hour ago, signed with the pool's own key (a valid signature)."""
    header, payload, _ = _segments(token)
    key = serialization.load_pem_private_key(pool_key_pem.read_bytes(), password=None)
    now = int(time.time())
    claims = {**payload, "iat": now - 7200, "auth_time": now - 7200, "exp": now - 3600}
    return jwt.encode(claims, key, algorithm="RS256", headers={"kid": header["kid"]})  # type: ignore[arg-type]


def signed_by_another_key(token: str) -> str:
    """The token's claims, unexpired, signed by a fresh key that claims the pool key's ``kid``."""
    header, payload, _ = _segments(token)
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return jwt.encode(payload, key, algorithm="RS256", headers={"kid": header["kid"]})

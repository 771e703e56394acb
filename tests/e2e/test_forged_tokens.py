"""The refusal checks' forged tokens each break exactly the one thing they claim to."""

from __future__ import annotations

import time
from pathlib import Path

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from tests.e2e import forged_tokens


@pytest.fixture(scope="module")
def pool_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


@pytest.fixture
def real(pool_key: rsa.RSAPrivateKey) -> str:
    claims = {"sub": "machine", "scope": "api/read", "exp": int(time.time()) + 600, "iat": int(time.time())}
    return jwt.encode(claims, pool_key, algorithm="RS256", headers={"kid": "pool-kid"})


def _verify(token: str, key: rsa.RSAPrivateKey) -> dict[str, object]:
    return jwt.decode(token, key.public_key(), algorithms=["RS256"])


def test_the_real_token_verifies(real: str, pool_key: rsa.RSAPrivateKey) -> None:
    assert _verify(real, pool_key)["sub"] == "machine"


def test_a_tampered_token_keeps_the_signature_but_no_longer_verifies(
    real: str, pool_key: rsa.RSAPrivateKey
) -> None:
    forged = forged_tokens.tampered(real, sub="someone-else")
    assert jwt.decode(forged, options={"verify_signature": False})["sub"] == "someone-else"
    assert forged.rsplit(".", 1)[1] == real.rsplit(".", 1)[1]
    with pytest.raises(jwt.InvalidSignatureError):
        _verify(forged, pool_key)


def test_an_expired_token_is_signed_by_the_pool_key_and_only_expired(
    real: str, pool_key: rsa.RSAPrivateKey, tmp_path: Path
) -> None:
    pem = tmp_path / "pool-access.pem"
    pem.write_bytes(
        pool_key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
    )
    forged = forged_tokens.expired(real, pem)
    assert jwt.get_unverified_header(forged)["kid"] == "pool-kid"
    with pytest.raises(jwt.ExpiredSignatureError):
        _verify(forged, pool_key)
    assert jwt.decode(forged, pool_key.public_key(), algorithms=["RS256"], options={"verify_exp": False})


def test_a_foreign_key_token_claims_the_pool_kid_but_fails_the_signature(
    real: str, pool_key: rsa.RSAPrivateKey
) -> None:
    forged = forged_tokens.signed_by_another_key(real)
    assert jwt.get_unverified_header(forged)["kid"] == "pool-kid"
    with pytest.raises(jwt.InvalidSignatureError):
        _verify(forged, pool_key)

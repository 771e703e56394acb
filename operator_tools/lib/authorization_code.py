"""The OAuth 2.0 authorization-code grant with PKCE, as a public or confidential client talks it.

Guarantees: the verifier is 86 characters of ``secrets`` randomness and the challenge its S256 hash
(RFC 7636); the authorize URL carries ``state``, ``nonce`` and the challenge; ``exchange_code`` returns
the token answer only if it holds an ``id_token`` and an ``access_token``, and its errors name the
OAuth error code only.
"""

from __future__ import annotations

import base64
import hashlib
import secrets
import urllib.parse
from typing import Any

from operator_tools.lib import http_json
from operator_tools.lib.errors import ToolError


def new_pkce() -> tuple[str, str]:
    """A fresh ``(code_verifier, code_challenge)`` pair for S256 (RFC 7636 4.1-4.2)."""
    verifier = secrets.token_urlsafe(64)  # 86 characters from the unreserved set
    digest = hashlib.sha256(verifier.encode("ascii")).digest()
    return verifier, base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


def authorize_url(
    endpoint: str,
    *,
    client_id: str,
    redirect_uri: str,
    scopes: tuple[str, ...],
    state: str,
    nonce: str,
    challenge: str,
    identity_provider: str | None = None,
) -> str:
    """The hosted UI URL that starts an authorization-code + PKCE sign-in; with ``identity_provider``,
    Cognito sends the user straight to that provider's sign-in page."""
    provider = {"identity_provider": identity_provider} if identity_provider else {}
    query = urllib.parse.urlencode(
        {
            **provider,
            "response_type": "code",
            "client_id": client_id,
            "redirect_uri": redirect_uri,
            "scope": " ".join(scopes),
            "state": state,
            "nonce": nonce,
            "code_challenge": challenge,
            "code_challenge_method": "S256",
        },
        quote_via=urllib.parse.quote,
    )
    return f"{endpoint}{'&' if '?' in endpoint else '?'}{query}"


def exchange_code(
    token_endpoint: str,
    *,
    client_id: str,
    client_secret: str | None,
    code: str,
    redirect_uri: str,
    verifier: str,
    timeout: float,
) -> dict[str, Any]:
    """Trade the code for tokens. A public client sends only its ID; a confidential one uses HTTP Basic."""
    form = {
        "grant_type": "authorization_code",
        "client_id": client_id,
        "code": code,
        "redirect_uri": redirect_uri,
        "code_verifier": verifier,
    }
    headers = {}
    if client_secret is not None:
        headers["Authorization"] = http_json.basic_auth(client_id, client_secret)
    response = http_json.post_form(
        token_endpoint, form, what="token endpoint", headers=headers, timeout=timeout
    )
    if response.status != 200:
        raise ToolError(f"token endpoint refused the authorization code: {http_json.oauth_error(response)}")
    tokens = response.json_object("token endpoint")
    for name in ("id_token", "access_token"):
        if not isinstance(tokens.get(name), str):
            raise ToolError(f"token endpoint answered without an {name}")
    return tokens

"""The OAuth 2.0 client_credentials grant, as a confidential machine client talks it.

Guarantees: the client authenticates with HTTP Basic (RFC 6749 2.3.1); only an access token is
returned; a refusal names the client and the OAuth error code only, never the secret.
"""

from __future__ import annotations

from collections.abc import Iterable

from operator_tools.lib import http_json
from operator_tools.lib.errors import ToolError


def client_credentials_token(
    token_endpoint: str, client_id: str, secret: str, scopes: Iterable[str], timeout: float
) -> str:
    """An access token for ``scopes`` from the client_credentials grant."""
    response = http_json.post_form(
        token_endpoint,
        {"grant_type": "client_credentials", "scope": " ".join(scopes)},
        what="token endpoint",
        headers={"Authorization": http_json.basic_auth(client_id, secret)},
        timeout=timeout,
    )
    if response.status != 200:
        raise ToolError(f"token endpoint refused client {client_id}: {http_json.oauth_error(response)}")
    access = response.json_object("token endpoint").get("access_token")
    if not isinstance(access, str) or not access:
        raise ToolError("token endpoint answered 200 without an access_token")
    return access

"""The local loop's checks of modern sign-in: a passwordless sign-in through the choice-based hosted
pages, the access token the pre token generation trigger customized, and ``GET /admin`` by scope.

Each check is driven by the environment's config, so an environment without email codes or without a
token trigger simply has fewer checks. Guarantees: tokens and codes never reach output; every token is
verified against the pool's JWKS before its claims are trusted.
"""

from __future__ import annotations

import json
from typing import Any

from cdk_app.config import EnvironmentConfig
from cdk_app.config.clients import ClientConfig
from operator_tools import http_json
from operator_tools.jwt_check import fetch_jwks, scopes_of, verify_access_token
from operator_tools.local import mailbox
from operator_tools.local.checks import Checks
from operator_tools.local.hosted_ui import HostedUiUser
from operator_tools.local.up import Deployment
from operator_tools.login import configured_loopback_callback, sign_in


def email_code_applies(config: EnvironmentConfig, client: ClientConfig) -> bool:
    """True when ``client`` signs users in by choice and the pool offers emailed codes."""
    return client.choice_based_sign_in and "email_otp" in config.user_pool.sign_in_policy.first_factors


def email_code_sign_in(
    config: EnvironmentConfig, deployment: Deployment, client: ClientConfig, checks: Checks
) -> None:
    """Sign in with a code from the emulator's outbox: username, choice, code; then the token and /admin."""
    outputs, endpoint = deployment.outputs, deployment.emulator.endpoint
    username = deployment.user.username
    user = HostedUiUser(
        username,
        deployment.user.password,
        method="email_otp",
        read_code=lambda: mailbox.latest_sign_in_code(endpoint, username),
    )
    result = sign_in(
        outputs, client, redirect_uri=configured_loopback_callback(config, client), open_url=user, timeout=30
    )
    user.join()
    checks.expect(
        "choice-based sign-in with an emailed code (username, choice, code), ID token verified",
        user.pages == ["username", "choice", "code"] and result.id_claims.get("email") == username,
        f"pages {user.pages}, signed in as {result.id_claims.get('email')}",
    )
    admin_scope = config.admin_scope
    if admin_scope is None:
        return
    access = verify_access_token(
        str(result.tokens["access_token"]),
        fetch_jwks(outputs.jwks_url),
        issuer=outputs.issuer_url,
        client_id=outputs.client_id(client),
    )
    scopes = scopes_of(access)
    checks.expect(
        f"the trigger added {admin_scope} to the access token of a member of {config.api.admin_group!r}",
        admin_scope in scopes and admin_scope not in client.scopes,
        f"scopes {sorted(scopes)}",
    )
    admin = http_json.get(
        outputs.admin_route_url,
        what="GET /admin",
        headers={"Authorization": f"Bearer {result.tokens['access_token']}"},
    )
    body = _json(admin)
    checks.expect(
        f"GET /admin through the scope path ({admin_scope})",
        admin.status == 200 and body.get("scope") == admin_scope,
        f"HTTP {admin.status}",
    )


def machine_token_claims(
    config: EnvironmentConfig, deployment: Deployment, client: ClientConfig, token: str, checks: Checks
) -> None:
    """A client-credentials token carries the configured claims (trigger V3_0)."""
    tc = config.token_customization
    if tc is None or not tc.client_credentials_claims:
        return
    outputs = deployment.outputs
    claims = verify_access_token(
        token, fetch_jwks(outputs.jwks_url), issuer=outputs.issuer_url, client_id=outputs.client_id(client)
    )
    wanted = dict(tc.client_credentials_claims)
    got = {k: claims.get(k) for k in wanted}
    checks.expect(
        "the trigger (V3_0) added the configured claims to a client-credentials token",
        got == wanted,
        f"claims {got}",
    )


def _json(response: http_json.HttpResponse) -> dict[str, Any]:
    try:
        data = json.loads(response.body)
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}

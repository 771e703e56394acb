"""``make login``: sign a person in through the hosted UI (authorization code + PKCE) and call ``GET /me``.

The redirect comes back to the client's loopback callback URL from config (for dev,
``http://localhost:8765/callback``), where a one-shot listener receives it. Before any token is used,
the ``state`` must match, the code is exchanged with the PKCE verifier, and the ID token must pass
``jwt_check.verify_id_token`` (signature, issuer, audience, expiry, token_use, nonce).

Guarantees: m2m clients and clients without a loopback callback are refused with a one-line message;
tokens are only written to disk with ``--save-tokens`` (mode 0600); every failure is one line on stderr
and a non-zero exit, never a traceback.

With ``IDP=<provider>`` the sign-in goes straight to that identity provider's own page
(``identity_provider=<provider>`` at ``/oauth2/authorize``), through the first client that offers it
unless ``CLIENT`` names one; an unknown provider, or a client that does not offer it, is refused in
one line listing the providers.

Usage: ``make login ENV=dev [CLIENT=spa] [IDP=AcmeOkta]``, or ``python -m operator_tools.verbs.login
--env dev [--client spa] [--idp AcmeOkta] [--no-browser] [--save-tokens FILE]``
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import sys
import webbrowser
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

from cdk_app.config import EnvironmentConfig
from cdk_app.config.clients import ClientConfig
from operator_tools.lib import http_json
from operator_tools.lib.authorization_code import authorize_url, exchange_code, new_pkce
from operator_tools.lib.cli import EXIT_FAILED, run_cli
from operator_tools.lib.client_secret import fetch_client_secret
from operator_tools.lib.environment import choose_environment
from operator_tools.lib.errors import ToolError
from operator_tools.lib.jwt_check import fetch_jwks, verify_id_token
from operator_tools.lib.loopback import RedirectReceiver, loopback_parts
from operator_tools.lib.stack_outputs import StackOutputs
from operator_tools.local.target import open_deployment

SIGN_IN_TIMEOUT_SECONDS = 300.0


@dataclass(frozen=True)
class LoginResult:
    """What a successful sign-in produced. ``tokens`` is the token endpoint's answer: keep it in memory."""

    id_claims: Mapping[str, Any]
    me_status: int
    me_body: str
    tokens: Mapping[str, Any]


def choose_client(config: EnvironmentConfig, name: str | None) -> ClientConfig:
    """The named client, or the environment's spa client; m2m clients are refused (they sign in no one)."""
    client = config.client("spa") if name is None else config.named_client(name)
    if client is None:
        known = ", ".join(c.name for c in config.clients)
        raise ToolError(f"environment {config.name!r} has no client {name or '(spa)'!r}; clients: {known}")
    if client.kind == "m2m":
        raise ToolError(
            f"client {client.name!r} is m2m: it uses client_credentials and signs in no user; "
            "`make smoke` tests it"
        )
    return client


def choose_client_for_provider(
    config: EnvironmentConfig, client_name: str | None, provider: str | None
) -> ClientConfig:
    """The client to sign in with: ``choose_client``'s without ``provider``; with it, the named client
    (which must offer the provider) or the first client that does."""
    if provider is None:
        return choose_client(config, client_name)
    known = config.identity_providers.names()
    if provider not in known:
        listed = ", ".join(known) or "none"
        raise ToolError(
            f"environment {config.name!r} has no identity provider {provider!r}; providers: {listed}"
        )
    if client_name is not None:
        client = choose_client(config, client_name)
        if provider not in client.identity_providers:
            offered = ", ".join(client.identity_providers)
            raise ToolError(f"client {client.name!r} does not offer {provider!r}; it offers: {offered}")
        return client
    for client in config.clients:
        if client.kind != "m2m" and provider in client.identity_providers:
            return client
    raise ToolError(
        f"no client of environment {config.name!r} offers {provider!r} (clients' identity_providers)"
    )


def configured_loopback_callback(config: EnvironmentConfig, client: ClientConfig) -> str:
    """The client's first ``http://localhost:<port>/...`` callback URL from config, exactly as registered."""
    for url in client.callback_urls:
        try:
            loopback_parts(url)
        except ToolError:
            continue
        return url
    raise ToolError(
        f"client {client.name!r} in {config.name!r} has no loopback callback URL "
        f"(http://localhost:<port>/<path>) among {list(client.callback_urls)}; `make login` needs one "
        "(see docs/operating.md)"
    )


def sign_in(
    outputs: StackOutputs,
    client: ClientConfig,
    *,
    redirect_uri: str,
    open_url: Callable[[str], None],
    client_secret: str | None = None,
    timeout: float = SIGN_IN_TIMEOUT_SECONDS,
    http_timeout: float = http_json.DEFAULT_TIMEOUT_SECONDS,
    identity_provider: str | None = None,
) -> LoginResult:
    """Run the whole flow. ``redirect_uri`` must be registered on the client; ``open_url`` shows the URL;
    ``identity_provider`` sends the user straight to that provider."""
    client_id = outputs.client_id(client)
    state, nonce = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
    verifier, challenge = new_pkce()
    url = authorize_url(
        outputs.authorize_endpoint,
        client_id=client_id,
        redirect_uri=redirect_uri,
        scopes=client.scopes,
        state=state,
        nonce=nonce,
        challenge=challenge,
        identity_provider=identity_provider,
    )
    with RedirectReceiver(redirect_uri) as receiver:
        open_url(url)
        params = receiver.wait(timeout)
    if "error" in params:
        # Anyone can send this redirect, so its text is cut down to printable characters.
        text = " ".join(v for v in (params["error"], params.get("error_description")) if v)
        raise ToolError("sign-in failed: " + "".join(ch for ch in text if ch.isprintable())[:200])
    # Without this check an attacker could feed us a code from their own session (login CSRF).
    if not secrets.compare_digest(params.get("state", ""), state):
        raise ToolError(
            "state mismatch: this redirect does not belong to the sign-in started here; try again"
        )
    code = params.get("code")
    if not code:
        raise ToolError("the redirect carried no authorization code")
    tokens = exchange_code(
        outputs.token_endpoint,
        client_id=client_id,
        client_secret=client_secret,
        code=code,
        redirect_uri=redirect_uri,
        verifier=verifier,
        timeout=http_timeout,
    )
    jwks = fetch_jwks(outputs.jwks_url, timeout=http_timeout)
    claims = verify_id_token(
        tokens["id_token"], jwks, issuer=outputs.issuer_url, client_id=client_id, nonce=nonce
    )
    # Scoped API methods accept only access tokens; an ID token would get 401 there.
    me = http_json.get(
        outputs.me_route_url,
        what="GET /me",
        headers={"Authorization": f"Bearer {tokens['access_token']}"},
        timeout=http_timeout,
    )
    return LoginResult(claims, me.status, me.body.decode("utf-8", "replace"), tokens)


def save_tokens(path: Path, tokens: Mapping[str, Any]) -> None:
    """Write the tokens as JSON, readable by the owner only (0600, also when the file already existed)."""
    try:
        # O_NOFOLLOW: never write tokens through a symlink someone else planted.
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_NOFOLLOW, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            os.fchmod(handle.fileno(), 0o600)
            json.dump(dict(tokens), handle, indent=2)
    except OSError as exc:
        raise ToolError(f"cannot save tokens to {path}: {exc.strerror}") from None


def report(result: LoginResult, me_url: str, out: TextIO) -> int:
    """Print the verified ID token claims and the API's answer; 0 only if ``GET /me`` answered 200."""
    name = result.id_claims.get("cognito:username") or result.id_claims.get("sub")
    print(f"Signed in as {name}. ID token verified; its claims:", file=out)
    print(json.dumps(dict(result.id_claims), indent=2, sort_keys=True), file=out)
    print(f"GET {me_url} -> HTTP {result.me_status}", file=out)
    try:
        body = json.dumps(json.loads(result.me_body), indent=2, sort_keys=True)
    except ValueError:
        body = result.me_body[:500]
    print(http_json.redact_tokens(body), file=out)
    return 0 if result.me_status == 200 else EXIT_FAILED


def _show_url(url: str, *, browser: bool) -> None:
    print(f"Sign in at:\n  {url}", file=sys.stderr)
    if browser and not webbrowser.open(url):
        print("(no browser could be opened; open the URL above yourself)", file=sys.stderr)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="login", description="Sign in with authorization code + PKCE.")
    # Not argparse-required: a missing ENV gets the list of environments, as every make verb does.
    parser.add_argument("--env", default="", help="environment name (config/<env>.yaml)")
    parser.add_argument("--client", help="client name from config (default: the spa client)")
    parser.add_argument("--idp", help="sign in through this identity provider (identity_provider=...)")
    parser.add_argument("--no-browser", action="store_true", help="print the sign-in URL, do not open it")
    parser.add_argument("--save-tokens", type=Path, metavar="FILE", help="write the tokens to FILE (0600)")
    parser.add_argument("--outputs-file", type=Path, help="read outputs from cdk deploy --outputs-file")
    parser.add_argument("--timeout", type=float, default=SIGN_IN_TIMEOUT_SECONDS, help="seconds to sign in")
    return parser


def main(argv: list[str] | None = None) -> int:
    """CLI entry point. The redirect URL is always the configured loopback callback URL."""
    args = _parser().parse_args(argv)

    def body() -> int:
        config = choose_environment(args.env, "login")
        client = choose_client_for_provider(config, args.client, args.idp or None)
        redirect_uri = configured_loopback_callback(config, client)
        # Only a confidential client makes this tool call AWS (for its secret) beyond reading outputs.
        # A tenant's client ID is read from SSM, beside the outputs.
        tenant = config.tenant_of_client(client.name)
        deployed = open_deployment(
            config,
            verb="login",
            outputs_file=args.outputs_file,
            calls_aws=client.generates_secret or tenant is not None,
        )
        outputs = deployed.outputs_for(client)
        secret = None
        if client.generates_secret:
            cognito = deployed.client("cognito-idp")
            secret = fetch_client_secret(cognito, outputs.user_pool_id, outputs.client_id(client))
        result = sign_in(
            outputs,
            client,
            redirect_uri=redirect_uri,
            client_secret=secret,
            timeout=args.timeout,
            open_url=lambda url: _show_url(url, browser=not args.no_browser),
            identity_provider=args.idp or None,
        )
        if args.save_tokens:
            save_tokens(args.save_tokens, result.tokens)
            print(f"tokens saved to {args.save_tokens} (mode 0600)", file=sys.stderr)
        return report(result, outputs.me_route_url, sys.stdout)

    return run_cli("login", body)


if __name__ == "__main__":
    sys.exit(main())

"""``make e2e``: the whole local loop against the embedded emulator, for CI and for a last check.

In order: ``up`` (emulator, bootstrap, layer, deploy, test user, smoke); a headless sign-in through
the hosted UI with authorization code + PKCE (choice-based for a client with it), the ID token
verified against the pool's JWKS, then ``GET /me`` with the access token; where the config has them,
a sign-in with an emailed code, the scope the token trigger added and ``GET /admin`` by that scope;
``make diff`` on the unchanged environment; an update (a callback URL and a tag added) shown by the
diff and deployed in place; refusals by the live API (no token, a token without the route's scope,
an ID token, and forged, expired and foreign-key tokens) and a machine token's configured claims;
``down``.

Guarantees: exit 0 only if every check passed; the emulator is stopped whatever happened (also on
Ctrl-C), and the end checks that no process and no listening port is left; every step's time is
printed; no password, secret or token is printed.
"""

from __future__ import annotations

import json
import shutil
import socket
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any, TextIO

import yaml

from cdk_app.config import ConfigError, EnvironmentConfig
from cdk_app.config.loading import load_environment
from operator_tools import http_json
from operator_tools.client_secret import fetch_client_secret
from operator_tools.deploy_guard import diff_command
from operator_tools.errors import ToolError
from operator_tools.local import aws, emulator, forged_tokens, test_user, token_checks
from operator_tools.local.checks import Checks
from operator_tools.local.hosted_ui import HostedUiUser
from operator_tools.local.timing import Timer
from operator_tools.local.up import Deployment, deploy, down, print_summary, up
from operator_tools.login import choose_client, configured_loopback_callback, sign_in
from operator_tools.smoke import client_credentials_token

ADDED_CALLBACK = "http://localhost:8765/e2e-update"
ADDED_TAG = ("E2eUpdate", "applied-in-place")


def run(config: EnvironmentConfig, cdk: str, out: TextIO = sys.stdout) -> int:
    """The whole loop; returns the exit status."""
    timer = Timer()
    checks = Checks(out)
    port = emulator.DEFAULT_PORT
    try:
        with timer.step("up"):
            deployment = up(config, cdk, timer, out=out)
        port = deployment.emulator.port
        print_summary(config, deployment, out)
        tokens = _step(timer, "login", lambda: _login(config, deployment, checks))
        spa = choose_client(config, None)
        if token_checks.email_code_applies(config, spa):
            _step(
                timer, "email code", lambda: token_checks.email_code_sign_in(config, deployment, spa, checks)
            )
        _step(timer, "diff", lambda: _diff_unchanged(config, checks))
        _step(timer, "update", lambda: _update(config, deployment, cdk, checks, out))
        _step(timer, "refusals", lambda: _refusals(config, deployment, tokens, checks))
    except ToolError as exc:
        checks.expect("loop", False, str(exc))
    except KeyboardInterrupt:
        checks.expect("loop", False, "interrupted")
    finally:
        try:
            with timer.step("down"):
                down(config, cdk, timer, out=out)
        except ToolError as exc:
            checks.expect("down", False, str(exc))
            emulator.stop()
        _nothing_left_behind(checks, port)
    timer.print_table(out, f"e2e timings for {config.name}")
    passed = checks.count - len(checks.failed)
    print(f"e2e: {passed} passed, {len(checks.failed)} failed", file=out)
    return 1 if checks.failed else 0


def _step(timer: Timer, name: str, action: Callable[[], Any]) -> Any:
    with timer.step(name):
        return action()


def _login(config: EnvironmentConfig, deployment: Deployment, checks: Checks) -> dict[str, Any]:
    client = choose_client(config, None)
    user = HostedUiUser(deployment.user.username, deployment.user.password)
    result = sign_in(
        deployment.outputs,
        client,
        redirect_uri=configured_loopback_callback(config, client),
        open_url=user,
        timeout=30,
    )
    user.join()
    # sign_in has already refused any ID token whose signature, issuer, audience, expiry or nonce
    # failed; reaching here means all of them held.
    # A choice-based client's pages ask for the username, then the method, then the password.
    pages = ["username", "choice", "password"] if client.choice_based_sign_in else ["username+password"]
    checks.expect(
        "hosted sign-in (code + PKCE), ID token verified against the JWKS",
        result.id_claims.get("email") == deployment.user.username and user.pages == pages,
        f"pages {user.pages}, signed in as {result.id_claims.get('email')}",
    )
    me = json.loads(result.me_body) if result.me_status == 200 else {}
    checks.expect(
        "GET /me with the user's access token",
        result.me_status == 200 and me.get("sub") == result.id_claims.get("sub"),
        f"HTTP {result.me_status}",
    )
    return dict(result.tokens)


def _diff_unchanged(config: EnvironmentConfig, checks: Checks) -> None:
    # The make verb itself, as a user types it: the guard must send it to the emulator.
    done = subprocess.run(
        ["make", "--no-print-directory", "diff", f"ENV={config.name}"],
        cwd=emulator.PROJECT_ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    text = done.stdout + done.stderr
    checks.expect(
        f"make diff ENV={config.name} against the deployed stacks",
        done.returncode == 0 and "Number of stacks with differences: 0" in text,
        "no differences" if done.returncode == 0 else f"exit {done.returncode}: {text.strip()[-300:]}",
    )


def _update(config: EnvironmentConfig, deployment: Deployment, cdk: str, checks: Checks, out: TextIO) -> None:
    running, outputs = deployment.emulator, deployment.outputs
    spa = config.client("spa")
    if spa is None:
        raise ToolError(f"environment {config.name!r} has no spa client to update")
    with tempfile.TemporaryDirectory(prefix="e2e-config-") as tmp:
        config_dir = _changed_config(config, Path(tmp))
        context = ["-c", f"config_dir={config_dir}"]
        diff = aws.run_cdk(
            running, [*diff_command(config, cdk), *context], cwd=emulator.PROJECT_ROOT, quiet=True
        )
        print(diff.rstrip(), file=out)
        checks.expect(
            "cdk diff shows the added callback URL and tag",
            ADDED_CALLBACK in diff and ADDED_TAG[0] in diff,
            "both in the diff" if ADDED_CALLBACK in diff and ADDED_TAG[0] in diff else "missing",
        )
        deploy(running, config, cdk, *context)
    cognito = aws.client(running, "cognito-idp")
    client_id = outputs.client_id(spa)
    described = cognito.describe_user_pool_client(UserPoolId=outputs.user_pool_id, ClientId=client_id)
    callbacks = described["UserPoolClient"].get("CallbackURLs", [])
    checks.expect(
        "update deployed in place: same client ID, new callback URL",
        ADDED_CALLBACK in callbacks,
        f"client {client_id} has {len(callbacks)} callback URLs",
    )
    pool = cognito.describe_user_pool(UserPoolId=outputs.user_pool_id)["UserPool"]
    checks.expect(
        "update deployed in place: same pool, tag added, test user kept",
        pool.get("UserPoolTags", {}).get(ADDED_TAG[0]) == ADDED_TAG[1]
        and test_user.exists(cognito, outputs.user_pool_id, deployment.user.username),
        f"pool {outputs.user_pool_id} tags {sorted(pool.get('UserPoolTags', {}))}",
    )


def _changed_config(config: EnvironmentConfig, tmp: Path) -> Path:
    """A copy of the config folder with the update applied to this environment's file."""
    config_dir = tmp / "config"
    shutil.copytree(emulator.PROJECT_ROOT / "config", config_dir)
    path = config_dir / f"{config.name}.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    for client in data["clients"]:
        if client.get("kind") == "spa":
            client["callback_urls"] = [*client.get("callback_urls", []), ADDED_CALLBACK]
    data["tags"] = {**data.get("tags", {}), ADDED_TAG[0]: ADDED_TAG[1]}
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return config_dir


def _refusals(
    config: EnvironmentConfig, deployment: Deployment, user_tokens: dict[str, Any], checks: Checks
) -> None:
    running, outputs = deployment.emulator, deployment.outputs
    m2m = config.client("m2m")
    if m2m is None:
        raise ToolError(f"environment {config.name!r} has no m2m client")
    client_id = outputs.client_id(m2m)
    secret = fetch_client_secret(aws.client(running, "cognito-idp"), outputs.user_pool_id, client_id)
    read, write = f"{config.api.scope_server}/read", f"{config.api.scope_server}/write"

    def token(*scopes: str) -> str:
        return client_credentials_token(outputs.token_endpoint, client_id, secret, scopes, 10)

    def me(bearer: str | None) -> http_json.HttpResponse:
        headers = {"Origin": config.api.cors.allow_origins[0]}
        if bearer is not None:
            headers["Authorization"] = f"Bearer {bearer}"
        return http_json.get(outputs.me_route_url, what="GET /me", headers=headers)

    full = token(read, write)
    checks.status("GET /me with read scope (control)", me(full), {200})
    token_checks.machine_token_claims(config, deployment, m2m, full, checks)
    anonymous = me(None)
    cors = "access-control-allow-origin" in anonymous.headers
    checks.expect(
        "GET /me without a token: 401 with CORS headers",
        anonymous.status == 401 and cors,
        f"HTTP {anonymous.status}, CORS header {'present' if cors else 'missing'}",
    )
    checks.status("GET /me with a token lacking the route's scope", me(token(write)), {401, 403})
    checks.status("GET /me with an ID token (scoped route)", me(str(user_tokens["id_token"])), {401})
    checks.status(
        "GET /me with a tampered token", me(forged_tokens.tampered(full, sub="someone-else")), {401}
    )
    pool_key = emulator.pool_signing_key_file(outputs.user_pool_id, "access")
    checks.status("GET /me with an expired token", me(forged_tokens.expired(full, pool_key)), {401})
    checks.status(
        "GET /me with a token signed by another key", me(forged_tokens.signed_by_another_key(full)), {401}
    )
    admin = http_json.get(
        outputs.admin_route_url, what="GET /admin", headers={"Authorization": f"Bearer {full}"}
    )
    if config.admin_scope:
        # The route needs the admin scope, which this machine token lacks: the authorizer refuses it.
        checks.status(f"GET /admin without {config.admin_scope} (machine token)", admin, {401})
    else:
        checks.status("GET /admin as a machine client (no admin group)", admin, {403})


def _nothing_left_behind(checks: Checks, port: int) -> None:
    recorded = emulator.find()
    with socket.socket() as probe:
        probe.settimeout(1)
        port_open = probe.connect_ex((emulator.HOST, port)) == 0
    checks.expect(
        "down left no emulator process and no listening port",
        recorded is None and not emulator.state_file().exists() and not port_open,
        "clean" if recorded is None and not port_open else "something is still running",
    )


def main(argv: list[str] | None = None) -> int:
    """``python -m operator_tools.local.e2e --env local --cdk PATH``."""
    import argparse

    parser = argparse.ArgumentParser(prog="e2e", description="The whole local loop on the emulator.")
    parser.add_argument("--env", default="local", help="an environment with deploy_target: emulator")
    parser.add_argument("--cdk", required=True, help="path of the CDK CLI")
    args = parser.parse_args(argv)
    try:
        config = load_environment(args.env)
    except ConfigError as exc:
        print(f"e2e: {exc}", file=sys.stderr)
        return 2
    return run(config, args.cdk)


if __name__ == "__main__":
    sys.exit(main())

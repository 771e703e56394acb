"""The local loop, in order, against the embedded emulator (``make e2e``; set-up in conftest.py).

Up (the ``local`` fixture: emulator, bootstrap, layer, deploy, test user, smoke); a headless sign-in
through the hosted UI with authorization code + PKCE, the ID token verified against the pool's JWKS,
then ``GET /me`` with the access token; a sign-in with an emailed code, the scope the token trigger
added and ``GET /admin`` by that scope; an update (a callback URL, a tag and an OIDC attribute
mapping) shown by the diff and deployed in place; the update reverted and ``make diff`` clean;
refusals by the live API (no token, a token without the route's scope, an ID token, and forged,
expired and foreign-key tokens) and a machine token's configured claims; down, leaving no process
and no port. No password, secret or token is printed.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml

from cdk_app.config import EnvironmentConfig
from cdk_app.config.clients import ClientConfig
from operator_tools.lib import http_json
from operator_tools.lib.cdk_cli import diff_command
from operator_tools.lib.client_credentials import client_credentials_token
from operator_tools.lib.client_secret import fetch_client_secret
from operator_tools.lib.errors import ToolError
from operator_tools.lib.jwt_check import fetch_jwks, scopes_of, verify_access_token
from operator_tools.local import aws, emulator, mailbox
from operator_tools.local import test_user as pool_users
from operator_tools.local.hosted_ui import HostedUiUser
from operator_tools.local.idps import lifecycle as idps
from operator_tools.local.lifecycle import LocalDeployment, deploy
from operator_tools.verbs.login import LoginResult, configured_loopback_callback, sign_in
from tests.e2e import forged_tokens
from tests.e2e.deployment import PROJECT_ROOT, Step, down_and_leftovers

ADDED_CALLBACK = "http://localhost:8765/e2e-update"
ADDED_TAG = ("E2eUpdate", "applied-in-place")
REMAPPED_NAME_CLAIM = "nickname"  # the IdP claim the update maps the name attribute from
SIGN_IN_TIMEOUT = 30


@dataclass(frozen=True)
class SignedIn:
    """A finished hosted sign-in: the verified result and the pages the headless user answered."""

    result: LoginResult
    pages: list[str]


def _sign_in(
    config: EnvironmentConfig, local: LocalDeployment, client: ClientConfig, user: HostedUiUser
) -> SignedIn:
    # sign_in refuses any ID token whose signature (against the JWKS), issuer, audience, expiry or
    # nonce fails: a result means all of them held.
    redirect = configured_loopback_callback(config, client)
    try:
        result = sign_in(local.outputs, client, redirect_uri=redirect, open_url=user, timeout=SIGN_IN_TIMEOUT)
    except ToolError as exc:
        user.join()
        pytest.fail(f"{exc} (the headless user: {user.error or 'no error'})", pytrace=False)
    user.join()
    return SignedIn(result, user.pages)


@pytest.fixture(scope="module")
def password_sign_in(
    config: EnvironmentConfig, local: LocalDeployment, spa: ClientConfig, step: Step
) -> SignedIn:
    """The test user's sign-in with their password, as make login does it (the refusals use its ID token)."""
    with step("login"):
        user = HostedUiUser(local.user.username, local.user.password)
        return _sign_in(config, local, spa, user)


def test_a_user_signs_in_through_the_hosted_ui_with_pkce(
    local: LocalDeployment, spa: ClientConfig, password_sign_in: SignedIn
) -> None:
    # A choice-based client's pages ask for the username, then the method, then the password.
    pages = ["username", "choice", "password"] if spa.choice_based_sign_in else ["username+password"]
    assert password_sign_in.pages == pages
    assert password_sign_in.result.id_claims.get("email") == local.user.username


def test_get_me_answers_the_users_access_token(password_sign_in: SignedIn) -> None:
    result = password_sign_in.result
    assert result.me_status == 200
    assert json.loads(result.me_body).get("sub") == result.id_claims.get("sub")


def test_a_user_signs_in_with_an_emailed_code_and_earns_the_admin_scope(
    config: EnvironmentConfig, local: LocalDeployment, spa: ClientConfig, step: Step
) -> None:
    offered = spa.choice_based_sign_in and "email_otp" in config.user_pool.sign_in_policy.first_factors
    assert offered, f"the loop signs in with an emailed code: {config.name}'s spa client must offer email_otp"
    with step("email code"):
        username, endpoint = local.user.username, local.emulator.endpoint
        user = HostedUiUser(
            username,
            local.user.password,
            method="email_otp",
            read_code=lambda: mailbox.latest_sign_in_code(endpoint, username),
        )
        signed_in = _sign_in(config, local, spa, user)
        assert signed_in.pages == ["username", "choice", "code"]
        assert signed_in.result.id_claims.get("email") == username
        admin_scope = config.admin_scope
        if admin_scope is None:
            return
        access = str(signed_in.result.tokens["access_token"])
        claims = verify_access_token(
            access,
            fetch_jwks(local.outputs.jwks_url),
            issuer=local.outputs.issuer_url,
            client_id=local.outputs.client_id(spa),
        )
        # The trigger added it for a member of the admin group; the client itself does not ask for it.
        assert admin_scope in scopes_of(claims)
        assert admin_scope not in spa.scopes
        admin = _get(local.outputs.admin_route_url, access, "GET /admin")
        assert admin.status == 200
        assert admin.json_object("GET /admin").get("scope") == admin_scope


def test_an_update_is_shown_by_the_diff_and_deployed_in_place(
    config: EnvironmentConfig, local: LocalDeployment, cdk: str, spa: ClientConfig, cognito: Any, step: Step
) -> None:
    with step("update"), tempfile.TemporaryDirectory(prefix="e2e-config-") as tmp:
        context = ["-c", f"config_dir={_changed_config(config, Path(tmp))}"]
        command = [*diff_command(config, cdk), *context]
        diff = aws.run_cdk(local.emulator, command, cwd=PROJECT_ROOT, quiet=True)
        print(diff.rstrip())
        assert ADDED_CALLBACK in diff
        assert ADDED_TAG[0] in diff
        deploy(local.emulator, config, cdk, *context)
    pool_id, client_id = local.outputs.user_pool_id, local.outputs.client_id(spa)
    # The same client ID answers with the new callback URL: the client was updated, not replaced.
    described = cognito.describe_user_pool_client(UserPoolId=pool_id, ClientId=client_id)
    assert ADDED_CALLBACK in described["UserPoolClient"].get("CallbackURLs", [])
    pool = cognito.describe_user_pool(UserPoolId=pool_id)["UserPool"]
    assert pool.get("UserPoolTags", {}).get(ADDED_TAG[0]) == ADDED_TAG[1]
    assert pool_users.exists(cognito, pool_id, local.user.username)
    for provider in config.identity_providers.oidc[:1]:
        described = cognito.describe_identity_provider(UserPoolId=pool_id, ProviderName=provider.name)
        mapping = described["IdentityProvider"]["AttributeMapping"]
        assert mapping.get("name") == REMAPPED_NAME_CLAIM, mapping
        print(f"update: {provider.name} maps name from {REMAPPED_NAME_CLAIM!r} now, updated in place")


def _changed_config(config: EnvironmentConfig, tmp: Path) -> Path:
    """A copy of the config folder with the update applied to this environment's file."""
    config_dir = tmp / "config"
    shutil.copytree(PROJECT_ROOT / "config", config_dir)
    path = config_dir / f"{config.name}.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    for client in data["clients"]:
        if client.get("kind") == "spa":
            client["callback_urls"] = [*client.get("callback_urls", []), ADDED_CALLBACK]
    data["tags"] = {**data.get("tags", {}), ADDED_TAG[0]: ADDED_TAG[1]}
    # An attribute-mapping change, which Cognito applies in place (UpdateIdentityProvider).
    for provider in data.get("identity_providers", {}).get("oidc", [])[:1]:
        provider["attribute_mapping"]["name"] = REMAPPED_NAME_CLAIM
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return config_dir


def test_the_update_reverted_make_diff_finds_the_deployed_stacks_unchanged(
    config: EnvironmentConfig, local: LocalDeployment, cdk: str, step: Step
) -> None:
    with step("revert"):  # the repository's config deployed again: what `make up` deployed
        deploy(local.emulator, config, cdk)
    with step("diff"):
        # The make verb itself, as a user types it: it must send the diff to the emulator.
        done = subprocess.run(
            ["make", "--no-print-directory", "diff", f"ENV={config.name}"],
            cwd=PROJECT_ROOT,
            capture_output=True,
            text=True,
            check=False,
        )
    text = done.stdout + done.stderr
    assert done.returncode == 0, text[-1000:]
    assert "Number of stacks with differences: 0" in text


def test_the_api_refuses_every_token_it_must(
    config: EnvironmentConfig,
    local: LocalDeployment,
    cognito: Any,
    password_sign_in: SignedIn,
    step: Step,
    subtests: pytest.Subtests,
) -> None:
    outputs = local.outputs
    machine = config.client("m2m")
    assert machine is not None, f"the loop calls the API as a machine: {config.name} needs an m2m client"
    client_id = outputs.client_id(machine)
    read, write = f"{config.api.scope_server}/read", f"{config.api.scope_server}/write"
    origin = config.api.cors.allow_origins[0]

    def me(bearer: str | None) -> http_json.HttpResponse:
        return _get(outputs.me_route_url, bearer, "GET /me", origin=origin)

    with step("refusals"):
        secret = fetch_client_secret(cognito, outputs.user_pool_id, client_id)

        def token(*scopes: str) -> str:
            return client_credentials_token(outputs.token_endpoint, client_id, secret, scopes, 10)

        full = token(read, write)
        with subtests.test("GET /me with read scope (control)"):
            assert me(full).status == 200
        with subtests.test("the trigger (V3_0) added the configured claims to a client-credentials token"):
            customization = config.token_customization
            wanted = dict(customization.client_credentials_claims) if customization else {}
            jwks = fetch_jwks(outputs.jwks_url)
            claims = verify_access_token(full, jwks, issuer=outputs.issuer_url, client_id=client_id)
            assert {k: claims.get(k) for k in wanted} == wanted
        with subtests.test("GET /me without a token: 401 with CORS headers"):
            anonymous = me(None)
            assert anonymous.status == 401
            assert "access-control-allow-origin" in anonymous.headers
        with subtests.test("GET /me with a token lacking the route's scope"):
            assert me(token(write)).status in {401, 403}
        with subtests.test("GET /me with an ID token (scoped route)"):
            assert me(str(password_sign_in.result.tokens["id_token"])).status == 401
        with subtests.test("GET /me with a tampered token"):
            assert me(forged_tokens.tampered(full, sub="someone-else")).status == 401
        with subtests.test("GET /me with an expired token, signed by the pool's own key"):
            pool_key = emulator.pool_signing_key_file(outputs.user_pool_id, "access")
            assert me(forged_tokens.expired(full, pool_key)).status == 401
        with subtests.test("GET /me with a token signed by another key"):
            assert me(forged_tokens.signed_by_another_key(full)).status == 401
        admin = _get(outputs.admin_route_url, full, "GET /admin")
        if config.admin_scope:
            with subtests.test(f"GET /admin without {config.admin_scope} (machine token)"):
                # The route needs the admin scope, which this machine token lacks: the authorizer refuses.
                assert admin.status == 401
        else:
            with subtests.test("GET /admin as a machine client (no admin group)"):
                assert admin.status == 403


def test_down_leaves_no_process_and_no_port(
    config: EnvironmentConfig, local: LocalDeployment, cdk: str
) -> None:
    # The last step: the run's deployment is taken down here (the fixture would, if this never ran),
    # and the local IdPs with it.
    assert down_and_leftovers(config, cdk) == []
    assert idps.status() == []


def _get(url: str, bearer: str | None, what: str, *, origin: str | None = None) -> http_json.HttpResponse:
    headers = {"Origin": origin} if origin else {}
    if bearer is not None:
        headers["Authorization"] = f"Bearer {bearer}"
    return http_json.get(url, what=what, headers=headers)

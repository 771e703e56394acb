"""`make outputs`: a browser app's config, built from stack outputs made in code (no AWS)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cdk_app.config import EnvironmentConfig
from cdk_app.config.loading import load_environment
from cdk_app.contracts import client_id_output
from change_review.policy.outputs import FRONT_END, readers
from operator_tools.lib.errors import ToolError
from operator_tools.lib.front_end import (
    FRONT_END_OUTPUTS,
    choose_browser_client,
    frontend_config,
    write_config,
)
from operator_tools.lib.stack_outputs import StackOutputs
from operator_tools.local.outputs import local_outputs
from operator_tools.verbs.outputs import main
from tests.aws_env import isolate_aws

POOL = "eu-west-1_AbCdEf123"
ISSUER = f"https://cognito-idp.eu-west-1.amazonaws.com/{POOL}"
DOMAIN = "https://sso-dev-example-1234.auth.eu-west-1.amazoncognito.com"
API_BASE = "https://abc123.execute-api.eu-west-1.amazonaws.com/v1/"


def _outputs(env: str, client_ids: dict[str, str], *, logout: bool = True) -> StackOutputs:
    return StackOutputs(
        env=env,
        user_pool_id=POOL,
        issuer_url=ISSUER,
        discovery_url=f"{ISSUER}/.well-known/openid-configuration",
        jwks_url=f"{ISSUER}/.well-known/jwks.json",
        authorize_endpoint=f"{DOMAIN}/oauth2/authorize",
        token_endpoint=f"{DOMAIN}/oauth2/token",
        client_ids=client_ids,
        api_base_url=API_BASE,
        me_route_url=f"{API_BASE}me",
        admin_route_url=f"{API_BASE}admin",
        domain_base_url=DOMAIN,
        logout_endpoint=f"{DOMAIN}/logout" if logout else None,
    )


@pytest.fixture(scope="module")
def dev() -> EnvironmentConfig:
    return load_environment("dev")


@pytest.fixture(scope="module")
def staging() -> EnvironmentConfig:
    return load_environment("staging")


def test_the_document_gives_oidc_client_ts_its_settings_and_the_providers_endpoints(
    dev: EnvironmentConfig,
) -> None:
    spa = choose_browser_client(dev, None)

    document = frontend_config(dev, _outputs("dev", {"spa": "spa-id-123", "machine": "m2m-id"}), spa)

    assert document == {
        "environment": "dev",
        "client": "spa",
        "oidc": {
            "authority": ISSUER,
            "client_id": "spa-id-123",
            "scope": " ".join(spa.scopes),
            "metadata": {
                "issuer": ISSUER,
                "authorization_endpoint": f"{DOMAIN}/oauth2/authorize",
                "token_endpoint": f"{DOMAIN}/oauth2/token",
                "jwks_uri": f"{ISSUER}/.well-known/jwks.json",
            },
        },
        "redirect_uris": ["http://localhost:8765/callback", "http://localhost:5173/callback"],
        "post_logout_redirect_uris": ["http://localhost:5173/"],
        "logout": {"endpoint": f"{DOMAIN}/logout"},
        "cognito": {"user_pool_id": POOL, "domain": DOMAIN},
        "api": {"base_url": API_BASE, "allowed_origins": ["http://localhost:5173"]},
    }


def test_cognitos_logout_is_kept_out_of_the_openid_metadata(dev: EnvironmentConfig) -> None:
    # Its parameters are client_id and logout_uri: a library calling it as end_session would fail.
    document = frontend_config(
        dev, _outputs("dev", {"spa": "x", "machine": "y"}), choose_browser_client(dev, None)
    )

    assert "end_session_endpoint" not in document["oidc"]["metadata"]


def test_a_named_spa_client_gets_its_own_id_and_urls(staging: EnvironmentConfig) -> None:
    members = choose_browser_client(staging, "members")
    ids = {c.name: f"{c.name}-id" for c in staging.clients}

    document = frontend_config(staging, _outputs("staging", ids), members)

    assert document["client"] == "members"
    assert document["oidc"]["client_id"] == "members-id"
    assert document["redirect_uris"] == list(members.callback_urls)
    assert document["post_logout_redirect_uris"] == list(members.logout_urls)


def test_a_local_environment_gets_the_emulators_urls_and_keeps_the_aws_issuer() -> None:
    local = load_environment("local")
    outputs = local_outputs(_outputs("local", {"spa": "s", "machine": "m"}), "http://127.0.0.1:4566")

    document = frontend_config(local, outputs, choose_browser_client(local, None))

    assert document["oidc"]["authority"] == document["oidc"]["metadata"]["issuer"] == ISSUER
    assert document["oidc"]["metadata"]["authorization_endpoint"] == "http://127.0.0.1:4566/oauth2/authorize"
    assert document["oidc"]["metadata"]["token_endpoint"] == "http://127.0.0.1:4566/oauth2/token"
    assert document["logout"]["endpoint"] == "http://127.0.0.1:4566/logout"
    assert document["api"]["base_url"] == "http://127.0.0.1:4566/restapis/abc123/v1/_user_request_/"


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("web", r"^client 'web' in 'staging' is a web client \(its secret must stay on a server\)"),
        ("machine", r"^client 'machine' in 'staging' is a m2m client \(it signs in no user\)"),
        ("nope", r"^environment 'staging' has no client 'nope'; its spa clients: spa, members$"),
    ],
)
def test_only_spa_clients_get_a_browser_config(staging: EnvironmentConfig, name: str, message: str) -> None:
    with pytest.raises(ToolError, match=message):
        choose_browser_client(staging, name)


def test_outputs_without_the_logout_endpoint_are_refused(dev: EnvironmentConfig) -> None:
    outputs = _outputs("dev", {"spa": "x", "machine": "y"}, logout=False)

    with pytest.raises(ToolError, match=r"no LogoutEndpoint or DomainBaseUrl output .* redeploy"):
        frontend_config(dev, outputs, choose_browser_client(dev, None))


def test_a_rewrite_replaces_the_file_whole(tmp_path: Path) -> None:
    path = tmp_path / "config" / "dev.json"
    write_config({"environment": "dev", "n": 1}, path)
    write_config({"environment": "dev", "n": 2}, path)

    assert json.loads(path.read_text()) == {"environment": "dev", "n": 2}
    assert [p.name for p in path.parent.iterdir()] == ["dev.json"]  # no temporary file left


def test_a_file_that_cannot_be_written_is_one_line_and_leaves_nothing(tmp_path: Path) -> None:
    blocker = tmp_path / "config"
    blocker.write_text("a file where the folder should be")

    with pytest.raises(ToolError, match=r"^cannot write .*config/dev\.json: "):
        write_config({"environment": "dev"}, blocker / "dev.json")
    assert [p.name for p in tmp_path.iterdir()] == ["config"]


def test_make_outputs_from_an_outputs_file_needs_no_credentials(
    dev: EnvironmentConfig,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    isolate_aws(monkeypatch, tmp_path, credentials=False)
    identity = {
        "UserPoolId": POOL,
        "IssuerUrl": ISSUER,
        "JwksUrl": f"{ISSUER}/.well-known/jwks.json",
        "DomainBaseUrl": DOMAIN,
        "AuthorizeEndpoint": f"{DOMAIN}/oauth2/authorize",
        "TokenEndpoint": f"{DOMAIN}/oauth2/token",
        "LogoutEndpoint": f"{DOMAIN}/logout",
        **{client_id_output(c.construct_id): f"{c.name}-id" for c in dev.clients},
    }
    api = {"ApiBaseUrl": API_BASE, "MeRouteUrl": f"{API_BASE}me", "AdminRouteUrl": f"{API_BASE}admin"}
    outputs_file = tmp_path / "cdk-outputs.json"
    outputs_file.write_text(json.dumps({"dev-Identity": identity, "dev-Api": api}))
    target = tmp_path / "dev.json"

    status = main(["--env", "dev", "--outputs-file", str(outputs_file), "--output", str(target)])

    assert status == 0
    assert json.loads(target.read_text())["oidc"]["client_id"] == "spa-id"
    assert capsys.readouterr().out.splitlines()[0] == f"outputs: wrote {target} for client 'spa' of 'dev'"


def test_make_outputs_without_an_environment_lists_them(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([]) == 2
    assert capsys.readouterr().err.startswith("outputs: ENV is required, e.g. make outputs ENV=")


def test_the_change_review_names_make_outputs_for_every_output_it_reads() -> None:
    # Renaming or removing one of these outputs breaks every front end configured from it.
    for key in (*FRONT_END_OUTPUTS, client_id_output("SpaClient")):
        assert FRONT_END in readers(key), key

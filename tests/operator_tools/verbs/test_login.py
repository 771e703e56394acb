"""The sign-in tool, driven end to end against the stand-in provider: PKCE, state, ID-token checks, /me."""

from __future__ import annotations

import dataclasses
import io
import json
import os
import socket
import stat
import time
import webbrowser
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from cdk_app.config import EnvironmentConfig
from cdk_app.config.clients import ClientConfig
from cdk_app.config.loading import load_environment
from operator_tools.lib import http_json
from operator_tools.lib.authorization_code import authorize_url, exchange_code, new_pkce
from operator_tools.lib.errors import ToolError
from operator_tools.lib.stack_outputs import StackOutputs
from operator_tools.verbs.login import (
    LoginResult,
    choose_client,
    choose_client_for_provider,
    configured_loopback_callback,
    main,
    report,
    save_tokens,
    sign_in,
)
from tests.operator_tools.conftest import HTTP_TIMEOUT, SPA_CLIENT_ID, ScriptedBrowser, free_port
from tests.standins.api_gateway import ApiGatewayStandIn
from tests.standins.keys import SigningKey
from tests.standins.oidc_provider import BrowserClient, OidcProvider

SIGN_IN_TIMEOUT = 3.0
OTHER_POOL = "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Other"


@pytest.fixture
def spa(dev_config: EnvironmentConfig) -> ClientConfig:
    client = dev_config.client("spa")
    assert client is not None
    return client


@pytest.fixture
def redirect_uri(provider: OidcProvider) -> str:
    """A loopback callback on a free port, registered on the stand-in's spa client."""
    uri = f"http://127.0.0.1:{free_port()}/callback"
    provider.register_redirect_uri(SPA_CLIENT_ID, uri)
    return uri


def _sign_in(
    outputs: StackOutputs, client: ClientConfig, redirect_uri: str, browser: ScriptedBrowser, **kwargs: Any
) -> LoginResult:
    return sign_in(
        outputs, client, redirect_uri=redirect_uri, open_url=browser, timeout=SIGN_IN_TIMEOUT,
        http_timeout=HTTP_TIMEOUT, **kwargs,
    )  # fmt: skip


def test_sign_in_uses_pkce_verifies_the_id_token_and_calls_me_with_the_access_token(
    outputs: StackOutputs,
    spa: ClientConfig,
    redirect_uri: str,
    browser: ScriptedBrowser,
    provider: OidcProvider,
    api: ApiGatewayStandIn,
) -> None:
    result = _sign_in(outputs, spa, redirect_uri, browser)

    query = parse_qs(urlsplit(browser.urls[0]).query)
    assert query["code_challenge_method"] == ["S256"]
    assert query["redirect_uri"] == [redirect_uri]
    assert query["scope"] == [" ".join(spa.scopes)]
    assert "code_verifier" not in query
    assert result.id_claims["email"] == "alice@example.com"
    assert result.id_claims["nonce"] == query["nonce"][0]
    assert result.me_status == 200
    me = json.loads(result.me_body)
    assert (me["token_use"], me["client_id"], me["username"]) == ("access", SPA_CLIENT_ID, "alice")
    assert "api/read" in me["scopes"]
    browser.join()
    assert browser.final_status == [200]  # the loopback listener's "you can close this tab" page


def test_report_prints_the_claims_and_the_api_answer(
    outputs: StackOutputs, spa: ClientConfig, redirect_uri: str, browser: ScriptedBrowser
) -> None:
    result = _sign_in(outputs, spa, redirect_uri, browser)
    out = io.StringIO()

    code = report(result, outputs.me_route_url, out)

    assert code == 0
    text = out.getvalue()
    assert text.startswith("Signed in as alice. ID token verified")
    assert f"GET {outputs.me_route_url} -> HTTP 200" in text
    assert '"token_use": "id"' in text
    for token in (result.tokens["id_token"], result.tokens["access_token"]):
        assert token not in text


def _foreign_signature(provider: OidcProvider, foreign_key: SigningKey) -> None:
    provider.id_token_key = foreign_key


def _claims(**claims: Any) -> Callable[[OidcProvider, SigningKey], None]:
    return lambda provider, _: provider.id_token_claims.update(claims)


def _forged_state(provider: OidcProvider, _: SigningKey) -> None:
    provider.redirect_state = "forged-state"


@pytest.mark.parametrize(
    ("tamper", "message"),
    [
        (_foreign_signature, "ID token rejected: signature does not verify against the pool's JWKS"),
        (_claims(aud="another-client"), f"ID token rejected: audience is not client {SPA_CLIENT_ID}"),
        (_claims(exp=int(time.time()) - 3600, iat=int(time.time()) - 7200), "ID token rejected: expired"),
        (_claims(nonce="a-nonce-from-another-sign-in"), "ID token rejected: nonce does not match"),
        (_claims(iss=OTHER_POOL), "ID token rejected: issuer"),
        (_claims(token_use="access"), "ID token rejected: token_use is 'access', expected 'id'"),
        (_forged_state, "state mismatch: this redirect does not belong to the sign-in started here"),
    ],
    ids=["wrong-signature", "wrong-audience", "expired", "wrong-nonce", "wrong-issuer", "not-an-id-token",
         "wrong-state"],
)  # fmt: skip
def test_tampered_sign_in_is_refused_before_any_token_is_used(
    tamper: Callable[[OidcProvider, SigningKey], None],
    message: str,
    outputs: StackOutputs,
    spa: ClientConfig,
    redirect_uri: str,
    browser: ScriptedBrowser,
    provider: OidcProvider,
    foreign_key: SigningKey,
    api: ApiGatewayStandIn,
) -> None:
    tamper(provider, foreign_key)

    with pytest.raises(ToolError) as caught:
        _sign_in(outputs, spa, redirect_uri, browser)

    assert str(caught.value).startswith(message)
    assert api.me_calls == 0


def test_standin_redeems_a_code_only_with_the_matching_pkce_verifier(
    provider: OidcProvider, redirect_uri: str, outputs: StackOutputs, spa: ClientConfig
) -> None:
    # Proves the stand-in enforces PKCE, so the passing flow above really exercises the verifier.
    def code_for(challenge: str) -> str:
        url = authorize_url(
            outputs.authorize_endpoint, client_id=SPA_CLIENT_ID, redirect_uri=redirect_uri,
            scopes=spa.scopes, state="s", nonce="n", challenge=challenge,
        )  # fmt: skip
        reply = http_json.get(url, what="authorize", timeout=HTTP_TIMEOUT)  # a 302, not followed
        return parse_qs(urlsplit(reply.headers["location"]).query)["code"][0]

    verifier, challenge = new_pkce()
    other_verifier, _ = new_pkce()
    exchange: dict[str, Any] = {
        "client_id": SPA_CLIENT_ID,
        "client_secret": None,
        "redirect_uri": redirect_uri,
    }

    with pytest.raises(ToolError, match="HTTP 400 invalid_grant"):
        exchange_code(outputs.token_endpoint, code=code_for(challenge), verifier=other_verifier,
                      timeout=HTTP_TIMEOUT, **exchange)  # fmt: skip
    tokens = exchange_code(outputs.token_endpoint, code=code_for(challenge), verifier=verifier,
                           timeout=HTTP_TIMEOUT, **exchange)  # fmt: skip
    assert set(tokens) >= {"id_token", "access_token"}


def test_unregistered_redirect_uri_times_out_pointing_to_redirect_mismatch(
    outputs: StackOutputs, spa: ClientConfig, browser: ScriptedBrowser
) -> None:
    unregistered = f"http://127.0.0.1:{free_port()}/callback/"  # trailing slash: not an exact match

    with pytest.raises(ToolError, match=r"no sign-in redirect reached .* redirect_mismatch"):
        sign_in(outputs, spa, redirect_uri=unregistered, open_url=browser, timeout=0.5)

    browser.join()
    assert browser.final_status == [400]


def test_error_redirect_from_the_provider_is_reported(
    outputs: StackOutputs, spa: ClientConfig, redirect_uri: str, browser: ScriptedBrowser
) -> None:
    greedy = spa.model_copy(update={"scopes": (*spa.scopes, "api/admin")})

    with pytest.raises(ToolError, match=r"^sign-in failed: invalid_scope$"):
        _sign_in(outputs, greedy, redirect_uri, browser)


def test_confidential_web_client_authenticates_the_code_exchange(
    outputs: StackOutputs, provider: OidcProvider, browser: ScriptedBrowser
) -> None:
    uri = f"http://127.0.0.1:{free_port()}/oauth2/callback"
    web = ClientConfig(name="web", kind="web", callback_urls=(uri,), scopes=("openid", "email", "api/read"))
    provider.browser_clients["web-client-id"] = BrowserClient(
        frozenset({uri}), frozenset(web.scopes), "web-secret"
    )
    with_web = dataclasses.replace(outputs, client_ids={**outputs.client_ids, "web": "web-client-id"})

    result = _sign_in(with_web, web, uri, browser, client_secret="web-secret")
    assert result.id_claims["aud"] == "web-client-id"

    with pytest.raises(ToolError, match="refused the authorization code: HTTP 400 invalid_client"):
        _sign_in(with_web, web, uri, browser, client_secret="wrong-secret")


def test_tokens_are_saved_owner_only_even_over_an_existing_file(tmp_path: Path) -> None:
    path = tmp_path / "tokens.json"
    path.write_text("old")
    path.chmod(0o644)

    save_tokens(path, {"id_token": "i", "access_token": "a"})

    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert json.loads(path.read_text()) == {"id_token": "i", "access_token": "a"}


def test_tokens_are_not_written_through_a_symlink(tmp_path: Path) -> None:
    target = tmp_path / "elsewhere"
    target.write_text("")
    (tmp_path / "tokens.json").symlink_to(target)

    with pytest.raises(ToolError, match="cannot save tokens to"):
        save_tokens(tmp_path / "tokens.json", {"access_token": "a"})
    assert target.read_text() == ""


def test_dev_spa_signs_in_on_its_configured_loopback_callback(dev_config: EnvironmentConfig) -> None:
    client = choose_client(dev_config, None)
    assert client.name == "spa"
    assert configured_loopback_callback(dev_config, client) == "http://localhost:8765/callback"


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--env", "dev", "--client", "machine"], "login: client 'machine' is m2m"),
        (["--env", "dev", "--client", "nosuch"], "login: environment 'dev' has no client 'nosuch'"),
        (["--env", "staging"], "login: client 'spa' in 'staging' has no loopback callback URL"),
    ],
)
def test_cli_refuses_clients_it_cannot_sign_in_with_in_one_line(
    argv: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(argv)

    err = capsys.readouterr().err
    assert code == 1
    assert err.startswith(message)
    assert len(err.strip().splitlines()) == 1


PROJECT_CONFIG_DIR = Path(__file__).resolve().parents[3] / "config"


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (
            ["--env", "dev", "--idp", "Nosuch"],
            "login: environment 'dev' has no identity provider 'Nosuch'; providers: Google",
        ),
        (["--env", "dev", "--client", "machine", "--idp", "Google"], "login: client 'machine' is m2m"),
    ],
)
def test_cli_refuses_an_identity_provider_it_cannot_sign_in_through_in_one_line(
    argv: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(argv)

    err = capsys.readouterr().err
    assert code == 1
    assert err.startswith(message)
    assert len(err.strip().splitlines()) == 1


def test_an_identity_provider_picks_the_first_client_that_offers_it() -> None:
    # The user's config/local.yaml: the one `make login ENV=local IDP=...` signs in with.
    local = load_environment("local", PROJECT_CONFIG_DIR)

    with pytest.raises(
        ToolError, match=r"no identity provider 'LocalOkta'; providers: LocalSaml, LocalOidc$"
    ):
        choose_client_for_provider(local, None, "LocalOkta")
    with pytest.raises(ToolError, match=r"client 'spa' does not offer 'LocalSaml'; it offers: COGNITO$"):
        choose_client_for_provider(local, "spa", "LocalSaml")
    assert choose_client_for_provider(local, None, "LocalSaml").name == "sso"
    assert choose_client_for_provider(local, None, "LocalOidc").name == "sso"
    assert choose_client_for_provider(local, "sso", "LocalOidc").name == "sso"
    assert choose_client_for_provider(local, None, None).name == "spa"


def test_the_authorize_url_names_the_identity_provider_only_when_given() -> None:
    common: dict[str, Any] = dict(
        client_id="c", redirect_uri="http://localhost:8765/callback", scopes=("openid",), state="s",
        nonce="n", challenge="x",
    )  # fmt: skip

    direct = parse_qs(urlsplit(authorize_url("https://idp/oauth2/authorize", **common)).query)
    federated = parse_qs(
        urlsplit(authorize_url("https://idp/oauth2/authorize", identity_provider="LocalSaml", **common)).query
    )

    assert "identity_provider" not in direct
    assert federated["identity_provider"] == ["LocalSaml"]
    assert federated["code_challenge_method"] == ["S256"]


def test_cli_signs_in_on_the_configured_callback_and_saves_tokens_only_when_asked(
    outputs_file: Path,
    provider: OidcProvider,
    browser: ScriptedBrowser,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    configured = "http://localhost:8765/callback"
    with socket.socket() as probe:
        if probe.connect_ex(("127.0.0.1", 8765)) == 0:
            pytest.skip("port 8765 is in use on this machine")
    provider.register_redirect_uri(SPA_CLIENT_ID, configured)

    def open_in_scripted_browser(url: str) -> bool:
        browser(url)
        return True

    monkeypatch.setattr(webbrowser, "open", open_in_scripted_browser)
    monkeypatch.chdir(tmp_path)

    code = main(["--env", "dev", "--outputs-file", str(outputs_file), "--timeout", str(SIGN_IN_TIMEOUT)])
    assert code == 0
    assert sorted(os.listdir(tmp_path)) == ["cdk-outputs.json"]  # nothing written without --save-tokens
    assert parse_qs(urlsplit(browser.urls[0]).query)["redirect_uri"] == [configured]

    code = main(
        ["--env", "dev", "--outputs-file", str(outputs_file), "--save-tokens", "t.json", "--timeout", "3"]
    )
    assert code == 0
    assert stat.S_IMODE((tmp_path / "t.json").stat().st_mode) == 0o600
    printed = capsys.readouterr()
    assert "Signed in as alice" in printed.out
    assert "Traceback" not in printed.err
    for token in provider.issued_tokens:
        assert token not in printed.out + printed.err

"""`make spa`: which origin the sample is served on, and what the server does and does not hand out."""

from __future__ import annotations

import base64
import hashlib
import json
import re
import socket
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from cdk_app.config import EnvironmentConfig
from cdk_app.config.loading import load_environment
from operator_tools.lib.errors import ToolError
from operator_tools.lib.front_end import SPA_DIR, choose_browser_client
from operator_tools.lib.spa_site import SpaServer, load_site, serving_origin
from operator_tools.local.refresh_shim import EMULATOR_SHIM
from operator_tools.verbs.spa import site_for

TOKEN_ENDPOINT = "https://sso-dev.auth.eu-west-1.amazoncognito.com/oauth2/token"
API_BASE = "https://abc123.execute-api.eu-west-1.amazonaws.com/v1/"
DOCUMENT: dict[str, Any] = {
    "environment": "dev",
    "client": "spa",
    "oidc": {"metadata": {"token_endpoint": TOKEN_ENDPOINT}},
    "api": {"base_url": API_BASE},
}


def _with_origins(config: EnvironmentConfig, origins: tuple[str, ...]) -> EnvironmentConfig:
    cors = config.api.cors.model_copy(update={"allow_origins": origins})
    return config.model_copy(update={"api": config.api.model_copy(update={"cors": cors})})


def test_the_app_is_served_on_the_callback_origin_the_api_allows() -> None:
    local = load_environment("local")

    assert serving_origin(local, choose_browser_client(local, None)) == ("http://localhost:5173", 5173)


def test_a_client_without_a_loopback_callback_is_refused_before_any_aws_call() -> None:
    prod = load_environment("prod")

    with pytest.raises(
        ToolError, match=r"^client 'spa' in 'prod' has no loopback callback URL .* config/prod\.yaml"
    ):
        serving_origin(prod, choose_browser_client(prod, None))


def test_a_callback_origin_the_api_does_not_allow_is_refused_with_the_fix() -> None:
    local = _with_origins(load_environment("local"), ("https://app.example.com",))

    with pytest.raises(ToolError) as refused:
        serving_origin(local, choose_browser_client(local, None))
    assert str(refused.value) == (
        "no loopback callback origin of client 'spa' (http://localhost:8765, http://localhost:5173) is "
        "in api.cors.allow_origins of config/local.yaml, so the app could sign in but not read the API's "
        "answers; add the origin there"
    )


@pytest.fixture
def spa_dir(tmp_path: Path) -> Path:
    """A stand-in app folder: the same file layout, tiny contents."""
    (tmp_path / "index.html").write_text(
        '<head><script type="importmap">{"imports": {}}</script></head>', encoding="utf-8"
    )
    (tmp_path / "app.js").write_text("// app", encoding="utf-8")
    (tmp_path / "app.css").write_text("body {}", encoding="utf-8")
    (tmp_path / "package.json").write_text("{}", encoding="utf-8")
    for name in ("oidc-client-ts/dist/esm/oidc-client-ts.js", "jwt-decode/build/esm/index.js"):
        path = tmp_path / "node_modules" / name
        path.parent.mkdir(parents=True)
        path.write_text("export {};", encoding="utf-8")
    return tmp_path


@pytest.fixture
def served(spa_dir: Path) -> Iterator[SpaServer]:
    with SpaServer(load_site(DOCUMENT, spa_dir), 0) as server:
        yield server


def _get(server: SpaServer, path: str) -> tuple[int, dict[str, str], bytes]:
    url = f"http://127.0.0.1:{server.port}{path}"
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        with error:
            return error.code, dict(error.headers), error.read()


@pytest.mark.parametrize("path", ["/", "/callback", "/callback?code=abc&state=xyz"])
def test_the_apps_own_routes_load_the_app(served: SpaServer, path: str) -> None:
    status, headers, body = _get(served, path)

    assert (status, headers["Content-Type"]) == (200, "text/html; charset=utf-8")
    assert b'<script type="importmap">' in body


def test_config_json_is_the_make_outputs_document(served: SpaServer) -> None:
    status, headers, body = _get(served, "/config.json")

    assert (status, headers["Content-Type"]) == (200, "application/json")
    assert json.loads(body) == DOCUMENT


@pytest.mark.parametrize(
    "path",
    [
        "/package.json",
        "/node_modules/jwt-decode/build/esm/index.js",
        "/config/dev.json",
        "/../app.js",
        "/x.png",
    ],
)
def test_nothing_outside_the_fixed_set_of_files_is_served(served: SpaServer, path: str) -> None:
    assert _get(served, path)[0] == 404


def test_the_library_is_served_from_node_modules_as_javascript(served: SpaServer) -> None:
    status, headers, body = _get(served, "/vendor/oidc-client-ts.js")

    assert (status, headers["Content-Type"], body) == (200, "text/javascript", b"export {};")


def test_every_answer_carries_the_csp_with_the_import_maps_hash_and_the_two_api_origins(
    served: SpaServer,
) -> None:
    headers = _get(served, "/")[1]

    digest = base64.b64encode(hashlib.sha256(b'{"imports": {}}').digest()).decode()
    policy = dict(part.split(" ", 1) for part in headers["Content-Security-Policy"].split("; "))
    assert policy["script-src"] == f"'self' 'sha256-{digest}'"
    assert policy["connect-src"] == (
        "'self' https://abc123.execute-api.eu-west-1.amazonaws.com https://sso-dev.auth.eu-west-1.amazoncognito.com"
    )
    assert policy["default-src"] == "'none'"
    assert headers["Cache-Control"] == "no-store"
    assert headers["Referrer-Policy"] == "no-referrer"


def test_the_real_pages_import_map_is_the_one_the_csp_allows(spa_dir: Path) -> None:
    index = (SPA_DIR / "index.html").read_bytes()
    (spa_dir / "index.html").write_bytes(index)
    found = re.search(rb'<script type="importmap">(.*?)</script>', index, re.DOTALL)
    assert found is not None
    digest = base64.b64encode(hashlib.sha256(found.group(1)).digest()).decode()

    site = load_site(DOCUMENT, spa_dir)

    assert f"'sha256-{digest}'" in site.content_security_policy


def test_the_emulator_refresh_shim_is_served_for_a_local_environment_only(spa_dir: Path) -> None:
    local = site_for(load_environment("local"), DOCUMENT, spa_dir)
    dev = site_for(load_environment("dev"), DOCUMENT, spa_dir)

    tag = f'<script src="/_emulator/refresh-shim.js" data-token-endpoint="{TOKEN_ENDPOINT}"></script>'
    assert local.index.index(tag.encode()) < local.index.index(b'<script type="importmap">')
    assert local.files["/_emulator/refresh-shim.js"][0] == EMULATOR_SHIM.read_bytes()
    assert b"refresh-shim" not in dev.index
    assert "/_emulator/refresh-shim.js" not in dev.files


def test_an_app_folder_without_npm_ci_says_how_to_fix_it(spa_dir: Path) -> None:
    (spa_dir / "node_modules" / "jwt-decode" / "build" / "esm" / "index.js").unlink()

    with pytest.raises(
        ToolError, match=r"^the sample app is incomplete: .*index\.js is missing \(run npm ci in"
    ):
        load_site(DOCUMENT, spa_dir)


def test_requests_are_logged_without_their_query(spa_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with SpaServer(load_site(DOCUMENT, spa_dir), 0, quiet=False) as server:
        _get(server, "/callback?code=the-authorization-code&state=s")

    out = capsys.readouterr().out
    assert "spa: GET /callback -> 200" in out
    assert "the-authorization-code" not in out


def test_a_busy_port_is_one_line(spa_dir: Path) -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        with pytest.raises(
            ToolError, match=rf"^cannot listen on 127\.0\.0\.1:{port}: .*make spa already running"
        ):
            SpaServer(load_site(DOCUMENT, spa_dir), port)


def test_the_server_binds_loopback_only(served: SpaServer) -> None:
    assert served.server_address[0] == "127.0.0.1"

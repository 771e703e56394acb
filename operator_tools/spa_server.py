"""``make spa ENV=<env>``: serve the sample browser app (examples/spa) on its client's loopback origin.

The app must run on an origin that is both a registered callback (the hosted sign-in returns there)
and an allowed CORS origin of the API (the browser lets it read the API's answers): for local and dev,
``http://localhost:5173``. The server binds 127.0.0.1 only and serves a fixed set of files: the app,
the two library modules it imports (from ``examples/spa/node_modules``, installed by ``npm ci``) and
``/config.json``, the document ``make outputs`` writes (``make spa`` writes it afresh first). Every
other path without a file extension is the app itself, so the callback path loads it too. For an
environment on the local emulator the page also loads a work-around for one of the emulator's gaps
(``operator_tools/local/emulator_refresh_shim.js``); never for AWS.

Guarantees: a client with no loopback callback on an API-allowed origin is refused with one line that
says what to add, before anything is read from AWS; nothing outside that fixed set is ever served (no
directory listing, no ``package.json``, no other environment's config); no request is logged with its
query string (the callback's carries the authorization code); responses are ``no-store`` with a
Content-Security-Policy that lets scripts come only from the app's origin and lets it connect only to
the token endpoint and the API.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import html
import json
import re
import sys
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import TracebackType
from typing import Any
from urllib.parse import urlsplit

from cdk_app.config import EnvironmentConfig
from cdk_app.config.clients import ClientConfig
from operator_tools.environment import choose_environment
from operator_tools.errors import ToolError, run_cli
from operator_tools.frontend_config import SPA_DIR, choose_browser_client, write_outputs
from operator_tools.loopback import loopback_parts

HOST = "127.0.0.1"
# URL path -> (file under examples/spa, content type). Nothing else is a file here.
_FILES: Mapping[str, tuple[str, str]] = {
    "/app.js": ("app.js", "text/javascript"),
    "/app.css": ("app.css", "text/css"),
    "/vendor/oidc-client-ts.js": (
        "node_modules/oidc-client-ts/dist/esm/oidc-client-ts.js",
        "text/javascript",
    ),
    "/vendor/jwt-decode.js": ("node_modules/jwt-decode/build/esm/index.js", "text/javascript"),
}
_INDEX = "index.html"
# Local environments only: see the file's own comment and docs/local.md's gap table.
EMULATOR_SHIM = Path(__file__).resolve().parent / "local" / "emulator_refresh_shim.js"
_SHIM_URL = "/_emulator/refresh-shim.js"
_IMPORT_MAP = re.compile(rb'<script type="importmap">(.*?)</script>', re.DOTALL)


def serving_origin(config: EnvironmentConfig, client: ClientConfig) -> tuple[str, int]:
    """``(origin, port)``: the client's first loopback callback whose origin the API allows (CORS)."""
    allowed = set(config.api.cors.allow_origins)
    loopback: list[str] = []
    for url in client.callback_urls:
        try:
            host, port, _ = loopback_parts(url)
        except ToolError:
            continue
        origin = f"http://{host}:{port}"
        loopback.append(origin)
        if origin in allowed:
            return origin, port
    if not loopback:
        raise ToolError(
            f"client {client.name!r} in {config.name!r} has no loopback callback URL "
            "(http://localhost:<port>/callback), so the sample cannot be served on this machine; add one to "
            f"config/{config.name}.yaml, or deploy examples/spa to one of {list(client.callback_urls)}"
        )
    raise ToolError(
        f"no loopback callback origin of client {client.name!r} ({', '.join(loopback)}) is in "
        f"api.cors.allow_origins of config/{config.name}.yaml, so the app could sign in but not read the "
        "API's answers; add the origin there"
    )


@dataclass(frozen=True)
class SiteContent:
    """What the server hands out: the app's files and the configuration document, read once."""

    index: bytes
    files: Mapping[str, tuple[bytes, str]]
    config: bytes
    content_security_policy: str


def site_for(config: EnvironmentConfig, document: Mapping[str, Any], spa_dir: Path = SPA_DIR) -> SiteContent:
    """The site for ``config``'s environment: the app, plus the emulator's refresh shim if it is local."""
    return load_site(document, spa_dir, emulator_shim=config.deploy_target == "emulator")


def load_site(
    document: Mapping[str, Any], spa_dir: Path = SPA_DIR, *, emulator_shim: bool = False
) -> SiteContent:
    """Read the app's files and build its CSP from ``document`` (the ``make outputs`` JSON).

    With ``emulator_shim`` the page also loads the local emulator's refresh work-around first.
    """
    try:
        index = (spa_dir / _INDEX).read_bytes()
        files = {url: ((spa_dir / name).read_bytes(), kind) for url, (name, kind) in _FILES.items()}
    except FileNotFoundError as exc:
        hint = " (run npm ci in examples/spa, or make spa)" if "node_modules" in str(exc.filename) else ""
        raise ToolError(f"the sample app is incomplete: {exc.filename} is missing{hint}") from None
    csp = _csp(index, document)
    if emulator_shim:
        endpoint = html.escape(document["oidc"]["metadata"]["token_endpoint"], quote=True)
        tag = f'<script src="{_SHIM_URL}" data-token-endpoint="{endpoint}"></script>\n'.encode()
        index = index.replace(b'<script type="importmap">', tag + b'<script type="importmap">', 1)
        files[_SHIM_URL] = (EMULATOR_SHIM.read_bytes(), "text/javascript")
    return SiteContent(index, files, json.dumps(document, indent=2).encode(), csp)


def _csp(index: bytes, document: Mapping[str, Any]) -> str:
    """Scripts only from this origin (and the page's one import map, by hash); fetches only to the
    token endpoint and the API; no frames, forms, plugins or base-URL tricks."""
    found = _IMPORT_MAP.search(index)
    import_map = (
        "'sha256-" + base64.b64encode(hashlib.sha256(found.group(1)).digest()).decode() + "'" if found else ""
    )
    origins = sorted(
        {
            _origin(document["oidc"]["metadata"]["token_endpoint"]),
            _origin(document["api"]["base_url"]),
        }
    )
    return "; ".join(
        [
            "default-src 'none'",
            f"script-src 'self' {import_map}".strip(),
            f"connect-src 'self' {' '.join(origins)}",
            "style-src 'self'",
            "img-src 'self' data:",
            "base-uri 'none'",
            "form-action 'none'",
            "frame-ancestors 'none'",
        ]
    )


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


class _Handler(BaseHTTPRequestHandler):
    server: SpaServer
    timeout = 10

    def do_GET(self) -> None:
        site = self.server.site
        path = urlsplit(self.path).path
        if path == "/config.json":
            self._send(200, site.config, "application/json")
        elif path in site.files:
            body, kind = site.files[path]
            self._send(200, body, kind)
        elif "." not in path.rsplit("/", 1)[-1]:
            # The app's own routes, such as the callback path: the app reads the URL itself.
            self._send(200, site.index, "text/html; charset=utf-8")
        else:
            self._send(404, b"not found\n", "text/plain")

    def _send(self, status: int, body: bytes, kind: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.send_header("Content-Security-Policy", self.server.site.content_security_policy)
        # The callback URL carries the authorization code: never send it on as a Referer.
        self.send_header("Referrer-Policy", "no-referrer")
        self.send_header("X-Content-Type-Options", "nosniff")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        if self.server.quiet:
            return
        # The path only: the callback's query string holds the authorization code.
        print(f"spa: {self.command} {urlsplit(self.path).path} -> {args[1] if len(args) > 1 else ''}")


class SpaServer(ThreadingHTTPServer):
    """The app on ``http://127.0.0.1:<port>`` (``port=0``: a free one), answered from a background thread.

    Use as a context manager: it starts serving on entry and stops, with its port freed, on exit.
    """

    daemon_threads = True

    def __init__(self, site: SiteContent, port: int, *, quiet: bool = True) -> None:
        self.site = site
        self.quiet = quiet
        try:
            super().__init__((HOST, port), _Handler)
        except OSError as exc:
            raise ToolError(
                f"cannot listen on {HOST}:{port}: {exc.strerror} (is make spa already running?)"
            ) from None
        self._thread = threading.Thread(target=self.serve_forever, name=f"spa-{port}", daemon=True)

    @property
    def port(self) -> int:
        bound: int = self.server_address[1]
        return bound

    def __enter__(self) -> SpaServer:
        self._thread.start()
        return self

    def __exit__(
        self, kind: type[BaseException] | None, value: BaseException | None, trace: TracebackType | None
    ) -> None:
        self.shutdown()
        self.server_close()
        self._thread.join(timeout=5)


def main(argv: list[str] | None = None) -> int:
    """CLI entry point: serve until Ctrl-C."""
    parser = argparse.ArgumentParser(
        prog="spa_server", description="Serve the sample SPA on its loopback origin."
    )
    parser.add_argument("--env", default="", help="environment name (config/<env>.yaml)")
    parser.add_argument("--client", help="a spa client's name (default: the environment's first spa client)")
    parser.add_argument("--outputs-file", type=Path, help="read outputs from cdk deploy --outputs-file")
    args = parser.parse_args(argv)

    def body() -> int:
        config = choose_environment(args.env, "spa")
        client = choose_browser_client(config, args.client)
        # Refused before anything is read from AWS: an origin the app cannot work on is a config matter.
        origin, port = serving_origin(config, client)
        path, document = write_outputs(config, client, outputs_file=args.outputs_file, verb="spa")
        print(f"spa: wrote {path} from the {config.name!r} stack outputs (as make outputs does)")
        with SpaServer(site_for(config, document), port, quiet=False):
            print(f"spa: the sample app for {config.name!r} is at {origin}/ (Ctrl-C stops it)", flush=True)
            threading.Event().wait()
        return 0

    return run_cli("spa", body)


if __name__ == "__main__":
    sys.exit(main())

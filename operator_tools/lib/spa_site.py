"""The sample browser app (examples/spa) as ``make spa`` serves it: its files, its CSP, and the server.

The app must run on an origin that is both a registered callback (the hosted sign-in returns there)
and an allowed CORS origin of the API (the browser lets it read the API's answers): for local and dev,
``http://localhost:5173`` (``serving_origin``). The server binds 127.0.0.1 only and serves a fixed set
of files: the app, the two library modules it imports (from ``examples/spa/node_modules``, installed
by ``npm ci``) and ``/config.json``, the document ``make outputs`` writes. Every other path without a
file extension is the app itself, so the callback path loads it too. A site may also load a script
before the app (``emulator_shim``): for the local emulator, a work-around for one of its gaps.

Guarantees: a client with no loopback callback on an API-allowed origin is refused with one line that
says what to add; nothing outside that fixed set is ever served (no directory listing, no
``package.json``, no other environment's config); no request is logged with its query string (the
callback's carries the authorization code); responses are ``no-store`` with a Content-Security-Policy
that lets scripts come only from the app's origin and lets it connect only to the token endpoint and
the API.
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
import re
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
from operator_tools.lib.errors import ToolError
from operator_tools.lib.front_end import SPA_DIR
from operator_tools.lib.loopback import loopback_parts

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


def load_site(
    document: Mapping[str, Any], spa_dir: Path = SPA_DIR, *, emulator_shim: Path | None = None
) -> SiteContent:
    """Read the app's files and build its CSP from ``document`` (the ``make outputs`` JSON).

    With ``emulator_shim`` (a script file) the page loads that script first, given the token endpoint.
    """
    try:
        index = (spa_dir / _INDEX).read_bytes()
        files = {url: ((spa_dir / name).read_bytes(), kind) for url, (name, kind) in _FILES.items()}
    except FileNotFoundError as exc:
        hint = " (run npm ci in examples/spa, or make spa)" if "node_modules" in str(exc.filename) else ""
        raise ToolError(f"the sample app is incomplete: {exc.filename} is missing{hint}") from None
    csp = _csp(index, document)
    if emulator_shim is not None:
        endpoint = html.escape(document["oidc"]["metadata"]["token_endpoint"], quote=True)
        tag = f'<script src="{_SHIM_URL}" data-token-endpoint="{endpoint}"></script>\n'.encode()
        index = index.replace(b'<script type="importmap">', tag + b'<script type="importmap">', 1)
        files[_SHIM_URL] = (emulator_shim.read_bytes(), "text/javascript")
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

"""Receive the single OAuth redirect of a sign-in on this machine's loopback address (RFC 8252 7.3).

Guarantees: the port is bound when ``RedirectReceiver`` is created, so a busy port fails before any
browser opens; only the callback path is accepted (anything else, such as ``/favicon.ico``, gets 404);
the first callback wins; ``wait`` never blocks longer than its timeout, and a client that connects but
sends nothing is dropped after a few seconds. Requests are not logged: the query holds the code.
"""

from __future__ import annotations

import time
from http.server import BaseHTTPRequestHandler, HTTPServer
from types import TracebackType
from urllib.parse import parse_qs, urlsplit

from cdk_app.contracts import LOOPBACK_HOSTS
from operator_tools.lib.errors import ToolError

_PAGE = (
    b"<!doctype html><meta charset=utf-8><title>Sign-in</title>"
    b"<p>Sign-in finished. You can close this tab and return to the terminal.</p>"
)


def loopback_parts(url: str) -> tuple[str, int, str]:
    """``(host, port, path)`` of an ``http://localhost:<port>/<path>`` URL, else a ``ToolError``."""
    parts = urlsplit(url)
    try:
        port = parts.port
    except ValueError:
        port = None
    if parts.scheme != "http" or parts.hostname not in LOOPBACK_HOSTS or not port:
        raise ToolError(f"{url!r} is not a loopback callback URL (http://localhost:<port>/<path>)")
    return parts.hostname, port, parts.path or "/"


class _OneShotServer(HTTPServer):
    def __init__(self, address: tuple[str, int], path: str) -> None:
        self.expected_path = path
        self.received: dict[str, str] | None = None
        super().__init__(address, _CallbackHandler)


class _CallbackHandler(BaseHTTPRequestHandler):
    server: _OneShotServer
    # Bounds how long one silent connection can hold the single-threaded listener.
    timeout = 5

    def do_GET(self) -> None:
        server = self.server
        parts = urlsplit(self.path)
        if parts.path != server.expected_path or server.received is not None:
            self.send_error(404)
            return
        server.received = {k: v[0] for k, v in parse_qs(parts.query).items()}
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(_PAGE)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(_PAGE)

    def log_message(self, format: str, *args: object) -> None:
        return  # the request line carries the authorization code: keep it off the terminal


class RedirectReceiver:
    """A one-shot listener for ``redirect_uri``. Use as a context manager so the port is always freed."""

    def __init__(self, redirect_uri: str) -> None:
        host, port, path = loopback_parts(redirect_uri)
        self.redirect_uri = redirect_uri
        # "localhost" is bound as 127.0.0.1: browsers fall back to IPv4 when ::1 refuses.
        address = ("127.0.0.1" if host == "localhost" else host, port)
        try:
            self._server = _OneShotServer(address, path)
        except OSError as exc:
            raise ToolError(
                f"cannot listen on {address[0]}:{port} for the sign-in redirect ({exc.strerror}); "
                "is another sign-in or dev server using that port?"
            ) from None

    def wait(self, timeout: float) -> dict[str, str]:
        """The query parameters of the first callback, or a ``ToolError`` after ``timeout`` seconds."""
        deadline = time.monotonic() + timeout
        while self._server.received is None:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise ToolError(
                    f"no sign-in redirect reached {self.redirect_uri} within {timeout:g} s; if the browser "
                    "shows redirect_mismatch, see docs/troubleshooting.md"
                )
            self._server.timeout = remaining
            self._server.handle_request()
        return self._server.received

    def close(self) -> None:
        self._server.server_close()

    def __enter__(self) -> RedirectReceiver:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

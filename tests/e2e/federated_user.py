"""A headless person signing in through a local IdP's own page: the hosted UI's ``identity_provider``
redirect, the IdP's login form (its test user, password read from its 0600 file), the IdP's consent or
auto-posted response, back through the emulator to the loopback callback. Each hop is looked at; a
Cognito host name is mapped to the emulator's gateway, as a test client must (docs/local.md)."""

from __future__ import annotations

import json
import threading
import urllib.parse
from pathlib import Path

from tests.local.idps.http_client import Browser, first_form


class FederatedUser:
    """``open_url`` for ``login.sign_in``: runs the hops in a thread; ``join`` then ``error``."""

    def __init__(self, username: str, user_file: Path, ca_file: Path, domain: str, gateway: str) -> None:
        self._username = username
        self._user_file = user_file
        self._browser = Browser(ca_file)
        self._cognito = f"https://{domain}"
        self._gateway = gateway.rstrip("/")
        self._thread: threading.Thread | None = None
        self.error: str | None = None
        self.hops: list[str] = []

    def __call__(self, url: str) -> None:
        self._thread = threading.Thread(target=self._run, args=(url,), daemon=True)
        self._thread.start()

    def join(self) -> None:
        if self._thread is not None:
            self._thread.join(30)

    def _map(self, url: str) -> str:
        return self._gateway + url[len(self._cognito) :] if url.startswith(self._cognito) else url

    def _run(self, url: str) -> None:
        try:
            self._hops(url)
        except Exception as exc:
            self.error = f"{type(exc).__name__}: {exc}"

    def _hops(self, url: str) -> None:
        password = json.loads(self._user_file.read_text(encoding="utf-8"))["password"]
        reply = self._browser.get(self._map(url))
        for _ in range(20):
            self.hops.append(urllib.parse.urlsplit(url).netloc + urllib.parse.urlsplit(url).path)
            if reply.status in (301, 302, 303, 307):
                url = urllib.parse.urljoin(url, reply.location)
                if url.startswith("http://localhost:"):
                    self._browser.get(url)  # the loopback callback: the sign-in's receiver
                    return
                reply = self._browser.get(self._map(url))
                continue
            if reply.status != 200:
                raise AssertionError(f"HTTP {reply.status} at {url}: {reply.body[:200]}")
            form = first_form(reply.body, url)
            fields = dict(form.fields)
            if "password" in fields:
                fields |= {"username": self._username, "password": password}
            url = form.action
            reply = self._browser.post(self._map(url), fields)
        raise AssertionError("too many hops")

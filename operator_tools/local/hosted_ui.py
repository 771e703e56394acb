"""A headless user at the emulator's hosted sign-in page: fills the form and follows the redirect.

It plays the person in front of ``make login``: given the authorize URL, it loads the sign-in page,
submits the form's own hidden fields with the test user's name and password, and follows the
``302`` to the redirect URI, where the login tool's loopback listener takes the code. It runs in a
background thread because the listener only answers once the login tool waits for it.

Guarantees: only the form's own fields plus username and password are sent; nothing is logged (the
password and the code never reach output); ``error`` keeps a one-line reason if the page had no
form or the sign-in was refused, for the caller to report.
"""

from __future__ import annotations

import threading
import urllib.error
import urllib.parse
import urllib.request
from html.parser import HTMLParser
from typing import Any

from operator_tools.http_json import is_loopback

TIMEOUT_SECONDS = 15.0


class _Form(HTMLParser):
    """The first ``<form>``'s action and input fields."""

    def __init__(self) -> None:
        super().__init__()
        self.action: str | None = None
        self.fields: dict[str, str] = {}
        self._inside = False
        self._done = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = {k: v or "" for k, v in attrs}
        if tag == "form" and not self._done and self.action is None:
            self.action, self._inside = attributes.get("action", ""), True
        elif tag == "input" and self._inside and attributes.get("name"):
            self.fields[attributes["name"]] = attributes.get("value", "")

    def handle_endtag(self, tag: str) -> None:
        if tag == "form" and self._inside:
            self._inside, self._done = False, True


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


_OPENER = urllib.request.build_opener(_NoRedirect)


class HostedUiUser:
    """Call it with the authorize URL (it is ``make login``'s ``open_url``); then ``join``."""

    def __init__(self, username: str, password: str) -> None:
        self._username = username
        self._password = password
        self._threads: list[threading.Thread] = []
        self.error: str | None = None

    def __call__(self, url: str) -> None:
        thread = threading.Thread(target=self._sign_in, args=(url,), daemon=True)
        thread.start()
        self._threads.append(thread)

    def join(self) -> None:
        for thread in self._threads:
            thread.join(timeout=TIMEOUT_SECONDS + 1)

    def _sign_in(self, url: str) -> None:
        try:
            status, _, body = _send("GET", url)
            form = _Form()
            form.feed(body.decode("utf-8", "replace"))
            if status != 200 or form.action is None:
                self.error = f"the sign-in page answered HTTP {status} without a sign-in form"
                return
            fields = {**form.fields, "username": self._username, "password": self._password}
            action = urllib.parse.urljoin(url, form.action)
            status, headers, _ = _send("POST", action, urllib.parse.urlencode(fields).encode())
            location = headers.get("location", "")
            if status not in (301, 302, 303) or not location:
                self.error = f"the sign-in form answered HTTP {status}, not a redirect (wrong password?)"
                return
            if not is_loopback(location):
                self.error = "the sign-in redirected somewhere other than the loopback callback"
                return
            _send("GET", location)
        except OSError as exc:
            self.error = f"the hosted sign-in could not be reached: {exc}"


def _send(method: str, url: str, data: bytes | None = None) -> tuple[int, dict[str, str], bytes]:
    headers = {"Content-Type": "application/x-www-form-urlencoded"} if data is not None else {}
    # Only the emulator's loopback gateway and the loopback callback are ever opened here.
    request = urllib.request.Request(url, data=data, method=method, headers=headers)  # noqa: S310
    try:
        with _OPENER.open(request, timeout=TIMEOUT_SECONDS) as response:
            return response.status, {k.lower(): v for k, v in response.headers.items()}, response.read()
    except urllib.error.HTTPError as err:
        with err:
            return err.code, {k.lower(): v for k, v in err.headers.items()}, err.read()

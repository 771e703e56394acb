"""A headless user at the emulator's hosted sign-in pages: fills each form and follows the redirect.

It plays the person in front of ``make login``: given the authorize URL, it loads the sign-in page and
answers each form with the form's own hidden fields plus what the form asks for, until the pages
redirect to the redirect URI, where the login tool's loopback listener takes the code. Two shapes of
sign-in are understood:

- the single form (username and password), for clients without choice-based sign-in;
- choice-based sign-in (clients with ``ALLOW_USER_AUTH``): the username, then a choice of method
  (``password`` or ``email_otp``, the ``method`` given), then the password or the emailed code, which
  ``read_code`` fetches as the user would from their inbox.

It runs in a background thread because the listener only answers once the login tool waits for it.

Guarantees: only a form's own fields plus the username, the password, the chosen method or the code
are sent; nothing is logged (the password, the code and the authorization code never reach output);
``error`` keeps a one-line reason if a page had no form, a form came back unchanged (a wrong password
or code), or the method was not offered, for the caller to report.
"""

from __future__ import annotations

import threading
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from html.parser import HTMLParser
from typing import Any, Literal

from operator_tools.lib.errors import ToolError
from operator_tools.lib.http_json import is_loopback

TIMEOUT_SECONDS = 15.0
# Username, method, secret: three pages at most; one more to notice a loop.
MAX_PAGES = 4
Method = Literal["password", "email_otp"]
# The hosted UI's names for the methods (Cognito's challenge names).
_CHALLENGES: dict[str, str] = {"password": "PASSWORD", "email_otp": "EMAIL_OTP"}


class _Form(HTMLParser):
    """The first ``<form>``'s action, input fields and submit choices (``<button name value>``)."""

    def __init__(self) -> None:
        super().__init__()
        self.action: str | None = None
        self.fields: dict[str, str] = {}
        self.choices: dict[str, list[str]] = {}
        self._inside = False
        self._done = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = {k: v or "" for k, v in attrs}
        if tag == "form" and not self._done and self.action is None:
            self.action, self._inside = attributes.get("action", ""), True
        elif tag == "input" and self._inside and attributes.get("name"):
            self.fields[attributes["name"]] = attributes.get("value", "")
        elif tag == "button" and self._inside and attributes.get("name"):
            self.choices.setdefault(attributes["name"], []).append(attributes.get("value", ""))

    def handle_endtag(self, tag: str) -> None:
        if tag == "form" and self._inside:
            self._inside, self._done = False, True


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


_OPENER = urllib.request.build_opener(_NoRedirect)


class _RefusedError(Exception):
    """The sign-in cannot go on; the message is the one-line reason."""


class HostedUiUser:
    """Call it with the authorize URL (it is ``make login``'s ``open_url``); then ``join``.

    ``method`` is what to choose on a choice-based page; ``read_code`` returns the emailed code and is
    needed only for ``email_otp``.
    """

    def __init__(
        self,
        username: str,
        password: str,
        *,
        method: Method = "password",
        read_code: Callable[[], str] | None = None,
    ) -> None:
        if method == "email_otp" and read_code is None:
            raise ValueError("signing in with an emailed code needs read_code")
        self._username = username
        self._password = password
        self._method = method
        self._read_code = read_code
        self._threads: list[threading.Thread] = []
        self.error: str | None = None
        self.pages: list[str] = []  # what each form asked for, e.g. "username", "choice", "code"

    def __call__(self, url: str) -> None:
        thread = threading.Thread(target=self._sign_in, args=(url,), daemon=True)
        thread.start()
        self._threads.append(thread)

    def join(self) -> None:
        for thread in self._threads:
            thread.join(timeout=MAX_PAGES * TIMEOUT_SECONDS + 1)

    def _sign_in(self, url: str) -> None:
        try:
            status, _, body = _send("GET", url)
            if status != 200:
                raise _RefusedError(f"the sign-in page answered HTTP {status} without a sign-in form")
            self._answer_forms(url, body)
        except _RefusedError as refused:
            self.error = str(refused)
        except ToolError as exc:
            self.error = f"the sign-in could not go on: {exc}"
        except OSError as exc:
            self.error = f"the hosted sign-in could not be reached: {exc}"

    def _answer_forms(self, url: str, body: bytes) -> None:
        asked: tuple[str, ...] | None = None
        for _ in range(MAX_PAGES):
            form = _Form()
            form.feed(body.decode("utf-8", "replace"))
            if form.action is None:
                raise _RefusedError("the sign-in form answered HTTP 200, not a redirect (wrong password?)")
            shape = (*sorted(form.fields), *sorted(form.choices))
            if shape == asked:
                raise _RefusedError("a sign-in page asked again for the same thing (wrong password or code?)")
            asked = shape
            fields = {**form.fields, **self._answers(form)}
            action = urllib.parse.urljoin(url, form.action)
            status, headers, body = _send("POST", action, urllib.parse.urlencode(fields).encode())
            location = headers.get("location", "")
            if status in (301, 302, 303) and location:
                if not is_loopback(location):
                    raise _RefusedError("the sign-in redirected somewhere other than the loopback callback")
                _send("GET", location)
                return
            if status != 200:
                raise _RefusedError(f"the sign-in form answered HTTP {status}, not a redirect")
        raise _RefusedError(f"the sign-in did not finish within {MAX_PAGES} pages")

    def _answers(self, form: _Form) -> dict[str, str]:
        """What this page asks for, from what the user knows; records the page's kind in ``pages``."""
        answers: dict[str, str] = {}
        if "username" in form.fields:
            answers["username"] = self._username
        if "password" in form.fields:
            answers["password"] = self._password
        if "code" in form.fields:
            if self._read_code is None:
                raise _RefusedError("the sign-in asked for a code, and this user reads no mailbox")
            answers["code"] = self._read_code()
        if "challenge" in form.choices:
            wanted = _CHALLENGES[self._method]
            if wanted not in form.choices["challenge"]:
                offered = ", ".join(form.choices["challenge"])
                raise _RefusedError(f"the sign-in does not offer {wanted} (it offers {offered})")
            answers["challenge"] = wanted
        self.pages.append("+".join(k if k != "challenge" else "choice" for k in answers) or "empty")
        return answers


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

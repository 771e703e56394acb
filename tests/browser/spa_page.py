"""The sample app in a real browser, one step at a time, as a person uses it.

Each step clicks what a person clicks, waits until the app says it is done (the ``data-*`` attributes
app.js keeps on ``<body>``) and raises ``StepFailedError`` with what the page showed when the step did not
succeed. The negative tests rely on that: a broken sign-in, API call, refresh or sign-out must raise.
Nothing here prints a password or a token.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

from selenium.common.exceptions import StaleElementReferenceException, TimeoutException
from selenium.webdriver import Chrome
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webelement import WebElement
from selenium.webdriver.support.ui import WebDriverWait

WAIT_SECONDS = 20
# Username, choice of method, password: three pages at most; one more to notice a loop.
MAX_SIGN_IN_PAGES = 4
_SETTLED = ("signed-in", "signed-out", "error")

# Calls ``fetch`` from the page (so with the page's origin) and reports what the page's script sees:
# the status, or the error a blocked (CORS) or failed request raises.
_PROBE = """
const [url, token, done] = arguments;
const headers = token ? {Authorization: "Bearer " + token} : {};
fetch(url, {headers}).then(
  (response) => done({status: response.status}),
  (error) => done({error: String(error)}),
);
"""


class StepFailedError(AssertionError):
    """A step of the journey did not succeed; the message says which and what the page showed."""


class SpaPage:
    """The app at ``origin`` in ``driver``'s one tab."""

    def __init__(self, driver: Chrome, origin: str) -> None:
        self.driver = driver
        self.origin = origin
        driver.set_script_timeout(WAIT_SECONDS)

    # --- what the page shows -------------------------------------------------------------------------
    def data(self, name: str) -> str | None:
        """A ``data-<name>`` attribute of ``<body>`` (the app's state for the test)."""
        # Read in one script, never through a found element: the app re-renders while the test reads,
        # and an element handle found a moment earlier may belong to a replaced node ("Node with given
        # id does not belong to the document").
        value = self.driver.execute_script("return document.body.getAttribute(arguments[0]);", f"data-{name}")
        return str(value) if value is not None else None

    @property
    def state(self) -> str | None:
        return self.data("state")

    def text(self, element_id: str) -> str:
        """The element's rendered text, read in one script (as ``data``: no stale handle)."""
        value = self.driver.execute_script(
            "const e = document.getElementById(arguments[0]); return e ? e.innerText : null;", element_id
        )
        if value is None:
            raise StepFailedError(f"the page has no #{element_id} (at {self._where()})")
        return str(value)

    def stored_user(self) -> dict[str, Any] | None:
        """The signed-in user oidc-client-ts keeps in this origin's sessionStorage, or None."""
        raw = self.driver.execute_script(
            "const e = Object.entries(sessionStorage).find(([k]) => k.startsWith('oidc.user:'));"
            "return e ? e[1] : null;"
        )
        return json.loads(raw) if isinstance(raw, str) else None

    def local_storage_keys(self) -> list[str]:
        return list(self.driver.execute_script("return Object.keys(localStorage);"))

    def console(self) -> list[str]:
        """The browser console's messages since the last call (the driver hands each out once)."""
        return [str(entry.get("message", "")) for entry in self.driver.get_log("browser")]

    def probe(self, url: str, token: str | None) -> dict[str, Any]:
        """What a script on this page gets from ``GET url``: ``{"status": n}`` or ``{"error": text}``."""
        answer = self.driver.execute_async_script(_PROBE, url, token)
        return dict(answer)

    # --- steps ---------------------------------------------------------------------------------------
    def open(self, path: str = "/") -> None:
        """Load the app and wait until it has decided whether someone is signed in."""
        self.driver.get(self.origin + path)
        self._wait_settled("the app did not finish loading")

    def sign_in(self, username: str, password: str) -> list[str]:
        """Sign in through the hosted pages; returns what each page asked for. Ends signed in."""
        self._navigate_by(lambda: self._click("sign-in"), "Sign in did not leave the app")
        asked: list[str] = []
        for _ in range(MAX_SIGN_IN_PAGES):
            if self._on_app():
                break
            forms = self.driver.find_elements(By.TAG_NAME, "form")
            if not forms:
                raise StepFailedError(f"sign-in: {self._where()} showed no sign-in form: {self._page_text()}")
            form = forms[0]
            filled = [
                name
                for name, value in (("username", username), ("password", password))
                if _fill(form, name, value)
            ]
            choice = form.find_elements(By.CSS_SELECTOR, "button[name=challenge][value=PASSWORD]")
            asked.append("+".join([*filled, *(["choice"] if choice else [])]) or "nothing")
            button = choice[0] if choice else form.find_element(By.CSS_SELECTOR, "[type=submit]")
            self._navigate_by(button.click, "a sign-in page did not submit")
        if not self._on_app():
            raise StepFailedError(f"sign-in: still at {self._where()} after {asked}: {self._page_text()}")
        self._wait_settled("the app did not finish the sign-in")
        if self.state != "signed-in":
            raise StepFailedError(
                f"sign-in: back in the app, but {self.text('status')!r} {self.text('error')!r}"
            )
        return asked

    def sign_in_at_idp(self, idp_url: str, username: str, password: str) -> str:
        """Sign in through an identity provider's own page: Sign in (the app sends ``identity_provider``)
        must land on ``idp_url``'s login form, whose answer comes back through Cognito to the app.
        Returns where the login form was (scheme, host, path). Ends signed in."""
        self._navigate_by(lambda: self._click("sign-in"), "Sign in did not leave the app")
        self._wait(lambda: self._where().startswith(idp_url), "the IdP's login page did not open")
        at = self._where()
        form = self.driver.find_element(By.TAG_NAME, "form")
        if not (_fill(form, "username", username) and _fill(form, "password", password)):
            raise StepFailedError(f"sign-in: {at} showed no username and password: {self._page_text()}")
        form.find_element(By.CSS_SELECTOR, "[type=submit]").click()
        # The IdP's answer posts itself to Cognito's ACS, which redirects to the app with a code.
        self._wait(self._on_app, f"the sign-in at {at} did not come back to the app")
        self._wait_settled("the app did not finish the sign-in")
        if self.state != "signed-in":
            raise StepFailedError(
                f"sign-in: back in the app, but {self.text('status')!r} {self.text('error')!r}"
            )
        return at

    def claims(self) -> dict[str, Any]:
        """The ID token's claims as the page shows them."""
        shown: dict[str, Any] = json.loads(self.text("claims"))
        return shown

    def call_me(self) -> dict[str, Any]:
        """Click "Call GET /me"; returns the answer's JSON. Anything but HTTP 200 is a failure."""
        self._click("call-me")
        self._wait(lambda: self.data("me") not in (None, "pending"), "GET /me did not finish")
        if self.data("me") != "200":
            raise StepFailedError(f"GET /me from {self.origin}: {self.text('me-status')}")
        answer: dict[str, Any] = json.loads(self.text("me-body"))
        return answer

    def refresh(self) -> None:
        """Click "Refresh the token"; the app must count one more refresh and show no error."""
        before = int(self.data("refreshes") or 0)
        self._click("refresh")

        def finished() -> bool:
            # Done means counted or failed, not merely "not refreshing": that also holds before it starts.
            counted = int(self.data("refreshes") or 0) != before
            return self.data("refreshing") is None and (counted or bool(self.data("error")))

        self._wait(finished, "the refresh did not finish")
        if self.data("error") or int(self.data("refreshes") or 0) != before + 1:
            raise StepFailedError(f"refresh: {self.text('error') or 'the app counted no refresh'}")

    def sign_out(self) -> None:
        """Click "Sign out": through the logout endpoint and back to the app, signed out."""
        self._navigate_by(lambda: self._click("sign-out"), "Sign out did not leave the page")
        if not self._on_app():
            raise StepFailedError(f"sign-out: stopped at {self._where()}: {self._page_text()}")
        self._wait_settled("the app did not load after the sign-out")
        if self.state != "signed-out":
            raise StepFailedError(f"sign-out: back in the app, but {self.text('status')!r}")

    # --- helpers -------------------------------------------------------------------------------------
    def _click(self, element_id: str) -> None:
        button = self.driver.find_element(By.ID, element_id)
        if not button.is_enabled():
            raise StepFailedError(
                f"the {element_id!r} button is disabled: {self.text('status')!r} {self.text('error')!r}"
            )
        button.click()

    def _navigate_by(self, action: Callable[[], object], what: str) -> None:
        """Run ``action`` and wait until the browser has loaded the next document (after redirects)."""
        page = self.driver.find_element(By.TAG_NAME, "html")
        action()
        self._wait(lambda: _is_stale(page), what)
        self._wait(lambda: self.driver.execute_script("return document.readyState") == "complete", what)

    def _wait_settled(self, what: str) -> None:
        self._wait(lambda: self.state in _SETTLED, what)

    def _wait(self, condition: Callable[[], object], what: str) -> None:
        try:
            WebDriverWait(self.driver, WAIT_SECONDS).until(lambda _: condition())
        except TimeoutException:
            raise StepFailedError(f"{what} within {WAIT_SECONDS} s (at {self._where()})") from None

    def _on_app(self) -> bool:
        return str(self.driver.current_url).startswith(self.origin + "/")

    def _where(self) -> str:
        """The current URL without its query (which may hold a code or a state)."""
        parts = urlsplit(str(self.driver.current_url))
        return f"{parts.scheme}://{parts.netloc}{parts.path}"

    def _page_text(self) -> str:
        return " ".join(str(self.driver.find_element(By.TAG_NAME, "body").text).split())[:300]


def _fill(form: WebElement, name: str, value: str) -> bool:
    fields = form.find_elements(By.NAME, name)
    for field in fields:
        field.send_keys(value)
    return bool(fields)


def _is_stale(element: WebElement) -> bool:
    """True once the document ``element`` belonged to has been replaced (a navigation happened)."""
    try:
        element.is_enabled()
    except StaleElementReferenceException:
        return True
    return False

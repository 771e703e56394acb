"""The headless user fills the hosted sign-in form as a person would, and reports refusals."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pytest

from operator_tools.lib.loopback import RedirectReceiver
from operator_tools.local.hosted_ui import HostedUiUser
from tests.operator_tools.conftest import free_port
from tests.standins.http_stub import Reply, Request, serve

FORM = """<!doctype html><form method="POST" action="/login">
<input type="hidden" name="client_id" value="spa-id">
<input type="hidden" name="state" value="{state}">
<input type="hidden" name="redirect_uri" value="{redirect}">
<input type="text" name="username"><input type="password" name="password">
</form><form action="/other"><input name="decoy" value="x"></form>"""


@contextmanager
def hosted_ui(redirect: str) -> Iterator[tuple[str, list[Request]]]:
    def handle(request: Request) -> Reply:
        if request.method == "GET" and request.path == "/oauth2/authorize":
            return Reply(200, FORM.format(state=request.query["state"], redirect=redirect).encode())
        form = request.form()
        if request.path == "/login" and form.get("password") == "right-password":
            return Reply.redirect(f"{form['redirect_uri']}?code=the-code&state={form['state']}")
        return Reply(200, b"<p>Incorrect username or password.</p>")

    with serve(handle) as server:
        yield server.base_url, server.requests


@pytest.fixture
def redirect() -> str:
    return f"http://127.0.0.1:{free_port()}/callback"


def test_the_form_is_posted_with_its_own_fields_and_the_redirect_is_followed(redirect: str) -> None:
    with hosted_ui(redirect) as (base, requests):
        with RedirectReceiver(redirect) as receiver:
            user = HostedUiUser("someone@example.com", "right-password")
            user(f"{base}/oauth2/authorize?state=s-123")
            params = receiver.wait(5)
            user.join()
        assert params == {"code": "the-code", "state": "s-123"}
        assert user.error is None
        posted = requests[1].form()
        assert posted == {
            "client_id": "spa-id", "state": "s-123", "redirect_uri": redirect,
            "username": "someone@example.com", "password": "right-password",
        }  # fmt: skip


def test_a_refused_sign_in_is_reported_not_followed(redirect: str) -> None:
    with hosted_ui(redirect) as (base, _):
        user = HostedUiUser("someone@example.com", "wrong-password")
        user(f"{base}/oauth2/authorize?state=s-123")
        user.join()
        assert user.error is not None
        assert "not a redirect (wrong password?)" in user.error
        assert "wrong-password" not in user.error


# The choice-based pages, shaped as the emulator's (and managed login's) steps: username, choice, secret.
USERNAME_PAGE = """<form method="POST" action="/login">
<input type="hidden" name="auth_flow" value="USER_AUTH"><input type="hidden" name="state" value="{state}">
<input type="hidden" name="redirect_uri" value="{redirect}">
<input type="text" name="username"><button type="submit">Next</button></form>"""
CHOICE_PAGE = """<form method="POST" action="/login"><input type="hidden" name="ua_token" value="t-1">
<button type="submit" name="challenge" value="PASSWORD">Password</button>
<button type="submit" name="challenge" value="EMAIL_OTP">Email code</button></form>"""
CODE_PAGE = """<form method="POST" action="/login"><input type="hidden" name="ua_token" value="t-1">
<label>Enter the code</label><input type="text" name="code"><button type="submit">Sign in</button></form>"""
PASSWORD_PAGE = """<form method="POST" action="/login"><input type="hidden" name="ua_token" value="t-1">
<input type="password" name="password"><button type="submit">Sign in</button></form>"""


@contextmanager
def choice_based_ui(redirect: str) -> Iterator[tuple[str, list[Request]]]:
    session: dict[str, str] = {}

    def handle(request: Request) -> Reply:
        if request.method == "GET":
            session["state"] = request.query["state"]
            return Reply(200, USERNAME_PAGE.format(state=session["state"], redirect=redirect).encode())
        form = request.form()
        if form.get("auth_flow") == "USER_AUTH":
            return Reply(200, CHOICE_PAGE.encode())
        if form.get("challenge") == "EMAIL_OTP":
            return Reply(200, CODE_PAGE.encode())
        if form.get("challenge") == "PASSWORD":
            return Reply(200, PASSWORD_PAGE.encode())
        if form.get("code") == "123456" or form.get("password") == "right-password":
            return Reply.redirect(f"{redirect}?code=the-code&state={session['state']}")
        # A wrong code or password: the same page again, with an error.
        page = CODE_PAGE if "code" in form else PASSWORD_PAGE
        return Reply(200, ("<div class='error'>Incorrect.</div>" + page).encode())

    with serve(handle) as server:
        yield server.base_url, server.requests


@pytest.mark.parametrize(
    ("method", "posted"),
    [
        ("email_otp", {"ua_token": "t-1", "code": "123456"}),
        ("password", {"ua_token": "t-1", "password": "right-password"}),
    ],
)
def test_choice_based_sign_in_answers_each_page_with_the_chosen_method(
    redirect: str, method: str, posted: dict[str, str]
) -> None:
    reads: list[str] = []

    def read_code() -> str:
        reads.append("read")
        return "123456"

    with choice_based_ui(redirect) as (base, requests), RedirectReceiver(redirect) as receiver:
        user = HostedUiUser("someone@example.com", "right-password", method=method, read_code=read_code)  # type: ignore[arg-type]
        user(f"{base}/oauth2/authorize?state=s-9")
        params = receiver.wait(5)
        user.join()

    assert params == {"code": "the-code", "state": "s-9"}
    assert user.error is None
    secret = "code" if method == "email_otp" else "password"
    assert user.pages == ["username", "choice", secret]
    assert requests[2].form() == {"ua_token": "t-1", "challenge": method.upper()}
    assert requests[3].form() == posted
    # The mailbox is read only when a code is asked for.
    assert reads == (["read"] if method == "email_otp" else [])


def test_a_wrong_code_is_reported_not_submitted_again(redirect: str) -> None:
    with choice_based_ui(redirect) as (base, requests):
        user = HostedUiUser("someone@example.com", "pw", method="email_otp", read_code=lambda: "000000")
        user(f"{base}/oauth2/authorize?state=s-9")
        user.join()

    assert user.error is not None
    assert "asked again for the same thing" in user.error
    assert "000000" not in user.error
    assert [r.form().get("code") for r in requests if "code" in r.form()] == ["000000"]


def test_a_method_the_pages_do_not_offer_is_reported(redirect: str) -> None:
    def handle(request: Request) -> Reply:
        if request.method == "GET":
            return Reply(200, USERNAME_PAGE.format(state="s", redirect=redirect).encode())
        return Reply(200, CHOICE_PAGE.replace("EMAIL_OTP", "SMS_OTP").encode())

    with serve(handle) as server:
        user = HostedUiUser("someone@example.com", "pw", method="email_otp", read_code=lambda: "1")
        user(f"{server.base_url}/oauth2/authorize?state=s")
        user.join()

    assert user.error == "the sign-in does not offer EMAIL_OTP (it offers PASSWORD, SMS_OTP)"

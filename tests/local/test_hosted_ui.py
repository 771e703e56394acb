"""The headless user fills the hosted sign-in form as a person would, and reports refusals."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pytest

from operator_tools.local.hosted_ui import HostedUiUser
from operator_tools.loopback import RedirectReceiver
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

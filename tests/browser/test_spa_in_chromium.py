"""The sample SPA (examples/spa) in headless Chromium against the local deployment (`make e2e-browser`).

A person's journey: sign in through the hosted sign-in (authorization code + PKCE), see GET /me's
answer, refresh the token, sign out. CORS as a browser enforces it: the API's answers, a 401
included, are readable from the allowed origin and blocked from any other. And the test's own
steps are shown to fail when the flow breaks: a wrong redirect URI, an origin the API does not
allow, an unusable refresh token, an unregistered sign-out URL.
"""

from __future__ import annotations

import copy
from typing import Any

import pytest
from selenium.webdriver import Chrome

from operator_tools.lib.front_end import choose_browser_client
from operator_tools.local.lifecycle import LocalDeployment
from tests.browser.conftest import ServedApp
from tests.browser.spa_page import SpaPage, StepFailedError

# Chromium's console line when a response's Access-Control-Allow-Origin names another origin.
CORS_REFUSAL = "has been blocked by CORS policy"
BLOCKED = {"error": "TypeError: Failed to fetch"}


def _signed_in(browser: Chrome, app: ServedApp, deployment: LocalDeployment) -> SpaPage:
    page = SpaPage(browser, app.origin)
    page.open()
    page.sign_in(deployment.user.username, deployment.user.password)
    return page


def test_a_person_signs_in_calls_the_api_refreshes_and_signs_out(
    browser: Chrome, app: ServedApp, deployment: LocalDeployment
) -> None:
    page = SpaPage(browser, app.origin)
    page.open()
    assert page.state == "signed-out"

    asked = page.sign_in(deployment.user.username, deployment.user.password)

    client = choose_browser_client(app.config, None)
    expected = ["username", "choice", "password"] if client.choice_based_sign_in else ["username+password"]
    assert asked == expected
    assert page.text("status") == f"Signed in as {deployment.user.username}."
    user = page.stored_user()
    assert user is not None
    assert user["refresh_token"]
    assert user["profile"]["email"] == deployment.user.username
    # Nothing in localStorage: not the tokens, not even the sign-in's PKCE verifier and state.
    assert page.local_storage_keys() == []
    assert browser.current_url == f"{app.origin}/"  # the code is gone from the address bar

    me = page.call_me()
    assert me["sub"] == user["profile"]["sub"]
    assert me["token_use"] == "access"

    page.refresh()
    refreshed = page.stored_user()
    assert refreshed is not None
    assert refreshed["access_token"] != user["access_token"]
    assert refreshed["profile"]["sub"] == user["profile"]["sub"]
    # The API accepts the new access token, and the app, which now holds it, still gets the answer.
    assert page.probe(app.document["api"]["base_url"] + "me", refreshed["access_token"]) == {"status": 200}
    assert page.call_me()["sub"] == user["profile"]["sub"]

    page.sign_out()
    assert page.stored_user() is None
    assert page.text("status") == "Signed out."


def test_only_the_allowed_origin_can_read_the_api_even_its_401(
    browser: Chrome, app: ServedApp, other_app: ServedApp, deployment: LocalDeployment
) -> None:
    page = _signed_in(browser, app, deployment)
    user = page.stored_user()
    assert user is not None
    me_url = app.document["api"]["base_url"] + "me"

    # From the allowed origin the page reads the answer, and a refusal is a readable 401, so an app
    # can tell "sign in again" from "the network is down".
    assert page.probe(me_url, user["access_token"]) == {"status": 200}
    assert page.probe(me_url, None) == {"status": 401}

    other = SpaPage(browser, other_app.origin)
    other.open()
    other.console()  # drop what loading the page logged
    # The same requests from another origin: the browser withholds both answers from the page (the
    # local API allows one origin, so its error responses name that one too).
    assert other.probe(me_url, user["access_token"]) == BLOCKED
    assert other.probe(me_url, None) == BLOCKED
    refusals = [line for line in other.console() if CORS_REFUSAL in line and other_app.origin in line]
    assert len(refusals) == 2, refusals
    # And the app itself refuses to run where its client has no callback.
    assert other.state == "error"
    assert f"This app runs on {other_app.origin}, but client" in other.text("error")


def _with(document: dict[str, Any], **changes: Any) -> dict[str, Any]:
    changed = copy.deepcopy(document)
    changed.update(changes)
    return changed


def test_a_redirect_uri_the_client_does_not_register_fails_the_sign_in(
    browser: Chrome, app: ServedApp, deployment: LocalDeployment
) -> None:
    wrong = _with(app.document, redirect_uris=[f"{app.origin}/not-registered"])
    page = SpaPage(browser, app.origin)
    with app.serving(wrong):
        page.open()
        with pytest.raises(
            StepFailedError, match=r"^sign-in: .* showed no sign-in form: .*redirect_uri is not allowed"
        ):
            page.sign_in(deployment.user.username, deployment.user.password)


def test_an_origin_the_api_does_not_allow_fails_the_api_call(
    browser: Chrome, app: ServedApp, other_app: ServedApp, deployment: LocalDeployment
) -> None:
    page = _signed_in(browser, app, deployment)
    stored = browser.execute_script(
        "return Object.entries(sessionStorage).find(([k]) => k.startsWith('oidc.user:'));"
    )
    # The client registers the other origin's callback, but the API's CORS does not list it.
    registered = _with(
        other_app.document,
        redirect_uris=[*other_app.document["redirect_uris"], f"{other_app.origin}/callback"],
    )
    other = SpaPage(browser, other_app.origin)
    with other_app.serving(registered):
        other.open()
        browser.execute_script("sessionStorage.setItem(arguments[0], arguments[1]);", *stored)
        other.open()
        assert other.state == "signed-in"
        with pytest.raises(
            StepFailedError, match=rf"^GET /me from {other_app.origin}: The browser blocked the call"
        ):
            other.call_me()
    page.open()
    assert page.call_me()["sub"]  # the same session still works where the API allows it


def test_an_unusable_refresh_token_fails_the_refresh(
    browser: Chrome, app: ServedApp, deployment: LocalDeployment
) -> None:
    page = _signed_in(browser, app, deployment)
    browser.execute_script(
        "const [key, raw] = Object.entries(sessionStorage).find(([k]) => k.startsWith('oidc.user:'));"
        "const user = JSON.parse(raw); user.refresh_token = 'not-a-refresh-token';"
        "sessionStorage.setItem(key, JSON.stringify(user));"
    )
    with pytest.raises(StepFailedError, match=r"^refresh: Refreshing the token failed: .*refresh token"):
        page.refresh()


def test_a_logout_uri_the_client_does_not_register_fails_the_sign_out(
    browser: Chrome, app: ServedApp, deployment: LocalDeployment
) -> None:
    wrong = _with(app.document, post_logout_redirect_uris=[f"{app.origin}/not-registered"])
    with app.serving(wrong):
        page = _signed_in(browser, app, deployment)
        with pytest.raises(
            StepFailedError, match=r"^sign-out: stopped at .*/logout: .*logout_uri is not allowed"
        ):
            page.sign_out()

"""The SAML IdP's web front: a WSGI app a person can use in a browser and a test can post to.

Routes, all on the IdP's one URL path ``P`` (from its entity ID):

- ``GET P`` with no ``SAMLRequest``: the IdP's metadata document;
- ``GET P?SAMLRequest=...&RelayState=...`` (HTTP-Redirect binding): the request is checked, then a
  login page (username and password) that carries the request along in hidden fields;
- ``POST P/login``: the request is checked again and the password compared in constant time; a wrong
  one gets the login page again with status 401; a right one gets a page that posts the signed
  Response to the SP's ACS by itself (HTTP-POST binding; a button when scripts are off);
- ``GET /_idp/health``: ``{"kind": "saml", "pid": ...}``, so its starter knows the port is this process.

Nothing of a request's query or form is logged: only the method, the path and the status.
"""

from __future__ import annotations

import html
import json
import logging
import os
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

from operator_tools.local.idps.saml_idp import SamlIdp
from operator_tools.local.idps.users import IdpUser, load

_LOG = logging.getLogger("saml-idp")
_MAX_FORM_BYTES = 64 * 1024
_HIDDEN = ("SAMLRequest", "RelayState", "SigAlg", "Signature")
_STYLE = (
    "body{font-family:sans-serif;max-width:28rem;margin:3rem auto}"
    "label,input,button{display:block;margin:.5rem 0}.error{color:#a00}"
)
StartResponse = Callable[[str, list[tuple[str, str]]], Any]


class SamlApp:
    """The WSGI application around one ``SamlIdp``."""

    def __init__(self, idp: SamlIdp) -> None:
        self.idp = idp
        self.path = urlsplit(idp.settings.url).path or "/"

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        method, path = environ.get("REQUEST_METHOD", "GET"), environ.get("PATH_INFO", "/")
        status, content_type, body = self._route(method, path, environ)
        _LOG.info("%s %s %s", method, path, status.split()[0])
        headers = [
            ("Content-Type", content_type),
            ("Content-Length", str(len(body))),
            ("Cache-Control", "no-store"),
            ("X-Frame-Options", "DENY"),
        ]
        start_response(status, headers)
        return [body]

    def _route(self, method: str, path: str, environ: dict[str, Any]) -> tuple[str, str, bytes]:
        if path == "/_idp/health" and method == "GET":
            payload = {"kind": "saml", "pid": os.getpid(), "url": self.idp.settings.url}
            return "200 OK", "application/json", json.dumps(payload).encode()
        if path == self.path and method == "GET":
            query = {k: v[0] for k, v in parse_qs(environ.get("QUERY_STRING", "")).items()}
            if "SAMLRequest" not in query:
                return "200 OK", "application/samlmetadata+xml", self.idp.metadata_xml().encode()
            return self._sign_in(query, None)
        if path == self.path.rstrip("/") + "/login" and method == "POST":
            return self._sign_in(_form(environ), _form_credentials(environ))
        return "404 Not Found", "text/plain; charset=utf-8", b"not found\n"

    def _sign_in(self, fields: dict[str, str], credentials: tuple[str, str] | None) -> tuple[str, str, bytes]:
        try:
            request = self.idp.parse(
                fields.get("SAMLRequest", ""),
                fields.get("RelayState"),
                fields.get("SigAlg"),
                fields.get("Signature"),
            )
        except Exception as exc:  # pysaml2 raises many types, none of them expected here
            _LOG.warning("refused an AuthnRequest: %s: %s", type(exc).__name__, exc)
            return "400 Bad Request", "text/html; charset=utf-8", self._refused(exc)
        user = load(self.idp.settings.user_file)
        if credentials is None:
            return "200 OK", "text/html; charset=utf-8", self._login_page(fields, user, error=None)
        if not user.accepts(*credentials):
            _LOG.info("wrong username or password for a sign-in to %s", request.sp_entity_id)
            return "401 Unauthorized", "text/html; charset=utf-8", self._login_page(fields, user, error=True)
        response = self.idp.respond(request, user)
        _LOG.info("signed in %s to %s", user.username, request.sp_entity_id)
        target = self.idp.browser_target(request.acs_url)
        return "200 OK", "text/html; charset=utf-8", _post_page(target, response, fields.get("RelayState"))

    def _login_page(self, fields: dict[str, str], user: IdpUser, *, error: bool | None) -> bytes:
        hidden = "".join(_hidden(k, fields[k]) for k in _HIDDEN if k in fields)
        alert = '<p class="error" role="alert">Wrong username or password.</p>' if error else ""
        body = (
            "<p>The local deployment's SAML identity provider. Its test user is "
            f"<b>{_e(user.username)}</b>; the password is in "
            f"<code>{_e(_shown(self.idp.settings.user_file))}</code> (mode 0600).</p>{alert}"
            f'<form method="post" action="{_e(self.path.rstrip("/") + "/login")}">{hidden}'
            '<label>Username <input name="username" autocomplete="username" autofocus required></label>'
            '<label>Password <input name="password" type="password" autocomplete="current-password" required>'
            '</label><button type="submit">Sign in</button></form>'
        )
        return _page("Local SAML IdP: sign in", body)

    def _refused(self, exc: Exception) -> bytes:
        hint = (
            f"The service provider must be in {_shown(self.idp.settings.sp_metadata)} "
            "(`make sp-metadata` writes it after a deploy)."
        )
        return _page(
            "Local SAML IdP: request refused", f"<p>{_e(type(exc).__name__)}: {_e(exc)}</p><p>{_e(hint)}</p>"
        )


def _post_page(target: str, response: str, relay_state: str | None) -> bytes:
    fields = _hidden("SAMLResponse", response) + (_hidden("RelayState", relay_state) if relay_state else "")
    body = (
        f'<form method="post" action="{_e(target)}">{fields}'
        '<noscript><button type="submit">Continue</button></noscript></form>'
        "<script>document.forms[0].submit()</script>"
    )
    return _page("Local SAML IdP: signing you in", body)


def _page(title: str, body: str) -> bytes:
    return (
        f'<!doctype html><html lang="en"><meta charset="utf-8"><title>{_e(title)}</title>'
        f'<meta name="viewport" content="width=device-width"><style>{_STYLE}</style>'
        f"<h1>{_e(title)}</h1>{body}</html>"
    ).encode()


def _hidden(name: str, value: str) -> str:
    return f'<input type="hidden" name="{_e(name)}" value="{_e(value)}">'


def _e(value: object) -> str:
    return html.escape(str(value), quote=True)


def _shown(path: Path) -> str:
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def _read_form(environ: dict[str, Any]) -> dict[str, str]:
    try:
        length = int(environ.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    raw = environ["wsgi.input"].read(min(max(length, 0), _MAX_FORM_BYTES)) if length > 0 else b""
    return {k: v[0] for k, v in parse_qs(raw.decode("utf-8", errors="replace")).items()}


def _form(environ: dict[str, Any]) -> dict[str, str]:
    if "idp.form" not in environ:
        environ["idp.form"] = _read_form(environ)
    form: dict[str, str] = environ["idp.form"]
    return form


def _form_credentials(environ: dict[str, Any]) -> tuple[str, str]:
    form = _form(environ)
    return form.get("username", ""), form.get("password", "")

"""A headless browser for the IdP tests: HTTPS checked against the local CA, cookies kept, redirects
never followed (each hop is looked at), and the first form of a page read as a browser would."""

from __future__ import annotations

import ssl
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from html.parser import HTMLParser
from http.cookiejar import CookieJar
from pathlib import Path


@dataclass(frozen=True)
class Reply:
    status: int
    headers: dict[str, str]
    body: str

    @property
    def location(self) -> str:
        return self.headers["location"]


@dataclass(frozen=True)
class Form:
    action: str
    fields: dict[str, str]


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


class Browser:
    """One cookie jar, one CA. ``get``/``post`` return the reply whatever its status."""

    def __init__(self, ca_file: Path | None) -> None:
        context = ssl.create_default_context(cafile=str(ca_file)) if ca_file else ssl.create_default_context()
        self._opener = urllib.request.build_opener(
            urllib.request.HTTPSHandler(context=context),
            urllib.request.HTTPCookieProcessor(CookieJar()),
            _NoRedirect(),
        )

    def get(self, url: str) -> Reply:
        return self._send(urllib.request.Request(url))

    def post(self, url: str, fields: dict[str, str]) -> Reply:
        data = urllib.parse.urlencode(fields).encode()
        return self._send(urllib.request.Request(url, data=data, method="POST"))

    def _send(self, request: urllib.request.Request) -> Reply:
        try:
            with self._opener.open(request, timeout=15) as response:
                return Reply(
                    response.status,
                    {k.lower(): v for k, v in response.headers.items()},
                    response.read().decode(),
                )
        except urllib.error.HTTPError as exc:
            return Reply(exc.code, {k.lower(): v for k, v in exc.headers.items()}, exc.read().decode())


class _FormParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.form: Form | None = None
        self._inside = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: v or "" for k, v in attrs}
        if tag == "form" and self.form is None:
            self.form, self._inside = Form(values.get("action", ""), {}), True
        elif tag == "input" and self._inside and self.form is not None and values.get("name"):
            self.form.fields[values["name"]] = values.get("value", "")

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._inside = False


def first_form(page: str, base: str) -> Form:
    """The page's first form, its action made absolute against ``base``."""
    parser = _FormParser()
    parser.feed(page)
    assert parser.form is not None, f"no form on the page: {page[:300]}"
    return Form(urllib.parse.urljoin(base, parser.form.action), parser.form.fields)

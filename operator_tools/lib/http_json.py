"""A small HTTP client for the tools: stdlib ``urllib`` only, a timeout on every call, no redirects.

Guarantees: every request has a timeout; HTTP error statuses come back as a ``HttpResponse`` rather than
an exception (a 401 is an answer the smoke test wants to see); network failures become a ``ToolError``
naming the URL; credentials are only ever sent to https URLs or to a loopback host.
"""

from __future__ import annotations

import base64
import json
import re
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from cdk_app.contracts import LOOPBACK_HOSTS_WITH_IPV6
from operator_tools.lib.errors import ToolError

DEFAULT_TIMEOUT_SECONDS = 10.0
# Base64url JSON header ("eyJ"), payload and optional signature.
_JWT = re.compile(r"eyJ[A-Za-z0-9_-]*\.[A-Za-z0-9_-]+(?:\.[A-Za-z0-9_-]*)?")


@dataclass(frozen=True)
class HttpResponse:
    """Status, headers (lower-case names) and body of one answer."""

    status: int
    headers: Mapping[str, str]
    body: bytes

    def json_object(self, what: str) -> dict[str, Any]:
        """The body as a JSON object, or a ``ToolError`` saying ``what`` answered something else."""
        try:
            data = json.loads(self.body)
        except ValueError:
            raise ToolError(f"{what} answered HTTP {self.status} with a body that is not JSON") from None
        if not isinstance(data, dict):
            raise ToolError(f"{what} answered HTTP {self.status} with JSON that is not an object")
        return data

    def excerpt(self, limit: int = 160) -> str:
        """The start of the body on one line for failure messages, with anything shaped like a JWT
        replaced by ``<redacted>`` (a server may echo the token it was sent)."""
        text = redact_tokens(self.body.decode("utf-8", "replace")).replace("\n", " ").strip()
        return text if len(text) <= limit else text[:limit] + "..."


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    # A token endpoint or API that redirects is misconfigured; report the 3xx instead of following it.
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


_OPENER = urllib.request.build_opener(_NoRedirect)


def redact_tokens(text: str) -> str:
    """``text`` with anything shaped like a JWT replaced by ``<redacted>``."""
    return _JWT.sub("<redacted>", text)


def is_loopback(url: str) -> bool:
    """True for http(s) URLs whose host is this machine."""
    return urllib.parse.urlsplit(url).hostname in LOOPBACK_HOSTS_WITH_IPV6


def require_safe_url(url: str, what: str) -> str:
    """Return ``url`` if it is https (or http to a loopback host); anything else is a ``ToolError``."""
    parts = urllib.parse.urlsplit(url)
    if parts.scheme == "https" or (parts.scheme == "http" and is_loopback(url)):
        return url
    raise ToolError(f"{what} must be an https URL, got {url!r}")


def request(
    method: str,
    url: str,
    *,
    what: str,
    headers: Mapping[str, str] | None = None,
    form: Mapping[str, str] | None = None,
    timeout: float = DEFAULT_TIMEOUT_SECONDS,
) -> HttpResponse:
    """Send one request; ``form`` is sent url-encoded. ``what`` names the endpoint in errors."""
    require_safe_url(url, what)
    data = urllib.parse.urlencode(form).encode() if form is not None else None
    all_headers = {"Accept": "application/json", **(headers or {})}
    if data is not None:
        all_headers["Content-Type"] = "application/x-www-form-urlencoded"
    # The scheme was checked above, so this can never open file:// or a custom scheme.
    req = urllib.request.Request(url, data=data, headers=all_headers, method=method)  # noqa: S310
    try:
        with _OPENER.open(req, timeout=timeout) as resp:
            return HttpResponse(resp.status, _lower(resp.headers.items()), resp.read())
    except urllib.error.HTTPError as err:
        with err:
            return HttpResponse(err.code, _lower(err.headers.items()), err.read())
    except (urllib.error.URLError, TimeoutError, OSError) as err:
        reason = getattr(err, "reason", err)
        raise ToolError(f"{what}: cannot reach {url}: {reason}") from None


def get(
    url: str,
    *,
    what: str,
    headers: Mapping[str, str] | None = None,
    timeout: float = DEFAULT_TIMEOUT_SECONDS,
) -> HttpResponse:
    """``request("GET", ...)``."""
    return request("GET", url, what=what, headers=headers, timeout=timeout)


def post_form(
    url: str,
    form: Mapping[str, str],
    *,
    what: str,
    headers: Mapping[str, str] | None = None,
    timeout: float = DEFAULT_TIMEOUT_SECONDS,
) -> HttpResponse:
    """``request("POST", ...)`` with a url-encoded form body."""
    return request("POST", url, what=what, headers=headers, form=form, timeout=timeout)


def basic_auth(client_id: str, secret: str) -> str:
    """The ``Authorization`` value for OAuth client authentication with HTTP Basic (RFC 6749 2.3.1)."""
    pair = f"{urllib.parse.quote(client_id, safe='')}:{urllib.parse.quote(secret, safe='')}"
    return "Basic " + base64.b64encode(pair.encode()).decode("ascii")


def oauth_error(response: HttpResponse) -> str:
    """``HTTP 400 invalid_client`` from an OAuth error answer (RFC 6749 5.2); echoes nothing else."""
    try:
        code = response.json_object("token endpoint").get("error")
    except ToolError:
        code = None
    return f"HTTP {response.status} {code}" if isinstance(code, str) else f"HTTP {response.status}"


def _lower(items: Any) -> dict[str, str]:
    return {str(k).lower(): str(v) for k, v in items}

"""The emulator's ``/oauth2/token`` answers labelled ``application/json``, as Cognito labels them.

Loaded by ``emulator_launcher.py`` (by its path, in the emulator's interpreter; standard library only).
MiniStack labels its answer for a federated code ``application/x-amz-json-1.0``, its AWS-API default,
which a browser OAuth library (oidc-client-ts) rightly refuses. Only that header of a token answer is
changed; status and body are untouched, and a MiniStack that answers correctly passes through as it is
(docs/local.md, gap table).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

# The token endpoint's handler in ministack.services.cognito, looked up by name at request time.
HANDLER = "_oauth2_token"
_AWS_JSON = "application/x-amz-json-"


def problem(cognito: Any) -> str | None:
    """What has moved, if the handler no longer takes (data, query, body, headers) and answers
    (status, headers, body); None when it is as this module expects."""
    handler = getattr(cognito, HANDLER, None)
    if not callable(handler):
        return f"{cognito.__name__}.{HANDLER} is missing"
    try:
        answer = handler({}, {}, b"grant_type=launcher-probe", {})
    except Exception:  # any failure of the probe means the shape moved
        answer = None
    if not (isinstance(answer, tuple) and len(answer) == 3 and isinstance(answer[1], dict)):
        return f"{cognito.__name__}.{HANDLER} no longer answers (status, headers, body)"
    return None


def relabelled(handler: Callable[..., Any]) -> Callable[..., Any]:
    """``handler`` whose answers say ``application/json`` where MiniStack said AWS JSON 1.x."""

    def token(*args: Any, **kwargs: Any) -> Any:
        status, headers, body = handler(*args, **kwargs)
        if str(headers.get("Content-Type", "")).startswith(_AWS_JSON):
            headers = {**headers, "Content-Type": "application/json"}
        return status, headers, body

    token.__wrapped__ = handler  # type: ignore[attr-defined]
    return token


def install(cognito: Any) -> None:
    """Wrap the handler in place, once."""
    handler = getattr(cognito, HANDLER)
    if not hasattr(handler, "__wrapped__"):
        setattr(cognito, HANDLER, relabelled(handler))

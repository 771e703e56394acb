"""The emulator's outbox: read the sign-in code a user was emailed, as the user would from their inbox.

The emulator records every message Cognito sends through SES and lists them at
``GET /_ministack/ses/messages``; nothing leaves the machine. Only the local loop reads it.
"""

from __future__ import annotations

import re
from typing import Any

from operator_tools.lib import http_json
from operator_tools.lib.errors import ToolError

OUTBOX_PATH = "/_ministack/ses/messages"
# What Cognito's EMAIL_OTP sign-in message is recorded as, and the code in it.
SIGN_IN_CODE_MESSAGE = "CognitoEmailOtpMessage"
_CODE = re.compile(r"\b(\d{6,8})\b")


def latest_sign_in_code(endpoint: str, address: str, *, timeout: float = 10) -> str:
    """The code in the newest sign-in-code email to ``address``; ``ToolError`` if none was sent."""
    response = http_json.get(endpoint + OUTBOX_PATH, what="the emulator's outbox", timeout=timeout)
    if response.status != 200:
        raise ToolError(f"the emulator's outbox answered HTTP {response.status}")
    messages = _messages(response.json_object("the emulator's outbox"))
    sent = [m for m in messages if m.get("Type") == SIGN_IN_CODE_MESSAGE and address in (m.get("To") or [])]
    if not sent:
        raise ToolError(f"no sign-in code was emailed to {address}")
    newest = max(sent, key=lambda m: float(m.get("Timestamp") or 0))
    found = _CODE.search(str(newest.get("BodyText") or ""))
    if found is None:
        raise ToolError(f"the sign-in email to {address} holds no code")
    return found.group(1)


def _messages(data: dict[str, Any]) -> list[dict[str, Any]]:
    by_account = data.get("messages")
    if not isinstance(by_account, dict):
        raise ToolError("the emulator's outbox answered with no message list")
    return [
        m
        for messages in by_account.values()
        if isinstance(messages, list)
        for m in messages
        if isinstance(m, dict)
    ]

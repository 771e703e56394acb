"""The emulator's outbox, read as a user reads their inbox: the newest sign-in code to that address."""

from __future__ import annotations

import pytest

from operator_tools.lib.errors import ToolError
from operator_tools.local import mailbox
from tests.standins.http_stub import Reply, Request, serve


def message(to: str, body: str, at: float, kind: str = mailbox.SIGN_IN_CODE_MESSAGE) -> dict[str, object]:
    return {"To": [to], "BodyText": body, "Timestamp": at, "Type": kind, "Subject": "Your sign-in code"}


def outbox(*messages: dict[str, object]) -> Reply:
    return Reply.json(200, {"messages": {"000000000000": list(messages)}})


def test_the_newest_code_emailed_to_that_address_is_read() -> None:
    messages = (
        message("alice@local.localhost", "Your sign-in code is 111111.", 1.0),
        message("alice@local.localhost", "Your sign-in code is 222222.", 3.0),
        message("bob@local.localhost", "Your sign-in code is 333333.", 5.0),
        message(
            "alice@local.localhost",
            "Your verification code is 444444.",
            9.0,
            kind="CognitoVerificationMessage",
        ),
    )

    def handle(request: Request) -> Reply:
        assert request.path == mailbox.OUTBOX_PATH
        return outbox(*messages)

    with serve(handle) as server:
        assert mailbox.latest_sign_in_code(server.base_url, "alice@local.localhost") == "222222"


@pytest.mark.parametrize(
    ("reply", "reason"),
    [
        (outbox(), "no sign-in code was emailed to alice@local.localhost"),
        (outbox(message("alice@local.localhost", "no digits here", 1.0)), "holds no code"),
        (Reply.json(200, {"unexpected": True}), "no message list"),
        (Reply(500, b"boom"), "answered HTTP 500"),
    ],
    ids=["nothing-sent", "no-code-in-it", "not-an-outbox", "error"],
)
def test_anything_but_a_code_is_a_one_line_error(reply: Reply, reason: str) -> None:
    with serve(lambda _: reply) as server, pytest.raises(ToolError, match=reason):
        mailbox.latest_sign_in_code(server.base_url, "alice@local.localhost")

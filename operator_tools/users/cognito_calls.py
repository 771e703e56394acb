"""Every Cognito call that export and restore make: paced, retried with backoff, and paged to the end.

Cognito's request-rate quotas are per account and Region, by category of operation, and the
account's own applications share them. So each call waits its turn at half its category's default
quota (``CATEGORIES``): an export or a restore of any size never takes more than half of what the
account's sign-ins and admin features rely on, and rarely meets a throttle at all.

When Cognito throttles anyway (``TooManyRequestsException``), botocore retries first, in its adaptive
mode (``retry_config``: client-side rate limiting plus its own backoff); when it gives up, this module
waits with exponential backoff and full jitter, up to ``MAX_RETRIES`` more times, then stops with
one line. Any other failure is a ``CognitoCallError`` (a ``ToolError``) naming the operation and
Cognito's error code. Nothing here prints or logs a request: requests carry user data.
"""

from __future__ import annotations

import random
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from botocore import xform_name
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError

from operator_tools.lib.errors import ToolError

THROTTLING_CODES = frozenset({"TooManyRequestsException", "ThrottlingException", "Throttling"})
MAX_RETRIES = 5
BACKOFF_BASE_SECONDS = 1.0
BACKOFF_CAP_SECONDS = 20.0


@dataclass(frozen=True)
class Category:
    """A quota category of Cognito user pool operations and its default quota (requests per second)."""

    name: str
    quota: float

    @property
    def pace(self) -> float:
        """The rate these tools keep to: half the quota, leaving the rest to the account's own apps."""
        return self.quota / 2


# Cognito's defaults per account and Region ("Quotas in Amazon Cognito", API request rate quotas). A
# raised quota only makes the pace more conservative.
USER_LIST = Category("UserList", 30)
USER_CREATION = Category("UserCreation", 50)
USER_UPDATE = Category("UserUpdate", 25)
USER_ACCOUNT_RECOVERY = Category("UserAccountRecovery", 30)
USER_FEDERATION = Category("UserFederation", 25)
USER_POOL_READ = Category("UserPoolRead", 15)
USER_POOL_RESOURCE_READ = Category("UserPoolResourceRead", 20)
CATEGORIES: dict[str, Category] = {
    "ListUsers": USER_LIST,
    "ListUsersInGroup": USER_LIST,
    "DescribeUserPool": USER_POOL_READ,
    "ListGroups": USER_POOL_RESOURCE_READ,
    "ListIdentityProviders": USER_POOL_RESOURCE_READ,
    "AdminCreateUser": USER_CREATION,
    "AdminUpdateUserAttributes": USER_UPDATE,
    "AdminAddUserToGroup": USER_UPDATE,
    "AdminDisableUser": USER_UPDATE,
    "AdminEnableUser": USER_UPDATE,
    "AdminSetUserPassword": USER_UPDATE,
    "AdminResetUserPassword": USER_ACCOUNT_RECOVERY,
    "AdminLinkProviderForUser": USER_FEDERATION,
}


def retry_config() -> Config:
    """Adaptive retries: botocore adds client-side rate limiting once it sees throttling. A new one
    for each client, because botocore rewrites a config's ``retries`` when it makes a client."""
    return Config(retries={"mode": "adaptive", "max_attempts": 5}, connect_timeout=10, read_timeout=60)


def cognito_calls_for(session: Any, endpoint_url: str | None) -> CognitoCalls:
    """Paced calls to ``cognito-idp`` from a deployed environment's session (and emulator endpoint)."""
    return CognitoCalls(session.client("cognito-idp", endpoint_url=endpoint_url, config=retry_config()))


class CognitoCallError(ToolError):
    """A Cognito call that failed for good: ``operation`` and Cognito's error ``code``."""

    def __init__(self, operation: str, code: str, message: str) -> None:
        super().__init__(
            f"{operation} failed: {code}: {message}" if message else f"{operation} failed: {code}"
        )
        self.operation = operation
        self.code = code


class CognitoCalls:
    """Calls one ``cognito-idp`` client's operations (by their API names, ``"ListUsers"``).

    ``counts`` keeps how many requests each operation took, retries included.
    """

    def __init__(
        self,
        client: Any,
        *,
        paced: bool = True,
        max_retries: int = MAX_RETRIES,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
        jitter: Callable[[], float] = random.random,
    ) -> None:
        self._client = client
        self._paced = paced
        self._max_retries = max_retries
        self._sleep = sleep
        self._clock = clock
        self._jitter = jitter
        self._due: dict[str, float] = {}
        self.counts: Counter[str] = Counter()

    def call(self, operation: str, **params: Any) -> dict[str, Any]:
        """One operation's answer; ``CognitoCallError`` once it has failed for good."""
        method = getattr(self._client, xform_name(operation))
        for attempt in range(self._max_retries + 1):
            self._wait_turn(operation)
            self.counts[operation] += 1
            try:
                answer: dict[str, Any] = method(**params)
            except ClientError as exc:
                error = exc.response.get("Error", {})
                code, message = str(error.get("Code", "Unknown")), str(error.get("Message", ""))
                if code not in THROTTLING_CODES:
                    raise CognitoCallError(operation, code, message) from None
                if attempt == self._max_retries:
                    raise CognitoCallError(
                        operation, code, f"still throttled after {attempt} retries; try again later"
                    ) from None
                self._sleep(self._jitter() * min(BACKOFF_CAP_SECONDS, BACKOFF_BASE_SECONDS * 2**attempt))
            except BotoCoreError as exc:
                raise CognitoCallError(operation, type(exc).__name__, str(exc)) from None
            else:
                return answer
        raise AssertionError("unreachable")  # pragma: no cover - the loop returns or raises

    def pages(
        self, operation: str, items: str, *, page_key: str = "NextToken", **params: Any
    ) -> Iterator[Any]:
        """Every item under ``items`` of every page, following ``page_key`` until Cognito sends none."""
        seen: set[str] = set()
        while True:
            answer = self.call(operation, **params)
            yield from answer.get(items, [])
            next_token = answer.get(page_key)
            if not next_token:
                return
            if next_token in seen:
                raise CognitoCallError(
                    operation, "RepeatedPageToken", "Cognito sent the same page token twice"
                )
            seen.add(next_token)
            params = {**params, page_key: next_token}

    def _wait_turn(self, operation: str) -> None:
        category = CATEGORIES.get(operation)
        if not self._paced or category is None:
            return
        now = self._clock()
        due = self._due.get(category.name, now)
        if due > now:
            self._sleep(due - now)
            now = due
        self._due[category.name] = now + 1 / category.pace

"""Paging, pacing and backoff of every Cognito call export and restore make, on a stubbed real client."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from botocore.exceptions import EndpointConnectionError
from botocore.stub import Stubber

from operator_tools.users import cognito_calls
from operator_tools.users.cognito_calls import CognitoCallError, CognitoCalls

POOL = "eu-west-1_Pool"


class Clock:
    """A clock that moves only when the code under test sleeps."""

    def __init__(self) -> None:
        self.now = 0.0
        self.sleeps: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def stubbed(cognito: tuple[Any, Stubber]) -> Iterator[tuple[Any, Stubber]]:
    client, stubber = cognito
    yield client, stubber
    stubber.assert_no_pending_responses()


def calls(client: Any, clock: Clock, *, paced: bool = False, max_retries: int = 5) -> CognitoCalls:
    return CognitoCalls(
        client, paced=paced, max_retries=max_retries, sleep=clock.sleep, clock=clock, jitter=lambda: 1.0
    )


def user(name: str) -> dict[str, Any]:
    return {"Username": name, "Attributes": [], "Enabled": True, "UserStatus": "CONFIRMED"}


def test_pages_follow_the_pagination_token_to_the_last_page(
    stubbed: tuple[Any, Stubber], clock: Clock
) -> None:
    client, stubber = stubbed
    asked = {"UserPoolId": POOL, "Limit": 60}
    stubber.add_response("list_users", {"Users": [user("a"), user("b")], "PaginationToken": "t1"}, asked)
    stubber.add_response(
        "list_users", {"Users": [user("c")], "PaginationToken": "t2"}, {**asked, "PaginationToken": "t1"}
    )
    stubber.add_response("list_users", {"Users": [user("d")]}, {**asked, "PaginationToken": "t2"})

    found = calls(client, clock).pages("ListUsers", "Users", page_key="PaginationToken", **asked)

    assert [u["Username"] for u in found] == ["a", "b", "c", "d"]


def test_a_page_token_sent_twice_stops_instead_of_looping(stubbed: tuple[Any, Stubber], clock: Clock) -> None:
    client, stubber = stubbed
    asked = {"UserPoolId": POOL, "Limit": 60}
    stubber.add_response("list_groups", {"Groups": [], "NextToken": "same"}, asked)
    stubber.add_response("list_groups", {"Groups": [], "NextToken": "same"}, {**asked, "NextToken": "same"})

    with pytest.raises(CognitoCallError, match="ListGroups failed: RepeatedPageToken"):
        list(calls(client, clock).pages("ListGroups", "Groups", **asked))


def test_throttling_is_retried_with_growing_backoff_then_succeeds(
    stubbed: tuple[Any, Stubber], clock: Clock
) -> None:
    client, stubber = stubbed
    for _ in range(3):
        stubber.add_client_error("admin_add_user_to_group", "TooManyRequestsException", "Too many requests")
    stubber.add_response("admin_add_user_to_group", {})
    runner = calls(client, clock)

    runner.call("AdminAddUserToGroup", UserPoolId=POOL, Username="u", GroupName="g")

    assert clock.sleeps == [1.0, 2.0, 4.0]  # full jitter at its top: base 1 s, doubling
    assert runner.counts["AdminAddUserToGroup"] == 4


def test_backoff_is_capped_and_bounded_and_then_stops_with_one_line(
    stubbed: tuple[Any, Stubber], clock: Clock
) -> None:
    client, stubber = stubbed
    for _ in range(8):
        stubber.add_client_error("list_users", "TooManyRequestsException", "Too many requests")

    with pytest.raises(CognitoCallError) as stopped:
        calls(client, clock, max_retries=7).call("ListUsers", UserPoolId=POOL)

    assert clock.sleeps == [1.0, 2.0, 4.0, 8.0, 16.0, 20.0, 20.0]
    assert str(stopped.value) == (
        "ListUsers failed: TooManyRequestsException: still throttled after 7 retries; try again later"
    )


def test_any_other_error_is_not_retried(stubbed: tuple[Any, Stubber], clock: Clock) -> None:
    client, stubber = stubbed
    stubber.add_client_error("admin_create_user", "UsernameExistsException", "User account already exists")

    with pytest.raises(CognitoCallError) as failed:
        calls(client, clock).call("AdminCreateUser", UserPoolId=POOL, Username="u", MessageAction="SUPPRESS")

    assert (failed.value.operation, failed.value.code) == ("AdminCreateUser", "UsernameExistsException")
    assert str(failed.value) == "AdminCreateUser failed: UsernameExistsException: User account already exists"
    assert clock.sleeps == []


def test_a_connection_failure_is_one_line_too(clock: Clock) -> None:
    class Unreachable:
        def describe_user_pool(self, **_: Any) -> Any:
            raise EndpointConnectionError(endpoint_url="https://cognito-idp.eu-west-1.amazonaws.com/")

    with pytest.raises(
        CognitoCallError, match=r"^DescribeUserPool failed: EndpointConnectionError: Could not"
    ):
        calls(Unreachable(), clock).call("DescribeUserPool", UserPoolId=POOL)


def test_calls_of_one_category_keep_to_half_its_quota(stubbed: tuple[Any, Stubber], clock: Clock) -> None:
    client, stubber = stubbed
    for _ in range(4):
        stubber.add_response("admin_disable_user", {})
    stubber.add_response("admin_create_user", {"User": user("u")})
    runner = calls(client, clock, paced=True)

    for _ in range(4):
        runner.call("AdminDisableUser", UserPoolId=POOL, Username="u")
    runner.call("AdminCreateUser", UserPoolId=POOL, Username="u", MessageAction="SUPPRESS")

    # UserUpdate's quota is 25 per second: one call every 1/12.5 s; UserCreation has its own turn.
    assert clock.sleeps == pytest.approx([0.08, 0.08, 0.08])


def test_every_client_gets_its_own_adaptive_retry_config() -> None:
    made: list[Any] = []

    class Session:
        def client(self, service: str, **options: Any) -> object:
            made.append((service, options))
            return object()

    cognito_calls.cognito_calls_for(Session(), "http://127.0.0.1:4566")
    cognito_calls.cognito_calls_for(Session(), None)

    (_, first), (_, second) = made
    assert first["config"].retries == second["config"].retries == {"mode": "adaptive", "max_attempts": 5}
    assert first["config"] is not second["config"]  # botocore rewrites retries when it makes a client
    assert (first["endpoint_url"], second["endpoint_url"]) == ("http://127.0.0.1:4566", None)


def test_every_quota_category_is_paced_at_half_its_quota() -> None:
    assert all(c.pace == c.quota / 2 for c in cognito_calls.CATEGORIES.values())

"""Decoding the string-valued claims API Gateway passes on."""

from __future__ import annotations

import pytest
from caller import AmbiguousGroupsClaimError, caller_from_claims, parse_groups, parse_scopes


@pytest.mark.parametrize(
    ("claim", "groups"),
    [
        ("admins", ("admins",)),
        ("admins,users", ("admins", "users")),
        ("[admins users]", ("admins", "users")),
        ("[admins]", ("admins",)),
        ("ops.team@example,a+b=c", ("ops.team@example", "a+b=c")),
        ("", ()),
        ("[]", ()),
        (None, ()),
    ],
    ids=["one", "comma-joined", "bracketed", "bracketed-one", "punctuation", "empty", "empty-list", "absent"],
)
def test_groups_claim_is_read_in_either_api_gateway_encoding(claim: object, groups: tuple[str, ...]) -> None:
    assert parse_groups(claim) == groups


@pytest.mark.parametrize(
    "claim",
    [
        "[ops,admins users]",  # is "ops,admins" one group or two?
        "[admins, users]",
        "admins, users",
        "admins ,users",
        " admins",
        "admins ",
        "[admins  users]",
        "[ admins]",
        "admins,,users",
        ",admins",
        "admins,",
        "[admins",
        "admins]",
        "[[admins]]",
        "[admins][users]",
        "admins\tusers",
        ["admins", "users"],
        42,
    ],
)
def test_a_groups_claim_in_neither_encoding_is_refused(claim: object) -> None:
    with pytest.raises(AmbiguousGroupsClaimError):
        parse_groups(claim)


def test_a_caller_with_an_ambiguous_groups_claim_is_refused() -> None:
    with pytest.raises(AmbiguousGroupsClaimError):
        caller_from_claims({"sub": "abc", "cognito:groups": "[ops,admins users]"})


def test_scope_claim_is_split_on_whitespace() -> None:
    assert parse_scopes("api/read  api/write") == ("api/read", "api/write")
    assert parse_scopes(None) == ()


@pytest.mark.parametrize("claims", [None, {}, {"sub": ""}, {"email": "a@example.com"}])
def test_claims_without_a_subject_identify_nobody(claims: dict[str, str] | None) -> None:
    assert caller_from_claims(claims) is None

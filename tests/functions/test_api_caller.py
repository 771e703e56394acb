"""Decoding the string-valued claims API Gateway passes on."""

from __future__ import annotations

import pytest
from caller import caller_from_claims, parse_groups, parse_scopes


@pytest.mark.parametrize(
    ("claim", "groups"),
    [
        ("admins", ("admins",)),
        ("admins,users", ("admins", "users")),
        ("[admins users]", ("admins", "users")),
        ("[admins, users]", ("admins", "users")),
        ("[admins]", ("admins",)),
        ("", ()),
        ("[]", ()),
        (None, ()),
        (["admins", "users"], ("admins", "users")),
    ],
)
def test_groups_claim_is_split_whichever_way_it_was_flattened(claim: object, groups: tuple[str, ...]) -> None:
    assert parse_groups(claim) == groups


def test_scope_claim_is_split_on_whitespace() -> None:
    assert parse_scopes("api/read  api/write") == ("api/read", "api/write")
    assert parse_scopes(None) == ()


@pytest.mark.parametrize("claims", [None, {}, {"sub": ""}, {"email": "a@example.com"}])
def test_claims_without_a_subject_identify_nobody(claims: dict[str, str] | None) -> None:
    assert caller_from_claims(claims) is None

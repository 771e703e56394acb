"""The config's group names and the function's reading of the groups claim agree: every name the config
accepts comes back exactly from either encoding of the claim, and every name it refuses could not."""

from __future__ import annotations

import pydantic
import pytest
from caller import AmbiguousGroupsClaimError, parse_groups

from cdk_app.config.user_pool import GroupConfig

ACCEPTED = ["admins", "ops.team", "a+b=c", "ops@example", "x_y-z", "équipe", "g" * 128]


@pytest.mark.parametrize(
    "names", [[name] for name in ACCEPTED] + [ACCEPTED], ids=[*ACCEPTED[:-1], "128-chars", "all"]
)
def test_every_group_name_the_config_accepts_reads_back_exactly(names: list[str]) -> None:
    for name in names:
        GroupConfig(name=name)

    assert parse_groups(",".join(names)) == tuple(names)
    assert parse_groups("[" + " ".join(names) + "]") == tuple(names)


@pytest.mark.parametrize("name", ["ops,admins", "[admins]", "ops admins", "a]", "tab\tname"])
def test_a_name_the_claim_could_not_carry_is_refused_by_the_config(name: str) -> None:
    with pytest.raises(pydantic.ValidationError):
        GroupConfig(name=name)
    # In either encoding, a user in that one group would read as other groups, or be refused.
    assert read(name) != (name,)
    assert read(f"[{name}]") != (name,)


def read(claim: str) -> tuple[str, ...] | None:
    try:
        return parse_groups(claim)
    except AmbiguousGroupsClaimError:
        return None

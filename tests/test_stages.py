"""Stages: one per environment, config tags on every resource, optional account and region."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from cdk_app.config.loading import load_environment
from composition.app_builder import build_app
from tests.fixtures import FIXTURE_CONFIG_DIR
from tests.fixtures.config_dir import project_of
from tests.synthesis import Synthesized


def tags_of(resource: dict[str, Any]) -> dict[str, str] | None:
    props = resource.get("Properties", {})
    for key in ("Tags", "UserPoolTags"):
        value = props.get(key)
        if isinstance(value, list):
            return {t["Key"]: t["Value"] for t in value}
        if isinstance(value, dict):
            return dict(value)
    return None


def test_config_tags_reach_every_tagged_resource(synth: Synthesized, env: str) -> None:
    expected = dict(synth.configs[env].tags)
    tagged = 0
    for stack in synth.stacks_of(env):
        for logical_id, resource in synth.templates[(env, stack)]["Resources"].items():
            tags = tags_of(resource)
            if tags is not None:
                tagged += 1
                assert expected.items() <= tags.items(), (stack, logical_id, tags)
    # The pool, log groups, role, function, API, stage, web ACL...: far more than a handful.
    assert tagged >= 8


def test_stacks_are_named_after_their_environment(synth: Synthesized, env: str) -> None:
    for stack in synth.stacks_of(env):
        assert synth.stack_names[(env, stack)] == f"{env}-{stack}"


def test_without_account_and_region_the_stacks_are_environment_agnostic(tmp_path: Path) -> None:
    config = load_environment("dev", FIXTURE_CONFIG_DIR).model_copy(update={"account": None, "region": None})
    _, stages = build_app(project_of(tmp_path / "config", config), with_checks=False)
    identity = stages["dev"].identity
    assert identity.environment == "aws://unknown-account/unknown-region"


@pytest.mark.parametrize("env", ["prod"])
def test_configured_account_and_region_pin_the_stacks(synth: Synthesized, env: str) -> None:
    assert synth.stack_envs[(env, "Identity")] == "aws://123456789012/eu-west-1"
    assert synth.stack_envs[(env, "Certificate")] == "aws://123456789012/us-east-1"

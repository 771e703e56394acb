"""Account IDs, regions and environment names mean the same in every config file: one type each."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from pydantic import ValidationError

from cdk_app.config import EnvironmentConfig
from cdk_app.config.loading import load_environment
from cdk_app.config.pipeline import PipelineConfig
from cdk_app.config.user_pool import SesConfig
from tests.fixtures import FIXTURE_CONFIG_DIR


def environment(**changes: Any) -> None:
    EnvironmentConfig.model_validate({**load_environment("dev", FIXTURE_CONFIG_DIR).model_dump(), **changes})


def pipeline(**changes: Any) -> None:
    PipelineConfig.model_validate({"enabled": False, **changes})


def ses(**changes: Any) -> None:
    SesConfig.model_validate({"from_email": "no-reply@example.com", **changes})


Check = Callable[..., None]
ACCOUNT_FIELDS: list[tuple[Check, str]] = [(environment, "account"), (pipeline, "account")]
REGION_FIELDS: list[tuple[Check, str]] = [(environment, "region"), (pipeline, "region"), (ses, "ses_region")]


@pytest.mark.parametrize(("check", "field"), ACCOUNT_FIELDS)
@pytest.mark.parametrize(
    ("value", "valid"), [("123456789012", True), ("12345678901", False), ("12345678901x", False)]
)
def test_account_ids_are_twelve_digits_everywhere(check: Check, field: str, value: str, valid: bool) -> None:
    if valid:
        check(**{field: value})
    else:
        with pytest.raises(ValidationError, match=field):
            check(**{field: value})


@pytest.mark.parametrize(("check", "field"), REGION_FIELDS)
@pytest.mark.parametrize(
    ("value", "valid"),
    [
        ("eu-west-1", True),
        ("us-gov-west-1", True),
        ("eu-west", False),
        ("EU-WEST-1", False),
        ("euwest1", False),
        ("eu-west-9", False),  # the right shape, but botocore knows no such region
    ],
)
def test_regions_have_one_shape_everywhere(check: Check, field: str, value: str, valid: bool) -> None:
    if valid:
        check(**{field: value})
    else:
        with pytest.raises(ValidationError, match=field):
            check(**{field: value})


@pytest.mark.parametrize(
    ("value", "valid"), [("dev", True), ("eu-dev-2", True), ("Dev", False), ("2dev", False)]
)
def test_environment_names_are_the_same_in_an_environment_and_the_pipeline(value: str, valid: bool) -> None:
    if valid:
        environment(name=value)
        pipeline(environments=[value])
    else:
        with pytest.raises(ValidationError, match="name"):
            environment(name=value)
        with pytest.raises(ValidationError, match=r"environments\.0"):
            pipeline(environments=[value])

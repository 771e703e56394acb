"""Regions are checked against botocore's partition data, wherever a config names one."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from cdk_app.config import ConfigError, EnvironmentConfig
from cdk_app.config.loading import load_project
from cdk_app.config.regions import known_regions, region_reason
from tests.config.conftest import WriteConfig, edited

Load = Callable[..., EnvironmentConfig]


def test_the_region_list_is_botocore_s_every_partition_without_global_pseudo_regions() -> None:
    regions = known_regions()
    assert {"eu-west-1", "us-east-1", "ap-southeast-7", "cn-north-1", "us-gov-west-1"} <= regions
    assert not any(r.endswith("-global") for r in regions)


UPGRADE = " (if it is new, upgrade botocore)"


@pytest.mark.parametrize(
    ("region", "reason"),
    [
        ("eu-west-1", None),
        ("eu-west-9", "'eu-west-9' is not an AWS region; did you mean 'eu-west-1', 'eu-west-2' or 'eu-west-3'?" + UPGRADE),
        ("us-est-1", "'us-est-1' is not an AWS region; did you mean 'us-east-1', 'us-west-1' or 'us-west-2'?" + UPGRADE),
        ("xx-yyyyy-7", "'xx-yyyyy-7' is not an AWS region" + UPGRADE),
    ],
)  # fmt: skip
def test_region_reason_names_the_closest_regions(region: str, reason: str | None) -> None:
    assert region_reason(region) == reason


def test_an_environment_region_that_does_not_exist_is_refused_at_its_line(
    write_config: WriteConfig, load: Load, dev_text: str
) -> None:
    write_config(text=edited(dev_text, ("region: eu-west-1", "region: eu-west-9")))
    with pytest.raises(ConfigError) as caught:
        load()
    assert (caught.value.field, caught.value.line) == (
        "region",
        dev_text.splitlines().index("region: eu-west-1") + 1,
    )
    assert "did you mean 'eu-west-1'" in caught.value.reason


def test_a_nested_region_field_is_checked_too(write_config: WriteConfig, load: Load) -> None:
    write_config(
        lambda raw: raw["user_pool"].update(
            email={"ses": {"from_email": "a@example.com", "ses_region": "eu-wset-1"}}
        )
    )
    with pytest.raises(ConfigError) as caught:
        load()
    assert caught.value.field == "user_pool.email.ses.ses_region"
    assert caught.value.reason.startswith("'eu-wset-1' is not an AWS region; did you mean 'eu-west-1'")


def test_a_tag_called_region_is_free_text(write_config: WriteConfig, load: Load) -> None:
    write_config(lambda raw: raw["tags"].update(region="the moon"))
    assert load().tags["region"] == "the moon"


def test_a_malformed_region_gets_one_problem_not_two(write_config: WriteConfig, load: Load) -> None:
    write_config(lambda raw: raw.update(region="EU-WEST-1"))
    with pytest.raises(ConfigError) as caught:
        load()
    assert [p.field for p in caught.value.problems] == ["region"]


def test_the_pipeline_region_is_checked(tmp_path: Path) -> None:
    (tmp_path / "pipeline").mkdir()
    (tmp_path / "pipeline" / "pipeline.yaml").write_text("enabled: false\nregion: eu-west-9\n")
    with pytest.raises(ConfigError) as caught:
        load_project(tmp_path, names=())
    assert (caught.value.file, caught.value.line, caught.value.field) == (
        str(tmp_path / "pipeline" / "pipeline.yaml"),
        2,
        "region",
    )

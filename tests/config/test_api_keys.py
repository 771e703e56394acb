"""The functions' shared Powertools layer source, the API function's reserved concurrency and the
group-name rule the API's groups claim needs: each bad value is one error naming the field and the
reason."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from cdk_app.config import EnvironmentConfig
from tests.config.conftest import Refused, WriteConfig
from tests.config.test_constraints import production

Raw = dict[str, Any]
LAYER_ARN = "arn:aws:lambda:eu-west-1:017000801446:layer:AWSLambdaPowertoolsPythonV3-python314-arm64:27"


def function(raw: Raw) -> Raw:
    result: Raw = raw["api"].setdefault("function", {})
    return result


def functions(raw: Raw) -> Raw:
    result: Raw = raw.setdefault("functions", {})
    return result


def group_named(name: str) -> Callable[[Raw], None]:
    def edit(raw: Raw) -> None:
        raw["user_pool"]["groups"].append({"name": name})

    return edit


CASES: list[tuple[str, Callable[[Raw], None], str, str]] = [
    (
        "layer parameter with spaces",
        lambda r: functions(r).update(powertools_layer={"ssm_parameter": "/my layer"}),
        "functions.powertools_layer.ssm_parameter",
        "is not an SSM parameter name",
    ),
    (
        "layer parameter with an empty level",
        lambda r: functions(r).update(powertools_layer={"ssm_parameter": "/a//b"}),
        "functions.powertools_layer.ssm_parameter",
        "is not an SSM parameter name",
    ),
    (
        "layer parameter of 16 levels",
        lambda r: functions(r).update(powertools_layer={"ssm_parameter": "/a" * 16}),
        "functions.powertools_layer.ssm_parameter",
        "at most 15",
    ),
    (
        "layer arn that is a function",
        lambda r: functions(r).update(
            powertools_layer={"arn": "arn:aws:lambda:eu-west-1:123456789012:function:x"}
        ),
        "functions.powertools_layer.arn",
        "is not a Lambda layer version ARN",
    ),
    (
        "layer with both sources",
        lambda r: functions(r).update(powertools_layer={"ssm_parameter": "/p", "arn": LAYER_ARN}),
        "functions.powertools_layer",
        "exactly one of ssm_parameter or arn",
    ),
    (
        "layer with no source",
        lambda r: functions(r).update(powertools_layer={}),
        "functions.powertools_layer",
        "exactly one of ssm_parameter or arn",
    ),
    (
        "layer under one function (its old place): every function shares it",
        lambda r: function(r).update(powertools_layer={"ssm_parameter": "/p"}),
        "api.function.powertools_layer",
        "unknown key",
    ),
    (
        "reserved concurrency of zero",
        lambda r: function(r).update(reserved_concurrency=0),
        "api.function.reserved_concurrency",
        "must be at least 1",
    ),
    (
        "production without reserved concurrency",
        production,
        "api.function.reserved_concurrency",
        "production needs a ceiling",
    ),
    (
        "group name with a comma",
        group_named("ops,admins"),
        "user_pool.groups[2].name",
        "cannot contain ','",
    ),
    (
        "group name with a bracket",
        group_named("[admins]"),
        "user_pool.groups[2].name",
        "must match the pattern",
    ),
    (
        "group name with a space",
        group_named("ops admins"),
        "user_pool.groups[2].name",
        "must match the pattern",
    ),
]


@pytest.mark.parametrize(("case", "edit", "field", "reason"), CASES, ids=[c[0] for c in CASES])
def test_bad_value_is_one_error_naming_field_and_reason(
    refused: Refused, case: str, edit: Callable[[Raw], None], field: str, reason: str
) -> None:
    refused(case, edit, field, reason)


@pytest.mark.parametrize(
    "layer",
    [
        {"ssm_parameter": "/cognito-sso/local/powertools-layer-arn"},
        {"ssm_parameter": "/aws/service/powertools/python/arm64/python3.14/3.37.0"},
        {"ssm_parameter": "powertools-layer"},
        {"arn": LAYER_ARN},
    ],
)
def test_layer_sources_an_environment_may_name(
    write_config: WriteConfig, load: Callable[..., EnvironmentConfig], layer: dict[str, str]
) -> None:
    write_config(lambda r: functions(r).update(powertools_layer=layer))

    config = load().functions.powertools_layer

    assert config is not None
    assert config.model_dump(exclude_none=True) == layer


def test_production_with_reserved_concurrency_is_valid(
    write_config: WriteConfig, load: Callable[..., EnvironmentConfig]
) -> None:
    write_config(lambda r: (production(r), function(r).update(reserved_concurrency=20)))

    assert load().api.function.reserved_concurrency == 20

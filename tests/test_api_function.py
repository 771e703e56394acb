"""The API function's configurable parts (Powertools layer source, reserved concurrency) and the request
models read from the function's JSON Schema files."""

from __future__ import annotations

import json
from pathlib import Path

import aws_cdk as cdk
import pytest
from aws_cdk import aws_apigateway as apigw
from aws_cdk.assertions import Template

from cdk_app.config.api import FunctionConfig
from cdk_app.config.functions import PowertoolsLayerConfig
from cdk_app.constructs import api_function, python_function
from cdk_app.constructs.api_function import ApiFunction
from cdk_app.constructs.request_model import json_schema_from_file
from composition.app_settings import APP_SETTINGS
from stacks.api_stack import NEW_ITEM_SCHEMA_FILE

LOCAL_PARAMETER = "/cognito-sso/local/powertools-layer-arn"
LAYER_ARN = "arn:aws:lambda:eu-west-1:017000801446:layer:AWSLambdaPowertoolsPythonV3-python314-arm64:27"


@pytest.mark.parametrize(
    ("layer", "expected"),
    [
        (None, f"{{{{resolve:ssm:{python_function.POWERTOOLS_LAYER_PARAMETER}}}}}"),
        (PowertoolsLayerConfig(ssm_parameter=LOCAL_PARAMETER), f"{{{{resolve:ssm:{LOCAL_PARAMETER}}}}}"),
        (PowertoolsLayerConfig(arn=LAYER_ARN), LAYER_ARN),
    ],
    ids=["default-aws-public-parameter", "own-parameter", "fixed-arn"],
)
def test_powertools_layer_comes_from_config(layer: PowertoolsLayerConfig | None, expected: str) -> None:
    assert python_function.powertools_layer_arn(layer) == expected


def _function_template(config: FunctionConfig, layer: PowertoolsLayerConfig | None) -> Template:
    stack = cdk.Stack(cdk.App(**APP_SETTINGS), "Fn")
    ApiFunction(
        stack,
        "Function",
        config=config,
        powertools_layer=layer,
        service_name="svc",
        admin_group="admins",
        cors_allow_origins=[],
    )
    return Template.from_stack(stack)


def test_configured_layer_and_reserved_concurrency_reach_the_function() -> None:
    config = FunctionConfig(reserved_concurrency=7)

    template = _function_template(config, PowertoolsLayerConfig(ssm_parameter=LOCAL_PARAMETER))

    template.has_resource_properties(
        "AWS::Lambda::Function",
        {
            "Layers": [f"{{{{resolve:ssm:{LOCAL_PARAMETER}}}}}"],
            "ReservedConcurrentExecutions": 7,
            "Environment": {"Variables": {"ADMIN_GROUP": "admins"}},
        },
    )


def test_with_an_admin_scope_the_function_gets_the_scope_and_not_the_group() -> None:
    stack = cdk.Stack(cdk.App(**APP_SETTINGS), "Fn")
    ApiFunction(
        stack,
        "Function",
        config=FunctionConfig(),
        powertools_layer=None,
        service_name="svc",
        admin_group="admins",
        admin_scope="api/admin",
        cors_allow_origins=[],
    )

    (function,) = Template.from_stack(stack).find_resources("AWS::Lambda::Function").values()

    variables = function["Properties"]["Environment"]["Variables"]
    assert variables["ADMIN_SCOPE"] == "api/admin"
    assert "ADMIN_GROUP" not in variables


def test_the_function_ships_the_schema_the_api_model_is_built_from() -> None:
    assert NEW_ITEM_SCHEMA_FILE.parent == api_function.CODE_DIR / "schemas"
    assert NEW_ITEM_SCHEMA_FILE.is_file()


def _model_schema(schema_file: Path) -> object:
    stack = cdk.Stack(cdk.App(**APP_SETTINGS), "Models")
    api = apigw.RestApi(stack, "Api")
    api.root.add_method("GET")
    api.add_model("Model", content_type="application/json", schema=json_schema_from_file(schema_file))
    (model,) = Template.from_stack(stack).find_resources("AWS::ApiGateway::Model").values()
    return model["Properties"]["Schema"]


def test_every_supported_keyword_reaches_the_model_unchanged(tmp_path: Path) -> None:
    schema = {
        "$schema": "http://json-schema.org/draft-04/schema#",
        "title": "Order",
        "description": "an order",
        "type": "object",
        "properties": {
            "lines": {
                "type": "array",
                "minItems": 1,
                "maxItems": 10,
                "uniqueItems": True,
                "items": {"type": "object", "additionalProperties": {"type": "integer", "multipleOf": 2}},
            },
            "code": {"type": "string", "pattern": "^[A-Z]+$", "enum": ["A", "B"], "format": "hostname"},
            "total": {"type": ["number", "null"], "exclusiveMinimum": True, "minimum": 0, "maximum": 9},
        },
        "minProperties": 1,
        "maxProperties": 3,
        "required": ["lines"],
        "additionalProperties": False,
    }
    path = tmp_path / "order.json"
    path.write_text(json.dumps(schema))

    assert _model_schema(path) == schema


@pytest.mark.parametrize(
    ("schema", "error"),
    [
        ({"type": "object"}, "must be 'http://json-schema.org/draft-04/schema#'"),
        (
            {"$schema": "http://json-schema.org/draft-07/schema#", "type": "object"},
            "API Gateway models are JSON Schema draft 4",
        ),
        (
            {"$schema": "http://json-schema.org/draft-04/schema#", "properties": {"a": {"const": 1}}},
            "properties.a.const: keyword not supported",
        ),
        (
            {"$schema": "http://json-schema.org/draft-04/schema#", "type": "decimal"},
            "'decimal' is not a JSON Schema type",
        ),
    ],
    ids=["no-draft", "draft-7", "unknown-keyword", "unknown-type"],
)
def test_a_schema_file_the_model_cannot_carry_is_refused_naming_the_file(
    tmp_path: Path, schema: dict[str, object], error: str
) -> None:
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(schema))

    with pytest.raises(ValueError, match=r"bad\.json: ") as info:
        json_schema_from_file(path)
    assert error in str(info.value)

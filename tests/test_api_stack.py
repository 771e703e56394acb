"""The API stack of each fixture environment: every route needs a scoped Cognito access token, errors
carry CORS headers, the stage logs and throttles, the function is least-privilege (WAF: test_firewall)."""

from __future__ import annotations

import json
import re
import typing
from pathlib import Path
from typing import Any

import aws_cdk as cdk
import pytest
from aws_cdk import aws_apigateway as apigw
from aws_cdk import aws_cognito as cognito
from aws_cdk import aws_lambda as lambda_
from aws_cdk.assertions import Match, Template

from cdk_app.config.api import ApiConfig, CorsConfig
from cdk_app.config.base import LogRetentionDays
from cdk_app.constructs import python_function
from cdk_app.constructs.log_retention import retention
from cdk_app.constructs.protected_api import ProtectedApi
from composition.app_settings import APP_SETTINGS
from stacks.api_stack import NEW_ITEM_SCHEMA_FILE
from tests.synthesis import Synthesized

ROUTES = {("/me", "GET"): "read", ("/items", "POST"): "write", ("/admin", "GET"): "read"}


@pytest.fixture
def api(synth: Synthesized, env: str) -> Template:
    return synth.template(env, "Api")


def only(template: Template, resource_type: str, props: dict[str, Any] | None = None) -> tuple[str, Any]:
    found = template.find_resources(resource_type, {"Properties": props} if props else None)
    assert len(found) == 1, f"expected one {resource_type} matching {props}, found {sorted(found)}"
    return next(iter(found.items()))


def methods(template: Template) -> dict[tuple[str, str], dict[str, Any]]:
    """Every AWS::ApiGateway::Method by (path, verb); the path is rebuilt from the Resource chain."""
    resources = template.find_resources("AWS::ApiGateway::Resource")

    def path(resource_id: Any) -> str:
        if "Ref" not in resource_id:  # the API's root resource
            return "/"
        props = resources[resource_id["Ref"]]["Properties"]
        parent = path(props["ParentId"])
        return f"{parent.rstrip('/')}/{props['PathPart']}"

    found = template.find_resources("AWS::ApiGateway::Method")
    return {(path(m["Properties"]["ResourceId"]), m["Properties"]["HttpMethod"]): m for m in found.values()}


def refs(value: Any, resources: dict[str, Any]) -> list[str]:
    """Logical IDs among ``resources`` that ``value`` (an intrinsic) references with Ref."""
    text = json.dumps(value)
    return [logical_id for logical_id in resources if f'{{"Ref": "{logical_id}"}}' in text]


def expected_allow_origin(synth: Synthesized, env: str) -> str:
    origins = synth.configs[env].api.cors.allow_origins
    return f"'{origins[0]}'" if len(origins) == 1 else "method.request.header.Origin"


def test_every_route_needs_the_cognito_authorizer_and_scopes(api: Template) -> None:
    (authorizer_id, _) = only(api, "AWS::ApiGateway::Authorizer")
    routes = {key: m for key, m in methods(api).items() if key[1] != "OPTIONS"}
    assert set(routes) == set(ROUTES)
    for key, method in routes.items():
        props = method["Properties"]
        assert props["AuthorizationType"] == "COGNITO_USER_POOLS", key
        assert props["AuthorizerId"] == {"Ref": authorizer_id}, key
        # Without scopes API Gateway would accept any ID token of the pool instead of access tokens.
        assert props.get("AuthorizationScopes"), key


def test_each_route_requires_its_scope_of_the_configured_server(
    api: Template, synth: Synthesized, env: str
) -> None:
    config = synth.configs[env]
    server = config.api.scope_server
    for (path, verb), method in methods(api).items():
        if verb != "OPTIONS":
            expected = f"{server}/{ROUTES[(path, verb)]}"
            if (path, verb) == ("/admin", "GET") and config.token_customization is not None:
                expected = f"{server}/admin"
            assert method["Properties"]["AuthorizationScopes"] == [expected], (path, verb)


def test_admin_route_needs_the_admin_scope_exactly_where_the_token_trigger_grants_it(
    synth: Synthesized,
) -> None:
    # dev and staging have token_customization; prod keeps the function's group check.
    admin = {
        env: methods(synth.template(env, "Api"))[("/admin", "GET")] for env in ("dev", "staging", "prod")
    }
    assert {env: m["Properties"]["AuthorizationScopes"] for env, m in admin.items()} == {
        "dev": ["api/admin"],
        "staging": ["api/admin"],
        "prod": ["api/read"],
    }


def test_preflights_need_no_auth_and_answer_204_for_the_configured_origin(
    api: Template, synth: Synthesized, env: str
) -> None:
    cors = synth.configs[env].api.cors
    preflights = [m["Properties"] for (_, verb), m in methods(api).items() if verb == "OPTIONS"]
    assert len(preflights) == 4  # the root and the three route resources
    for props in preflights:
        assert props["AuthorizationType"] == "NONE"
        (response,) = props["Integration"]["IntegrationResponses"]
        assert response["StatusCode"] == "204"
        headers = response["ResponseParameters"]
        assert headers["method.response.header.Access-Control-Allow-Origin"] == f"'{cors.allow_origins[0]}'"
        assert (
            headers["method.response.header.Access-Control-Allow-Methods"]
            == f"'{','.join(cors.allow_methods)}'"
        )
        assert headers["method.response.header.Access-Control-Max-Age"] == f"'{cors.max_age_seconds}'"
        assert [r["StatusCode"] for r in props["MethodResponses"]] == ["204"]


def test_authorizer_reads_the_authorization_header_of_the_identity_pool(
    api: Template, synth: Synthesized, env: str
) -> None:
    (_, authorizer) = only(api, "AWS::ApiGateway::Authorizer")
    props = authorizer["Properties"]
    assert props["Type"] == "COGNITO_USER_POOLS"
    assert props["IdentitySource"] == "method.request.header.Authorization"
    assert props["AuthorizerResultTtlInSeconds"] == synth.configs[env].api.authorizer_cache_ttl_seconds
    (provider,) = props["ProviderARNs"]
    assert f"{env}-Identity" in json.dumps(provider)
    assert "UserPool" in json.dumps(provider)


@pytest.mark.parametrize("response_type", ["DEFAULT_4XX", "DEFAULT_5XX"])
def test_gateway_errors_carry_cors_headers(
    api: Template, synth: Synthesized, env: str, response_type: str
) -> None:
    api.has_resource_properties(
        "AWS::ApiGateway::GatewayResponse",
        {
            "ResponseType": response_type,
            "ResponseParameters": {
                "gatewayresponse.header.Access-Control-Allow-Origin": expected_allow_origin(synth, env),
                "gatewayresponse.header.Vary": "'Origin'",
            },
            "ResponseTemplates": {"application/json": Match.string_like_regexp(r"messageString")},
        },
    )


def test_unknown_routes_are_404_json_with_cors(api: Template, synth: Synthesized, env: str) -> None:
    (_, response) = only(
        api, "AWS::ApiGateway::GatewayResponse", {"ResponseType": "MISSING_AUTHENTICATION_TOKEN"}
    )
    props = response["Properties"]
    assert props["StatusCode"] == "404"
    assert json.loads(props["ResponseTemplates"]["application/json"])["message"] == "Not found"
    allow_origin = props["ResponseParameters"]["gatewayresponse.header.Access-Control-Allow-Origin"]
    assert allow_origin == expected_allow_origin(synth, env)


def test_a_body_a_model_rejects_gets_a_400_naming_the_route_not_one_models_fields(
    api: Template, synth: Synthesized, env: str
) -> None:
    # One BAD_REQUEST_BODY response serves every route: it must not describe one model's fields.
    (_, response) = only(api, "AWS::ApiGateway::GatewayResponse", {"ResponseType": "BAD_REQUEST_BODY"})
    props = response["Properties"]
    assert props["StatusCode"] == "400"
    template = props["ResponseTemplates"]["application/json"]
    rendered = template.replace("$context.httpMethod", "POST").replace("$context.resourcePath", "/items")
    assert json.loads(rendered) == {
        "statusCode": 400,
        "message": "Invalid request body: it does not match the request model of POST /items",
    }
    schema = json.loads(NEW_ITEM_SCHEMA_FILE.read_text())
    assert not [field for field in schema["properties"] if field in template]
    allow_origin = props["ResponseParameters"]["gatewayresponse.header.Access-Control-Allow-Origin"]
    assert allow_origin == expected_allow_origin(synth, env)


def test_api_is_regional(api: Template) -> None:
    api.has_resource_properties(
        "AWS::ApiGateway::RestApi", {"EndpointConfiguration": {"Types": ["REGIONAL"]}}
    )


def test_stage_logs_json_traces_and_throttles_per_config(api: Template, synth: Synthesized, env: str) -> None:
    config = synth.configs[env].api
    (_, stage) = only(api, "AWS::ApiGateway::Stage")
    props = stage["Properties"]
    fields = json.loads(props["AccessLogSetting"]["Format"])
    for field in ("requestId", "ip", "caller", "user", "requestTime", "httpMethod", "resourcePath"):
        assert field in fields, field
    assert fields["status"] == "$context.status"
    assert fields["sub"] == "$context.authorizer.claims.sub"
    assert fields["clientId"] == "$context.authorizer.claims.client_id"
    assert props["TracingEnabled"] is True
    assert props["MethodSettings"] == [
        {
            "HttpMethod": "*",
            "ResourcePath": "/*",
            "LoggingLevel": "ERROR",
            "DataTraceEnabled": False,
            "ThrottlingRateLimit": config.throttling_rate_limit,
            "ThrottlingBurstLimit": config.throttling_burst_limit,
        }
    ]


def test_access_and_execution_logs_keep_the_configured_retention(
    api: Template, synth: Synthesized, env: str
) -> None:
    config = synth.configs[env].api
    (_, stage) = only(api, "AWS::ApiGateway::Stage")
    groups = api.find_resources("AWS::Logs::LogGroup")
    (access_group,) = refs(stage["Properties"]["AccessLogSetting"]["DestinationArn"], groups)
    assert groups[access_group]["Properties"]["RetentionInDays"] == config.log_retention_days
    # API Gateway would create its execution log group without retention; the stack creates it first.
    (execution_group,) = stage["DependsOn"]
    name = json.dumps(groups[execution_group]["Properties"]["LogGroupName"])
    assert "API-Gateway-Execution-Logs_" in name
    assert groups[execution_group]["Properties"]["RetentionInDays"] == config.log_retention_days


def test_post_items_validates_the_body_against_the_item_schema(api: Template) -> None:
    post = methods(api)[("/items", "POST")]["Properties"]
    validators = api.find_resources("AWS::ApiGateway::RequestValidator")
    validator = validators[post["RequestValidatorId"]["Ref"]]["Properties"]
    assert validator["ValidateRequestBody"] is True
    assert validator["ValidateRequestParameters"] is True
    models = api.find_resources("AWS::ApiGateway::Model")
    model = models[post["RequestModels"]["application/json"]["Ref"]]["Properties"]
    assert model["ContentType"] == "application/json"
    # Keyword for keyword the file the function validates with: one definition of the body.
    assert model["Schema"] == json.loads(NEW_ITEM_SCHEMA_FILE.read_text())
    assert model["Schema"]["$schema"] == "http://json-schema.org/draft-04/schema#"


def test_function_is_arm64_on_the_newest_python_with_powertools_and_tracing(
    api: Template, synth: Synthesized, env: str
) -> None:
    config = synth.configs[env].api
    newest = max(
        (getattr(lambda_.Runtime, n).name for n in dir(lambda_.Runtime) if n.startswith("PYTHON_")),
        key=lambda name: tuple(int(p) for p in name.removeprefix("python").split(".")),
    )
    (_, function) = only(api, "AWS::Lambda::Function")
    props = function["Properties"]
    assert props["Runtime"] == newest
    assert props["Architectures"] == ["arm64"]
    assert props["Handler"] == "handler.handler"
    assert props["Layers"] == [
        python_function.powertools_layer_arn(synth.configs[env].functions.powertools_layer)
    ]
    assert props.get("ReservedConcurrentExecutions") == config.function.reserved_concurrency
    assert props["TracingConfig"] == {"Mode": "Active"}
    assert props["MemorySize"] == config.function.memory_mb
    assert props["Timeout"] == config.function.timeout_seconds
    assert props["Environment"]["Variables"] == {
        "POWERTOOLS_SERVICE_NAME": f"cognito-sso-{env}-api",
        "POWERTOOLS_LOG_LEVEL": "INFO",
        **(
            {"ADMIN_SCOPE": f"{config.scope_server}/admin"}
            if synth.configs[env].token_customization is not None
            else {"ADMIN_GROUP": config.admin_group}
        ),
        "CORS_ALLOW_ORIGINS": ",".join(config.cors.allow_origins),
    }
    log_group = api.find_resources("AWS::Logs::LogGroup")[props["LoggingConfig"]["LogGroup"]["Ref"]]
    assert log_group["Properties"]["RetentionInDays"] == config.function.log_retention_days


def test_powertools_layer_is_the_arm64_release_the_tests_run_against() -> None:
    # By default the layer ARN comes from AWS's public SSM parameter for exactly this Powertools release.
    requirements = (Path(__file__).resolve().parents[1] / "requirements-dev.txt").read_text()
    pinned = re.search(r"^aws-lambda-powertools==(\S+)$", requirements, re.MULTILINE)
    assert pinned is not None
    assert pinned.group(1) == python_function.POWERTOOLS_VERSION
    runtime = python_function.RUNTIME.name  # python3.14
    expected = f"{{{{resolve:ssm:/aws/service/powertools/python/arm64/{runtime}/{pinned.group(1)}}}}}"
    assert python_function.powertools_layer_arn(None) == expected


@pytest.mark.parametrize("aws_env", ["dev", "staging", "prod"])
def test_environments_on_aws_use_awss_public_powertools_layer(synth: Synthesized, aws_env: str) -> None:
    (_, function) = only(synth.template(aws_env, "Api"), "AWS::Lambda::Function")
    parameter = python_function.POWERTOOLS_LAYER_PARAMETER
    assert function["Properties"]["Layers"] == [f"{{{{resolve:ssm:{parameter}}}}}"]


def test_function_role_writes_only_its_own_logs_and_traces(api: Template) -> None:
    (role_id, role) = only(api, "AWS::IAM::Role")
    props = role["Properties"]
    assert "ManagedPolicyArns" not in props
    api.resource_count_is("AWS::IAM::Policy", 0)
    (_, function) = only(api, "AWS::Lambda::Function")
    assert function["Properties"]["Role"] == {"Fn::GetAtt": [role_id, "Arn"]}
    log_group = function["Properties"]["LoggingConfig"]["LogGroup"]["Ref"]
    statements = {
        p["PolicyName"]: [(sorted(s["Action"]), s["Resource"]) for s in p["PolicyDocument"]["Statement"]]
        for p in props["Policies"]
    }
    assert statements == {
        "WriteOwnLogs": [(["logs:CreateLogStream", "logs:PutLogEvents"], {"Fn::GetAtt": [log_group, "Arn"]})],
        "SendTraces": [(["xray:PutTelemetryRecords", "xray:PutTraceSegments"], "*")],
    }


def test_outputs_are_the_stage_and_route_urls(api: Template) -> None:
    outputs = api.find_outputs("*")
    assert set(outputs) == {"ApiBaseUrl", "MeRouteUrl", "ItemsRouteUrl", "AdminRouteUrl"}
    suffixes = {"ApiBaseUrl": "/", "MeRouteUrl": "/me", "ItemsRouteUrl": "/items", "AdminRouteUrl": "/admin"}
    for key, suffix in suffixes.items():
        parts = outputs[key]["Value"]["Fn::Join"][1]
        assert parts[0] == "https://", key
        assert parts[-1] == suffix, key


def test_every_configurable_retention_maps_to_cdk() -> None:
    for days in typing.get_args(LogRetentionDays):
        assert retention(days).name  # a KeyError would name the missing value


def _tiny_api() -> tuple[cdk.App, ProtectedApi]:
    app = cdk.App(**APP_SETTINGS)
    stack = cdk.Stack(app, "Tiny")
    handler = lambda_.Function(
        stack,
        "Handler",
        runtime=python_function.RUNTIME,
        handler="index.handler",
        code=lambda_.Code.from_inline("def handler(event, context):\n    return {}\n"),
    )
    config = ApiConfig(scope_server="api", cors=CorsConfig(allow_origins=("https://app.example.com",)))
    api = ProtectedApi(
        stack, "Api", config=config, user_pool=cognito.UserPool(stack, "Pool"), handler=handler, name="tiny"
    )
    return app, api


def test_a_route_without_scopes_is_refused() -> None:
    _, api = _tiny_api()
    with pytest.raises(ValueError, match="needs at least one authorization scope"):
        api.add_route("/open", "GET", scopes=[])
    with pytest.raises(ValueError, match="not resource-server scopes"):
        api.add_route("/open", "GET", scopes=["openid"])
    with pytest.raises(ValueError, match="preflights come from the CORS configuration"):
        api.add_route("/open", "OPTIONS", scopes=["api/read"])


def test_a_method_added_around_add_route_fails_synth() -> None:
    app, api = _tiny_api()
    api.add_route("/me", "GET", scopes=["api/read"])
    # Reaching the RestApi through the stage gets the default authorizer, but not scopes.
    api.stage.rest_api.root.add_resource("open").add_method("GET", apigw.MockIntegration())
    with pytest.raises(RuntimeError, match=r"GET /open: every route needs the Cognito authorizer"):
        app.synth()

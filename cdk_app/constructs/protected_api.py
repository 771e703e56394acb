"""A regional REST API on which every route requires a Cognito access token carrying named scopes."""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from pathlib import Path

import aws_cdk as cdk
import jsii
from aws_cdk import aws_apigateway as apigw
from aws_cdk import aws_cognito as cognito
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_logs as logs
from constructs import Construct, IValidation

from cdk_app.config.api import ApiConfig
from cdk_app.constructs import nag
from cdk_app.constructs.log_retention import retention
from cdk_app.constructs.request_model import json_schema_from_file

STAGE_NAME = "v1"
# A body a route's request model rejects. One gateway response serves the whole API, so it names no
# model's fields: $context says which route (and so which model) refused it. resourcePath is the route's
# template ("/items"), never caller input, and neither value can hold a quote, so the JSON stays valid.
# (The validator's own detail, $context.error.validationErrorString, is not JSON-escaped: it cannot go
# in a JSON body.) The function checks the same schema and names each bad field.
BAD_BODY_TEMPLATE = json.dumps(
    {
        "statusCode": 400,
        "message": "Invalid request body: it does not match the request model of "
        "$context.httpMethod $context.resourcePath",
    }
)
AUTHORIZATION_HEADER = "Authorization"
# A resource-server scope: "<server identifier>/<scope name>" (the identifier may itself be a URL).
_SCOPE = re.compile(r"\S+/[^\s/]+")
# One JSON object per request. caller/user stay empty (no IAM auth); sub/clientId are the verified
# token's claims, so every line names who called.
_ACCESS_LOG_FIELDS = {
    "requestId": "$context.requestId",
    "extendedRequestId": "$context.extendedRequestId",
    "requestTime": "$context.requestTime",
    "ip": "$context.identity.sourceIp",
    "userAgent": "$context.identity.userAgent",
    "caller": "$context.identity.caller",
    "user": "$context.identity.user",
    "sub": "$context.authorizer.claims.sub",
    "clientId": "$context.authorizer.claims.client_id",
    "httpMethod": "$context.httpMethod",
    "resourcePath": "$context.resourcePath",
    "path": "$context.path",
    "protocol": "$context.protocol",
    "status": "$context.status",
    "responseLength": "$context.responseLength",
    "responseLatency": "$context.responseLatency",
    "integrationLatency": "$context.integrationLatency",
    "errorType": "$context.error.responseType",
    "errorMessage": "$context.error.message",
    "wafResponseCode": "$context.wafResponseCode",
    "xrayTraceId": "$context.xrayTraceId",
}
ACCESS_LOG_FORMAT = json.dumps(_ACCESS_LOG_FIELDS, separators=(",", ":"))


class ProtectedApi(Construct):
    """A regional REST API whose every route needs a Cognito *access* token with the route's scopes.

    API Gateway's Cognito authorizer accepts an ID token only on methods *without* authorization scopes
    and an access token only on methods *with* them. So ``add_route`` refuses a route without scopes:
    an unscoped route would let any ID token of the pool in, whichever client it was issued to and
    whatever it was meant for. A synth-time validation also fails any non-OPTIONS method on this API
    (however it was added) that lacks the authorizer or scopes. The raw ``RestApi`` is not exposed.

    Also guaranteed: CORS preflights (OPTIONS, no auth, 204) for the configured origins only; errors
    API Gateway itself returns (401, 403, 429, 5xx) carry CORS headers, so browsers see them instead of a
    CORS failure; unknown routes are 404, not API Gateway's 403 "Missing Authentication Token"; request
    validation; JSON access logs; execution logs at ERROR without request data; X-Ray tracing;
    stage-wide throttling.

    Execution logging needs the *account-level* API Gateway CloudWatch Logs role (set once per account
    and region). This construct does not create it (``cloud_watch_role=False``): CDK's role uses the
    AWS-managed AmazonAPIGatewayPushToCloudWatchLogs policy, and ``AWS::ApiGateway::Account`` is a
    per-region singleton that stacks would fight over. Deploys fail with "CloudWatch Logs role ARN must
    be set in account settings to enable logging" until it is set; see docs/architecture.md.
    """

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        config: ApiConfig,
        user_pool: cognito.IUserPool,
        handler: lambda_.IFunction,
        name: str,
    ) -> None:
        super().__init__(scope, construct_id)
        cors = config.cors
        self.access_log_group = logs.LogGroup(
            self, "AccessLogs", retention=retention(config.log_retention_days)
        )
        self._authorizer = apigw.CognitoUserPoolsAuthorizer(
            self,
            "Authorizer",
            cognito_user_pools=[user_pool],
            identity_source=apigw.IdentitySource.header(AUTHORIZATION_HEADER),
            results_cache_ttl=cdk.Duration.seconds(config.authorizer_cache_ttl_seconds),
        )
        self._api = apigw.RestApi(
            self,
            "Api",
            rest_api_name=name,
            description=f"{name}: routes need a Cognito access token with the route's scopes",
            endpoint_configuration=apigw.EndpointConfiguration(types=[apigw.EndpointType.REGIONAL]),
            cloud_watch_role=False,
            fail_on_warnings=True,
            # Anything added to this API without explicit options still gets the authorizer; the
            # validation below then insists on scopes as well.
            default_method_options=apigw.MethodOptions(
                authorizer=self._authorizer, authorization_type=apigw.AuthorizationType.COGNITO
            ),
            default_cors_preflight_options=apigw.CorsOptions(
                allow_origins=list(cors.allow_origins),
                allow_methods=list(cors.allow_methods),
                allow_headers=list(cors.allow_headers),
                max_age=cdk.Duration.seconds(cors.max_age_seconds),
                status_code=204,
            ),
            deploy_options=apigw.StageOptions(
                stage_name=STAGE_NAME,
                access_log_destination=apigw.LogGroupLogDestination(self.access_log_group),
                access_log_format=apigw.AccessLogFormat.custom(ACCESS_LOG_FORMAT),
                logging_level=apigw.MethodLoggingLevel.ERROR,
                data_trace_enabled=False,
                tracing_enabled=True,
                throttling_rate_limit=config.throttling_rate_limit,
                throttling_burst_limit=config.throttling_burst_limit,
            ),
        )
        self.stage = self._api.deployment_stage
        # RestApi adds an "Endpoint" output; the stack publishes the URLs under stable names instead.
        self._api.node.try_remove_child("Endpoint")
        self._execution_logs(config)
        self._validator = apigw.RequestValidator(
            self,
            "RequestValidator",
            rest_api=self._api,
            validate_request_body=True,
            validate_request_parameters=True,
        )
        self._integration = apigw.LambdaIntegration(handler, proxy=True, allow_test_invoke=False)
        self._gateway_responses(cors.allow_origins)
        self.node.add_validation(_EveryRouteScoped(self._api))

    @property
    def url(self) -> str:
        """The stage's base URL, ending in ``/``."""
        return self._api.url

    @property
    def stage_arn(self) -> str:
        """ARN of the deployed stage, for a WAF web ACL association."""
        return self.stage.stage_arn

    def url_for_path(self, path: str) -> str:
        """The full URL of ``path`` (``/me``) on the deployed stage."""
        return self._api.url_for_path(path)

    def add_route(
        self,
        path: str,
        method: str,
        *,
        scopes: Sequence[str],
        request_model: apigw.IModel | None = None,
    ) -> apigw.Method:
        """Route ``method path`` to the handler, for access tokens holding *any* of ``scopes``.

        Raises ``ValueError`` for a route without scopes, a scope that is not a resource-server scope
        (``server/name``) or an OPTIONS route (preflights are answered by the CORS configuration).
        ``request_model`` (JSON) makes API Gateway reject a non-conforming body with 400.
        """
        verb = method.upper()
        if verb == "OPTIONS":
            raise ValueError(f"OPTIONS {path}: preflights come from the CORS configuration; no route")
        if not scopes:
            raise ValueError(
                f"{verb} {path}: a route needs at least one authorization scope; without scopes the "
                "Cognito authorizer accepts any ID token of the pool instead of scoped access tokens"
            )
        bad = [s for s in scopes if not _SCOPE.fullmatch(s)]
        if bad:
            raise ValueError(f"{verb} {path}: {bad} are not resource-server scopes ('server/name')")
        return self._api.root.resource_for_path(path).add_method(
            verb,
            self._integration,
            authorizer=self._authorizer,
            authorization_type=apigw.AuthorizationType.COGNITO,
            authorization_scopes=list(scopes),
            request_validator=self._validator,
            request_models={"application/json": request_model} if request_model else None,
        )

    def add_json_model(self, construct_id: str, schema_file: Path) -> apigw.Model:
        """A JSON request model for ``add_route(..., request_model=...)``, from a draft-04 schema file.

        The file is the one the function validates with, so the gateway and the function share every rule.
        """
        return self._api.add_model(
            construct_id, content_type="application/json", schema=json_schema_from_file(schema_file)
        )

    def acknowledge_no_firewall(self, reason: str) -> None:
        """Acknowledge, on the stage only, that no WAF web ACL is associated with it."""
        cfn = self.stage.node.default_child
        assert isinstance(cfn, apigw.CfnStage)
        nag.acknowledge(cfn, "AwsSolutions-APIG3", reason)

    def _execution_logs(self, config: ApiConfig) -> None:
        # API Gateway writes execution logs to this group, and would create it with no retention if it
        # did not exist; creating it first (before the stage) gives it the configured retention.
        group = logs.LogGroup(
            self,
            "ExecutionLogs",
            log_group_name=f"API-Gateway-Execution-Logs_{self._api.rest_api_id}/{STAGE_NAME}",
            retention=retention(config.log_retention_days),
        )
        self.stage.node.add_dependency(group)

    def _gateway_responses(self, origins: Sequence[str]) -> None:
        # One origin: name it. Several: a gateway response cannot choose among them, only echo the
        # request's Origin. That is safe here: these responses are API Gateway's own fixed error messages
        # (never data), no Access-Control-Allow-Credentials is sent, and browsers never attach a bearer
        # token by themselves. A page from an origin not configured still cannot send a token, because
        # the preflight only answers configured origins; data responses come from the function, which
        # allows the configured origins only.
        allow_origin = f"'{origins[0]}'" if len(origins) == 1 else "method.request.header.Origin"
        headers = {"Access-Control-Allow-Origin": allow_origin, "Vary": "'Origin'"}
        error = {"application/json": '{"message":$context.error.messageString}'}
        # DEFAULT_4XX covers UNAUTHORIZED (401), ACCESS_DENIED (403), THROTTLED (429), BAD_REQUEST_BODY.
        for response_type, construct_id in (
            (apigw.ResponseType.DEFAULT_4_XX, "Default4xx"),
            (apigw.ResponseType.DEFAULT_5_XX, "Default5xx"),
        ):
            self._api.add_gateway_response(
                construct_id, type=response_type, response_headers=headers, templates=error
            )
        # A body a route's model rejects: the message names the route (BAD_BODY_TEMPLATE).
        self._api.add_gateway_response(
            "BadRequestBody",
            type=apigw.ResponseType.BAD_REQUEST_BODY,
            status_code="400",
            response_headers=headers,
            templates={"application/json": BAD_BODY_TEMPLATE},
        )
        # Without IAM authorization, "Missing Authentication Token" only ever means "no such route".
        self._api.add_gateway_response(
            "NotFound",
            type=apigw.ResponseType.MISSING_AUTHENTICATION_TOKEN,
            status_code="404",
            response_headers=headers,
            templates={"application/json": '{"statusCode":404,"message":"Not found"}'},
        )


@jsii.implements(IValidation)
class _EveryRouteScoped:
    """Fails synth if any non-OPTIONS method lacks the Cognito authorizer or authorization scopes."""

    def __init__(self, api: apigw.RestApi) -> None:
        self._api = api

    def validate(self) -> list[str]:
        errors = []
        for method in self._api.methods:
            cfn = method.node.default_child
            assert isinstance(cfn, apigw.CfnMethod)
            if method.http_method == "OPTIONS":
                continue
            if cfn.authorization_type != "COGNITO_USER_POOLS" or not cfn.authorization_scopes:
                errors.append(
                    f"{method.http_method} {method.resource.path}: every route needs the Cognito "
                    "authorizer and authorization scopes; add it with ProtectedApi.add_route"
                )
        return errors

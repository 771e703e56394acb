"""The sample API behind the Cognito authorizer; the Lambda entry point is ``handler.handler``.

API Gateway has verified the token (and the route's scopes) before this runs, so the function only
decides what the verified claims allow. Every response, errors included, is JSON:

- ``GET /me``: the caller's identity.
- ``POST /items``: 201 with the created item; 400 naming each bad field, or the body as a whole when it
  is not a JSON object (too large, invalid UTF-8, not JSON, nested too deeply); 415 for a Content-Type
  other than ``application/json``.
- ``GET /admin``: 200 for access tokens with ``ADMIN_SCOPE`` when that is set (the token trigger grants
  it), else for members of ``ADMIN_GROUP``; 403 for everyone else (and for everyone, with an ERROR log,
  if neither is set).
- any route: 403 when the token's ``cognito:groups`` claim is ambiguous (see ``caller.parse_groups``).
- anything else: 404.

Environment: ``POWERTOOLS_SERVICE_NAME``; ``ADMIN_SCOPE`` or ``ADMIN_GROUP`` (the CDK app sets exactly
one: the scope with ``token_customization``, else ``api.admin_group``); ``CORS_ALLOW_ORIGINS``
(comma-separated origins that get ``Access-Control-Allow-Origin``; unset means no CORS headers).
"""

from __future__ import annotations

import os
from http import HTTPStatus
from typing import Any

import api_variables as variables
from aws_lambda_powertools import Logger, Tracer
from aws_lambda_powertools.event_handler import APIGatewayRestResolver, CORSConfig, Response, content_types
from aws_lambda_powertools.event_handler.exceptions import ForbiddenError, UnauthorizedError
from aws_lambda_powertools.logging import correlation_paths
from aws_lambda_powertools.utilities.typing import LambdaContext
from caller import AmbiguousGroupsClaimError, Caller, caller_from_claims
from items import parse_new_item
from request_body import BodyError, UnsupportedMediaTypeError


def cors_config(origins: str | None) -> CORSConfig | None:
    """CORS for the listed origins (comma-separated), or ``None`` when none are listed."""
    allowed = [origin.strip() for origin in (origins or "").split(",") if origin.strip()]
    if not allowed:
        return None
    return CORSConfig(allow_origin=allowed[0], extra_origins=allowed[1:])


logger = Logger()
# The function makes no downstream calls, and auto-patching would import and patch botocore, requests
# and friends at every cold start (about 200 ms) to trace calls that never happen.
tracer = Tracer(auto_patch=False)
# With a Lambda proxy integration, API Gateway's CORS settings only answer preflights; the real
# responses must carry Access-Control-Allow-Origin themselves.
app = APIGatewayRestResolver(cors=cors_config(os.environ.get(variables.CORS_ALLOW_ORIGINS)))


def _caller() -> Caller:
    # The authorizer rejects requests without a valid token, so this only fires if the method was
    # deployed without it; refuse rather than serve an anonymous caller.
    claims = app.current_event.request_context.authorizer.claims
    try:
        caller = caller_from_claims(claims)
    except AmbiguousGroupsClaimError as error:
        # Reading such a claim either way could grant a group the user is not in: refuse outright.
        logger.warning(
            "Request refused: ambiguous groups claim", extra={"reason": str(error), "sub": claims.get("sub")}
        )
        raise ForbiddenError("The token's group claim is ambiguous") from None
    if caller is None:
        raise UnauthorizedError("No verified identity in the request")
    return caller


@app.get("/me")
def get_me() -> dict[str, Any]:
    """The caller's identity: sub, username, email, groups, scopes, token_use and client_id."""
    return _caller().to_json()


@app.post("/items")
def create_item() -> Response[dict[str, Any]]:
    """201 with the item and a new ``id``; 400 with ``message`` and ``errors`` naming each bad field; 415."""
    _caller()
    event = app.current_event
    try:
        item = parse_new_item(
            event.body,
            content_type=event.headers.get("Content-Type"),  # case-insensitive in Powertools 3
            base64_encoded=bool(event.is_base64_encoded),
        )
    except UnsupportedMediaTypeError as error:
        return Response(
            status_code=HTTPStatus.UNSUPPORTED_MEDIA_TYPE.value,
            content_type=content_types.APPLICATION_JSON,
            body={"statusCode": HTTPStatus.UNSUPPORTED_MEDIA_TYPE.value, "message": str(error)},
        )
    except BodyError as error:
        return Response(
            status_code=HTTPStatus.BAD_REQUEST.value,
            content_type=content_types.APPLICATION_JSON,
            body={
                "statusCode": HTTPStatus.BAD_REQUEST.value,
                "message": f"Invalid request body: {error}",
                "errors": [{"field": e.field, "message": e.message} for e in error.errors],
            },
        )
    # uuid loads platform and friends (about 15 ms); import it on the one route that needs it, not at init.
    import uuid

    # A sample: the item is echoed back with an id, not stored.
    created = {"id": str(uuid.uuid4()), "name": item.name, "quantity": item.quantity, "note": item.note}
    logger.info("Item created", extra={"item_id": created["id"]})
    return Response(
        status_code=HTTPStatus.CREATED.value, content_type=content_types.APPLICATION_JSON, body=created
    )


@app.get("/admin")
def get_admin() -> dict[str, Any]:
    """200 only for tokens with ``ADMIN_SCOPE`` when it is set, else for members of ``ADMIN_GROUP``;
    403 for any other verified caller."""
    caller = _caller()
    # With the token trigger the CDK app sets ADMIN_SCOPE: the authorizer already required it, and it is
    # checked again here so that a route deployed with other scopes still serves administrators only.
    scope = os.environ.get(variables.ADMIN_SCOPE, "").strip()
    if scope:
        if scope not in caller.scopes:
            logger.info("Admin route refused: no admin scope", extra={"sub": caller.sub})
            raise ForbiddenError("Only administrators may use this route")
        return {"message": "Welcome, administrator", "username": caller.username, "scope": scope}
    # The config's api.admin_group is the one home of the name; without the trigger the CDK app sets it.
    # Without it no one is an administrator: guessing a default could hand the route to the wrong group.
    group = os.environ.get(variables.ADMIN_GROUP, "").strip()
    if not group:
        logger.error("Neither ADMIN_SCOPE nor ADMIN_GROUP is set: refusing GET /admin to everyone")
        raise ForbiddenError("Only administrators may use this route")
    if not caller.is_member(group):
        logger.info("Admin route refused", extra={"sub": caller.sub})
        raise ForbiddenError("Only administrators may use this route")
    return {"message": "Welcome, administrator", "username": caller.username, "group": group}


@logger.inject_lambda_context(correlation_id_path=correlation_paths.API_GATEWAY_REST)
# The response of /me holds the caller's email; keep it out of trace metadata.
@tracer.capture_lambda_handler(capture_response=False)
def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    """Route one API Gateway REST proxy event and return the proxy response."""
    return app.resolve(event, context)

"""The user pool's pre token generation trigger (event version 2 or 3); entry point ``handler.handler``.

For a user's tokens (every trigger source but ``TokenGeneration_ClientCredentials``), the access token
gains the scopes the user's groups earn (``GROUP_SCOPES``) and loses every other mapped scope. For a
client-credentials token (version 3 only), the access token gains ``CLIENT_CREDENTIALS_CLAIMS``. Nothing
else changes: ID tokens and groups are left as Cognito made them.

Environment (set by the CDK app from ``token_customization``): ``GROUP_SCOPES`` and
``CLIENT_CREDENTIALS_CLAIMS``, JSON objects; a missing or malformed one fails the cold start, and so every
token request (Cognito fails a sign-in whose trigger fails), rather than issuing tokens without the scopes
the configuration asks for.
"""

from __future__ import annotations

import os
from typing import Any

import pre_token_variables as variables
from aws_lambda_powertools import Logger
from aws_lambda_powertools.utilities.data_classes import event_source
from aws_lambda_powertools.utilities.data_classes.cognito_user_pool_event import (
    PreTokenGenerationV2TriggerEvent,
)
from aws_lambda_powertools.utilities.typing import LambdaContext
from token_rules import claims_from, group_scopes_from, scope_changes

CLIENT_CREDENTIALS = "TokenGeneration_ClientCredentials"

logger = Logger()
GROUP_SCOPES = group_scopes_from(os.environ.get(variables.GROUP_SCOPES))
CLIENT_CREDENTIALS_CLAIMS = claims_from(os.environ.get(variables.CLIENT_CREDENTIALS_CLAIMS))


@logger.inject_lambda_context
@event_source(data_class=PreTokenGenerationV2TriggerEvent)
def handler(event: PreTokenGenerationV2TriggerEvent, context: LambdaContext) -> dict[str, Any]:
    """Return the event with ``response.claimsAndScopeOverrideDetails.accessTokenGeneration`` filled in."""
    access = event.response.claims_scope_override_details.access_token_generation
    if event.trigger_source == CLIENT_CREDENTIALS:
        if CLIENT_CREDENTIALS_CLAIMS:
            access.claims_to_add_or_override = dict(CLIENT_CREDENTIALS_CLAIMS)
        logger.info(
            "Client-credentials token customized", extra={"claims": sorted(CLIENT_CREDENTIALS_CLAIMS)}
        )
        return event.raw_event
    # Read directly: a client-credentials event may carry no groupConfiguration at all.
    configuration = event.request.get("groupConfiguration") or {}
    groups = configuration.get("groupsToOverride") or []
    changes = scope_changes(groups, GROUP_SCOPES)
    if changes.add:
        access.scopes_to_add = list(changes.add)
    if changes.suppress:
        access.scopes_to_suppress = list(changes.suppress)
    logger.info(
        "User token customized",
        extra={"trigger_source": event.trigger_source, "added": changes.add, "suppressed": changes.suppress},
    )
    return event.raw_event

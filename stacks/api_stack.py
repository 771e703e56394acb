"""The API stack: the protected REST API, its function, (where configured) its WAF web ACL, and alarms."""

from __future__ import annotations

import aws_cdk as cdk
from constructs import Construct

from cdk_app.config import EnvironmentConfig
from cdk_app.constructs.alarms import ApiAlarms
from cdk_app.constructs.alert_topic import alarm_actions
from cdk_app.constructs.api_function import SCHEMA_DIR, ApiFunction
from cdk_app.constructs.firewall import Firewall
from cdk_app.constructs.logs_key import LogsKey
from cdk_app.constructs.protected_api import ProtectedApi
from cdk_app.contracts import ApiOutputs, alert_topic_name, resource_prefix
from stacks.identity_stack import IdentityStack

# The body POST /items accepts, in the file the function validates with too (functions/api/items.py).
NEW_ITEM_SCHEMA_FILE = SCHEMA_DIR / "new_item.json"


class ApiStack(cdk.Stack):
    """``GET /me``, ``POST /items`` and ``GET /admin`` behind the identity stack's user pool.

    Every route needs an access token with a scope of ``api.scope_server``: ``read`` for the GET
    routes, ``write`` for POST /items; ``GET /admin`` needs ``admin`` instead when the environment has
    a token trigger (``token_customization``), which grants it to ``api.admin_group`` only. With
    ``waf.enabled`` a web ACL protects the API stage (the user pool's own is in the identity stack).
    Alarms watch the function, the stage and the web ACL. Outputs: ``cdk_app.contracts.ApiOutputs``.
    """

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        config: EnvironmentConfig,
        identity: IdentityStack,
        **kwargs: object,
    ) -> None:
        super().__init__(scope, construct_id, **kwargs)  # type: ignore[arg-type]
        name = f"{resource_prefix(config.name)}-api"
        function = ApiFunction(
            self,
            "Function",
            config=config.api.function,
            powertools_layer=config.functions.powertools_layer,
            service_name=name,
            admin_group=config.api.admin_group,
            admin_scope=config.admin_scope,
            cors_allow_origins=config.api.cors.allow_origins,
        )
        api = ProtectedApi(
            self,
            "Api",
            config=config.api,
            user_pool=identity.user_pool,
            handler=function.function,
            name=name,
        )
        read, write = f"{config.api.scope_server}/read", f"{config.api.scope_server}/write"
        api.add_route("/me", "GET", scopes=[read])
        api.add_route(
            "/items",
            "POST",
            scopes=[write],
            request_model=api.add_json_model("NewItem", NEW_ITEM_SCHEMA_FILE),
        )
        # With the token trigger, the admin scope (which only members of api.admin_group earn) is the
        # authorizer's check. Without it, group membership is the function's check and the read scope
        # only lets the call in.
        admin_scope = config.admin_scope
        api.add_route("/admin", "GET", scopes=[admin_scope or read])

        web_acl_name = None
        if config.waf.enabled:
            # The user pool has its own web ACL, sized for sign-in, in the identity stack.
            firewall = Firewall.for_api(self, "Firewall", config=config.waf, name=name)
            firewall.associate("ApiStageAssociation", api.stage_arn)
            web_acl_name = firewall.name
        else:
            api.acknowledge_no_firewall(
                f"waf.enabled is false in config/{config.name}.yaml (tier {config.tier}): no web ACL "
                "in this environment, to save its cost. Production config is validated to enable WAF."
            )
        ApiAlarms(
            self,
            "Alarms",
            function=function.function,
            stage=api.stage,
            web_acl_name=web_acl_name,
            thresholds=config.monitoring.alarms,
            actions=alarm_actions(self, config.monitoring.alerts, topic_name=alert_topic_name(config.name)),
            name=name,
        )

        # After every log group of the stack (config.logs.kms).
        LogsKey(self, "LogsKey", config=config.logs, description=f"{name}: API logs").encrypt(self)

        # The key is the output's logical ID too: cdk_app.contracts is where the tools read it from.
        outputs = {
            ApiOutputs.API_BASE_URL: (api.url, "Base URL of the API stage (ends with /)"),
            ApiOutputs.ME_ROUTE_URL: (api.url_for_path("/me"), f"GET: the caller's identity; scope {read}"),
            ApiOutputs.ITEMS_ROUTE_URL: (api.url_for_path("/items"), f"POST: create an item; scope {write}"),
            ApiOutputs.ADMIN_ROUTE_URL: (
                api.url_for_path("/admin"),
                f"GET: members of group '{config.api.admin_group}' only; scope {admin_scope or read}",
            ),
        }
        for key, (value, description) in outputs.items():
            cdk.CfnOutput(self, key, value=value, description=description)

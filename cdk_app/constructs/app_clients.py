"""Resource servers and app clients, with every unsafe CDK default overridden."""

from __future__ import annotations

import aws_cdk as cdk
from aws_cdk import aws_cognito as cognito
from constructs import Construct

from cdk_app.config.attribute_trust import ClientAttributeAccess
from cdk_app.config.clients import ClientConfig, ResourceServerConfig


class ResourceServers(Construct):
    """One resource server per config entry; ``scope()`` returns a scope that depends on it."""

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        user_pool: cognito.IUserPool,
        config: tuple[ResourceServerConfig, ...],
    ) -> None:
        super().__init__(scope, construct_id)
        self.servers: dict[str, tuple[cognito.UserPoolResourceServer, dict[str, cognito.ResourceServerScope]]]
        self.servers = {}
        for server in config:
            scopes = {
                s.name: cognito.ResourceServerScope(scope_name=s.name, scope_description=s.description)
                for s in server.scopes
            }
            resource = cognito.UserPoolResourceServer(
                self,
                _pascal(server.identifier),
                user_pool=user_pool,
                identifier=server.identifier,
                user_pool_resource_server_name=server.name,
                scopes=list(scopes.values()),
            )
            self.servers[server.identifier] = (resource, scopes)

    def oauth_scope(self, name: str) -> cognito.OAuthScope:
        """``api/read`` -> an OAuthScope whose token makes the client depend on the server."""
        identifier, _, scope_name = name.rpartition("/")
        server, scopes = self.servers[identifier]
        return cognito.OAuthScope.resource_server(server, scopes[scope_name])


class AppClient(Construct):
    """An app client of kind spa (public, PKCE), web (confidential) or m2m (client credentials).

    Guarantees, whatever CDK's and Cognito's defaults: no implicit grant, no placeholder callback, no
    admin scope unless listed, user-existence errors hidden, token revocation on, refresh-token
    rotation (spa/web), explicit token validities, and ``ExplicitAuthFlows`` always written out with
    only the flows the config names, ``ALLOW_USER_AUTH`` for ``choice_based_sign_in`` (left out,
    Cognito would allow SRP and custom auth). Interactive clients get explicit read and write attribute
    lists (``attributes``; left out, Cognito lets every client write every standard attribute). The
    client's logical ID is its construct ID
    (``SpaClient``): a new one is a new client ID.
    """

    def __init__(
        self,
        scope: Construct,
        *,
        user_pool: cognito.IUserPool,
        config: ClientConfig,
        resource_servers: ResourceServers,
        providers: dict[str, cognito.IUserPoolIdentityProvider],
        attributes: ClientAttributeAccess | None,
    ) -> None:
        super().__init__(scope, config.construct_id)
        interactive = config.kind != "m2m"
        flows = config.auth_flows
        scopes = [
            resource_servers.oauth_scope(s) if "/" in s else cognito.OAuthScope.custom(s)
            for s in config.scopes
        ]
        rotation = interactive and config.refresh_token_rotation
        self.client = cognito.UserPoolClient(
            self,
            "Resource",
            user_pool=user_pool,
            user_pool_client_name=config.name,
            generate_secret=config.generates_secret,
            auth_flows=cognito.AuthFlow(
                user_srp="user_srp" in flows,
                user_password="user_password" in flows,
                admin_user_password="admin_user_password" in flows,
                custom="custom" in flows,
                # Choice-based sign-in: managed login's passwordless choices and the USER_AUTH API.
                user=config.choice_based_sign_in,
            ),
            o_auth=cognito.OAuthSettings(
                flows=cognito.OAuthFlows(
                    authorization_code_grant=interactive,
                    implicit_code_grant=False,
                    client_credentials=not interactive,
                ),
                callback_urls=list(config.callback_urls) or None,
                logout_urls=list(config.logout_urls) or None,
                scopes=scopes,
            ),
            supported_identity_providers=[
                cognito.UserPoolClientIdentityProvider.custom(p) for p in config.identity_providers
            ],
            prevent_user_existence_errors=True,
            enable_token_revocation=True,
            access_token_validity=cdk.Duration.minutes(config.access_token_validity_minutes),
            id_token_validity=cdk.Duration.minutes(config.id_token_validity_minutes),
            refresh_token_validity=cdk.Duration.days(config.refresh_token_validity_days),
            refresh_token_rotation_grace_period=(
                cdk.Duration.seconds(config.refresh_token_rotation_grace_seconds) if rotation else None
            ),
        )
        cfn = self.client.node.default_child
        assert isinstance(cfn, cognito.CfnUserPoolClient)
        cfn.override_logical_id(config.construct_id)
        if attributes is not None:
            # Set on the L1: these are Cognito's attribute names (``custom:x``, ``updated_at``), which
            # CDK's ClientAttributes would make us translate to its own.
            cfn.read_attributes = list(attributes.read)
            cfn.write_attributes = list(attributes.write)
        # With no flows and rotation on, CDK writes an empty list; never let it fall back to omitting
        # the property, which Cognito reads as SRP + custom + refresh.
        if cfn.explicit_auth_flows is None:
            cfn.explicit_auth_flows = []
        # Without this, the first deploy can create the client before the provider and fail with
        # "The provider X does not exist".
        for name in config.identity_providers:
            if name != "COGNITO":
                self.client.node.add_dependency(providers[name])


def _pascal(text: str) -> str:
    return "".join(part.capitalize() for part in text.replace("-", "_").replace(".", "_").split("_"))

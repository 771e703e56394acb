"""The names the CDK app and the tools around it agree on, each defined here and nowhere else.

Stack names, output keys, resource names, the certificate region, the Lambda functions' environment
variables and the loopback host names are an external contract: deployed stacks, operator tools, CI,
the functions' code and applications rely on them. This module is plain Python (no aws_cdk, no
pydantic), so the stacks, the config models, the operator tools and the change review can all import
it. Changing a value here renames something that is deployed.
"""

from __future__ import annotations

from typing import Final

# --- Stacks -----------------------------------------------------------------------------------------
# Construct IDs of the stacks inside each environment's Stage. The CloudFormation stack name is
# ``stack_name(env, <id>)``: the Stage sets it explicitly, and the tools read the same names.
IDENTITY_STACK: Final = "Identity"
API_STACK: Final = "Api"
CERTIFICATE_STACK: Final = "Certificate"
# The optional CDK pipeline: a top-level stack of this ID (and name); an environment it deploys is
# the Stage ``Pipeline/<env>`` inside it, with the same stack names as above.
PIPELINE_STACK: Final = "Pipeline"


def stack_name(env: str, stack: str) -> str:
    """``stack_name("prod", IDENTITY_STACK)`` -> ``prod-Identity``: one environment's CloudFormation
    stack. The same whether ``make deploy`` or the CDK pipeline deploys it."""
    return f"{env}-{stack}"


# --- Resource names ---------------------------------------------------------------------------------
def resource_prefix(env: str) -> str:
    """``resource_prefix("prod")`` -> ``cognito-sso-prod``: how every name this project gives a resource
    of one environment starts (web ACLs, functions' service names, log groups, the alert topic), so
    two environments in one account never collide."""
    return f"cognito-sso-{env}"


def alert_topic_name(env: str) -> str:
    """``alert_topic_name("prod")`` -> ``cognito-sso-prod-alerts``: the SNS topic every alarm of the
    environment publishes to. The Identity stack creates it; the Api stack's alarms address it by
    this name, so neither stack exports anything to the other."""
    return f"{resource_prefix(env)}-alerts"


# --- Certificate ------------------------------------------------------------------------------------
# Cognito serves a custom sign-in domain through CloudFront, which only takes certificates from here.
CERTIFICATE_REGION: Final = "us-east-1"


# --- Outputs ----------------------------------------------------------------------------------------
class IdentityOutputs:
    """Output keys (and logical IDs) of the ``<env>-Identity`` stack."""

    USER_POOL_ID: Final = "UserPoolId"
    USER_POOL_ARN: Final = "UserPoolArn"
    ISSUER_URL: Final = "IssuerUrl"
    JWKS_URL: Final = "JwksUrl"
    DOMAIN_BASE_URL: Final = "DomainBaseUrl"
    AUTHORIZE_ENDPOINT: Final = "AuthorizeEndpoint"
    TOKEN_ENDPOINT: Final = "TokenEndpoint"  # noqa: S105 - an output key, not a credential
    LOGOUT_ENDPOINT: Final = "LogoutEndpoint"
    # Only with SAML providers: what the IdP's administrator needs.
    SAML_SP_ENTITY_ID: Final = "SamlSpEntityId"
    SAML_ACS_URL: Final = "SamlAcsUrl"


def client_id_output(client_construct_id: str) -> str:
    """``SpaClient`` -> ``SpaClientId``: the Identity stack's output holding that app client's ID."""
    return f"{client_construct_id}Id"


class ApiOutputs:
    """Output keys (and logical IDs) of the ``<env>-Api`` stack."""

    API_BASE_URL: Final = "ApiBaseUrl"
    ME_ROUTE_URL: Final = "MeRouteUrl"
    ITEMS_ROUTE_URL: Final = "ItemsRouteUrl"
    ADMIN_ROUTE_URL: Final = "AdminRouteUrl"


# --- Lambda environment variables --------------------------------------------------------------------
# The names a function's code reads and its construct sets. The code (functions/<name>/) cannot import
# this package at run time, so each function ships a plain module with the same names
# (functions/<name>/<name>_variables.py) and tests/functions/test_variable_names.py checks that both
# sides agree.
class PowertoolsVariables:
    """Set on every function (``PowertoolsFunction``); read by Powertools itself."""

    SERVICE_NAME: Final = "POWERTOOLS_SERVICE_NAME"
    LOG_LEVEL: Final = "POWERTOOLS_LOG_LEVEL"
    METRICS_NAMESPACE: Final = "POWERTOOLS_METRICS_NAMESPACE"


class ApiFunctionVariables:
    """The API function's (``functions/api``): exactly one of ``ADMIN_SCOPE`` and ``ADMIN_GROUP``."""

    # The API's admin scope (``<api.scope_server>/admin``), set when the token trigger grants it.
    ADMIN_SCOPE: Final = "ADMIN_SCOPE"
    # api.admin_group, set when there is no token trigger: membership is then the function's check.
    ADMIN_GROUP: Final = "ADMIN_GROUP"
    # Comma-separated origins that get Access-Control-Allow-Origin.
    CORS_ALLOW_ORIGINS: Final = "CORS_ALLOW_ORIGINS"


class PreTokenVariables:
    """The pre token generation trigger's (``functions/pre_token``), both JSON objects."""

    # Group name -> the scopes its members' access tokens get (and others lose).
    GROUP_SCOPES: Final = "GROUP_SCOPES"
    # Claims added to every client-credentials access token.
    CLIENT_CREDENTIALS_CLAIMS: Final = "CLIENT_CREDENTIALS_CLAIMS"


class UserExportVariables:
    """The scheduled user export's (``functions/user_export``)."""

    # The pool whose users are exported (required).
    USER_POOL_ID: Final = "USER_POOL_ID"
    # The environment's name, written in the file's header (required).
    ENVIRONMENT: Final = "ENVIRONMENT"
    # The bucket and key prefix the file is written under (required).
    BUCKET: Final = "BUCKET"
    PREFIX: Final = "PREFIX"


class IdpCertCheckVariables:
    """The scheduled SAML signing-certificate check's (``functions/idp_cert_check``)."""

    # The pool whose SAML providers are checked (required).
    USER_POOL_ID: Final = "USER_POOL_ID"
    # Days before a certificate's expiry from which the run fails.
    WARNING_DAYS: Final = "WARNING_DAYS"


# --- Loopback hosts ---------------------------------------------------------------------------------
# Host names of this machine, as two named sets of one definition:
# - LOOPBACK_HOSTS: where an http (not https) callback, logout or CORS origin URL may point. Config
#   accepts exactly these, and `make login` listens on them (IPv4: ``localhost`` binds 127.0.0.1), so
#   every configured loopback callback URL is one the listener can serve.
# - LOOPBACK_HOSTS_WITH_IPV6: adds ``::1``. The operator tools send credentials over plain http only
#   to these (a local stand-in or emulator); they never appear in config.
LOOPBACK_HOSTS: Final = frozenset({"localhost", "127.0.0.1"})
LOOPBACK_HOSTS_WITH_IPV6: Final = LOOPBACK_HOSTS | {"::1"}


# --- Tenants ----------------------------------------------------------------------------------------
def tenant_stack(shard: int) -> str:
    """``tenant_stack(3)`` -> ``Tenants3``: the construct ID of the sibling stack holding the tenants
    whose name hashes to shard 3 (``cdk_app.config.tenants.tenant_shard``); its stack name is
    ``stack_name(env, tenant_stack(3))``."""
    return f"Tenants{shard}"


def tenant_client_id_parameter(env: str, tenant: str) -> str:
    """``/cognito-sso-prod/tenants/acme/client-id``: the SSM parameter holding a tenant client's ID.

    Client IDs are parameters, not stack outputs, because a stack has at most 200 outputs."""
    return f"/{resource_prefix(env)}/tenants/{tenant}/client-id"

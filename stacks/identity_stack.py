"""The identity stack: user pool, resource servers, federation, app clients, hosted domain, and the sign-in
front door's detection: its web ACL, Cognito's logs and risk response, the alert topic and alarms."""

from __future__ import annotations

import aws_cdk as cdk
from aws_cdk import aws_certificatemanager as acm
from constructs import Construct

from cdk_app.config import EnvironmentConfig
from cdk_app.constructs.alarms import SignInAlarms
from cdk_app.constructs.alert_topic import AlertTopic, alarm_actions
from cdk_app.constructs.app_clients import AppClient, ResourceServers
from cdk_app.constructs.federation import Federation
from cdk_app.constructs.firewall import Firewall
from cdk_app.constructs.hosted_domain import HostedDomain
from cdk_app.constructs.idp_cert_check import IdpCertCheck
from cdk_app.constructs.logs_key import LogsKey
from cdk_app.constructs.pre_token_trigger import PreTokenTrigger
from cdk_app.constructs.risk_response import NotificationSender, RiskResponse
from cdk_app.constructs.sign_in_logs import SignInLogs
from cdk_app.constructs.user_export import UserExport
from cdk_app.constructs.user_pool import SsoUserPool
from cdk_app.contracts import IdentityOutputs, alert_topic_name, client_id_output, resource_prefix


class IdentityStack(cdk.Stack):
    """Everything a user signs in through, and what watches it. Exposes ``user_pool``, ``clients`` and
    ``domain``."""

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        config: EnvironmentConfig,
        certificate: acm.ICertificate | None = None,
        **kwargs: object,
    ) -> None:
        super().__init__(scope, construct_id, **kwargs)  # type: ignore[arg-type]
        # "UserPool" is the pool's logical ID. Never rename it: that creates a new, empty pool.
        pool = SsoUserPool(self, "UserPool", config=config.user_pool)
        self.user_pool = pool.pool
        if config.token_customization is not None:
            PreTokenTrigger(
                self,
                "PreTokenTrigger",
                user_pool=self.user_pool,
                config=config.token_customization,
                powertools_layer=config.functions.powertools_layer,
                service_name=f"{resource_prefix(config.name)}-pre-token",
            )
        self.resource_servers = ResourceServers(
            self, "ResourceServers", user_pool=self.user_pool, config=config.resource_servers
        )
        federation = Federation(
            self, "Federation", user_pool=self.user_pool, config=config.identity_providers
        )
        self.clients = {
            c.name: AppClient(
                self,
                user_pool=self.user_pool,
                config=c,
                resource_servers=self.resource_servers,
                providers=federation.providers,
                attributes=config.client_attributes(c) if c.kind != "m2m" else None,
            ).client
            for c in config.clients
        }
        custom = config.domain.custom
        if custom is not None and custom.certificate_arn is not None:
            certificate = acm.Certificate.from_certificate_arn(self, "Certificate", custom.certificate_arn)
        self.domain = HostedDomain(
            self,
            "Domain",
            user_pool=self.user_pool,
            config=config.domain,
            certificate=certificate,
            branded_clients=[self.clients[c.name] for c in config.clients if c.kind != "m2m"],
        )
        self._detection(config, pool)
        # Last, so that every log group above is encrypted (config.logs.kms).
        LogsKey(
            self, "LogsKey", config=config.logs, description=f"{resource_prefix(config.name)}: identity logs"
        ).encrypt(self)
        self._outputs(config)

    def _detection(self, config: EnvironmentConfig, pool: SsoUserPool) -> None:
        """The sign-in front door's web ACL, Cognito's logs and risk response, the alert topic, alarms."""
        prefix = resource_prefix(config.name)
        monitoring = config.monitoring
        alerts = AlertTopic(
            self, "Alerts", config=monitoring.alerts, prefix=prefix, topic_name=alert_topic_name(config.name)
        )
        active = config.user_pool.threat_protection_active
        if monitoring.sign_in_logs:
            SignInLogs(
                self,
                "SignInLogs",
                user_pool=self.user_pool,
                name=prefix,
                retention_days=monitoring.sign_in_log_retention_days,
                user_activity=active,
            )
        if active:
            ses = config.user_pool.email.ses
            sender = None
            if ses is not None and pool.ses_identity_arn is not None:
                sender = NotificationSender(pool.ses_identity_arn, ses.from_email, ses.reply_to)
            RiskResponse(
                self,
                "RiskResponse",
                user_pool=self.user_pool,
                config=config.user_pool.threat_protection.risk_response,
                sender=sender,
            )
        web_acl_name = None
        if config.waf.enabled:
            firewall = Firewall.for_sign_in(
                self, "SignInFirewall", config=config.waf, name=f"{prefix}-sign-in"
            )
            firewall.associate("UserPoolAssociation", self.user_pool.user_pool_arn)
            web_acl_name = firewall.name
        # Once per stack: the actions import each extra topic as a construct of this stack.
        actions = alarm_actions(
            self, monitoring.alerts, topic_name=alert_topic_name(config.name), topic=alerts.topic
        )
        SignInAlarms(
            self,
            "Alarms",
            user_pool=self.user_pool,
            web_acl_name=web_acl_name,
            risk_metrics=active,
            thresholds=monitoring.alarms,
            actions=actions,
            name=f"{prefix}-sign-in",
        )
        if config.idp_cert_check.enabled:
            IdpCertCheck(
                self,
                "IdpCertCheck",
                user_pool=self.user_pool,
                config=config.idp_cert_check,
                has_saml=bool(config.identity_providers.saml),
                powertools_layer=config.functions.powertools_layer,
                service_name=f"{prefix}-idp-cert-check",
                log_retention_days=monitoring.sign_in_log_retention_days,
                actions=actions,
            )

        if config.backup.enabled:
            UserExport(
                self,
                "UserExport",
                user_pool=self.user_pool,
                config=config.backup,
                environment=config.name,
                powertools_layer=config.functions.powertools_layer,
                service_name=f"{prefix}-user-export",
                log_retention_days=monitoring.sign_in_log_retention_days,
                actions=actions,
            )

    def _outputs(self, config: EnvironmentConfig) -> None:
        pool = self.user_pool
        issuer = f"https://cognito-idp.{self.region}.amazonaws.com/{pool.user_pool_id}"
        base = self.domain.base_url
        keys = IdentityOutputs
        # The key is the output's logical ID too: cdk_app.contracts is where the tools read it from.
        outputs = {
            keys.USER_POOL_ID: (pool.user_pool_id, "User pool ID"),
            keys.USER_POOL_ARN: (pool.user_pool_arn, "User pool ARN"),
            keys.ISSUER_URL: (issuer, "OIDC issuer (iss claim) of tokens from this pool"),
            keys.JWKS_URL: (f"{issuer}/.well-known/jwks.json", "Signing keys for token validation"),
            keys.DOMAIN_BASE_URL: (base, "Hosted sign-in (managed login or hosted UI) base URL"),
            keys.AUTHORIZE_ENDPOINT: (f"{base}/oauth2/authorize", "OAuth 2.0 authorize endpoint"),
            keys.TOKEN_ENDPOINT: (f"{base}/oauth2/token", "OAuth 2.0 token endpoint"),
            keys.LOGOUT_ENDPOINT: (f"{base}/logout", "Sign-out endpoint"),
        }
        for c in config.clients:
            outputs[client_id_output(c.construct_id)] = (
                self.clients[c.name].user_pool_client_id,
                f"App client ID of '{c.name}' ({c.kind}); its secret, if any, stays in Cognito",
            )
        if config.identity_providers.saml:
            outputs[keys.SAML_SP_ENTITY_ID] = (
                f"urn:amazon:cognito:sp:{pool.user_pool_id}",
                "For the SAML IdP administrator: the service provider (audience) entity ID",
            )
            outputs[keys.SAML_ACS_URL] = (
                f"{base}/saml2/idpresponse",
                "For the SAML IdP administrator: the assertion consumer service (ACS) URL",
            )
        for key, (value, description) in outputs.items():
            cdk.CfnOutput(self, key, value=value, description=description)

"""The pool's risk configuration: what threat protection does with a risky or leaked-password sign-in."""

from __future__ import annotations

from dataclasses import dataclass

from aws_cdk import aws_cognito as cognito
from constructs import Construct

from cdk_app.config.risk_response import RiskResponseConfig

# Levels whose users are told by email (when notifying at all): a low-risk notice would be noise.
NOTIFIED_LEVELS = ("high", "medium")
COMPROMISED_CREDENTIAL_EVENTS = ("SIGN_IN", "PASSWORD_CHANGE", "SIGN_UP")


@dataclass(frozen=True)
class NotificationSender:
    """The SES identity risk notices come from (the pool's own sender)."""

    source_arn: str
    from_email: str
    reply_to: str | None = None


Cfn = cognito.CfnUserPoolRiskConfigurationAttachment


class RiskResponse(Construct):
    """One ``AWS::Cognito::UserPoolRiskConfigurationAttachment`` for every client (``ALL``).

    Guarantees: each account-takeover level gets the configured action; compromised credentials are
    checked on sign-in, sign-up and password change; users are emailed about high and medium risk
    only if ``sender`` is given (Cognito can send these notices through SES only) and
    ``notify_users`` is on; IP exceptions only when configured. Needs threat protection on (Plus).
    """

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        user_pool: cognito.IUserPool,
        config: RiskResponseConfig,
        sender: NotificationSender | None,
    ) -> None:
        super().__init__(scope, construct_id)
        notify = config.notify_users and sender is not None
        actions = {
            level: Cfn.AccountTakeoverActionTypeProperty(
                event_action=getattr(config, level).upper(), notify=notify and level in NOTIFIED_LEVELS
            )
            for level in ("high", "medium", "low")
        }
        exceptions = None
        if config.blocked_ip_ranges or config.always_allow_ip_ranges:
            exceptions = Cfn.RiskExceptionConfigurationTypeProperty(
                blocked_ip_range_list=[str(n) for n in config.blocked_ip_ranges] or None,
                skipped_ip_range_list=[str(n) for n in config.always_allow_ip_ranges] or None,
            )
        self.attachment = Cfn(
            self,
            "Resource",
            user_pool_id=user_pool.user_pool_id,
            client_id="ALL",
            account_takeover_risk_configuration=Cfn.AccountTakeoverRiskConfigurationTypeProperty(
                actions=Cfn.AccountTakeoverActionsTypeProperty(
                    high_action=actions["high"], medium_action=actions["medium"], low_action=actions["low"]
                ),
                notify_configuration=(
                    Cfn.NotifyConfigurationTypeProperty(
                        source_arn=sender.source_arn, from_=sender.from_email, reply_to=sender.reply_to
                    )
                    if notify and sender is not None
                    else None
                ),
            ),
            compromised_credentials_risk_configuration=Cfn.CompromisedCredentialsRiskConfigurationTypeProperty(
                actions=Cfn.CompromisedCredentialsActionsTypeProperty(
                    event_action=config.compromised_credentials.upper()
                ),
                event_filter=list(COMPROMISED_CREDENTIAL_EVENTS),
            ),
            risk_exception_configuration=exceptions,
        )

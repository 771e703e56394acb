"""Model for what threat protection does with a risky sign-in (the pool's risk configuration)."""

from __future__ import annotations

from typing import Literal, Self

from pydantic import Field, IPvAnyNetwork, model_validator

from cdk_app.config.base import Frozen

# Cognito's account-takeover actions: refuse the sign-in, ask for MFA (only if the user has a factor,
# or always, which blocks users who have none), or let it through (still scored and logged).
TakeoverAction = Literal["block", "mfa_if_configured", "mfa_required", "no_action"]


class RiskResponseConfig(Frozen):
    """Actions per account-takeover risk level, for compromised credentials, and IP exceptions.

    Applied as an ``AWS::Cognito::UserPoolRiskConfigurationAttachment`` when threat protection is on
    (Plus plan). Cognito acts on it in ``enforced`` mode; in ``audit`` it only scores and logs.
    """

    high: TakeoverAction = "block"
    medium: TakeoverAction = "mfa_if_configured"
    low: TakeoverAction = "no_action"
    notify_users: bool = Field(
        default=True,
        description="Email users about high and medium risk sign-ins; only where user_pool.email.ses is set.",
    )
    compromised_credentials: Literal["block", "no_action"] = Field(
        default="block", description="On sign-in, sign-up and password change with a leaked password."
    )
    blocked_ip_ranges: tuple[IPvAnyNetwork, ...] = Field(
        default=(), max_length=200, description="CIDR ranges whose sign-ins are always refused."
    )
    always_allow_ip_ranges: tuple[IPvAnyNetwork, ...] = Field(
        default=(), max_length=200, description="CIDR ranges never scored for risk (e.g. a load test's)."
    )

    @model_validator(mode="after")
    def _disjoint(self) -> Self:
        overlap = [str(n) for n in self.blocked_ip_ranges if n in self.always_allow_ip_ranges]
        if overlap:
            raise ValueError(f"ranges both blocked and always allowed: {overlap}")
        return self

"""What the user pool's features need from its feature plan and from the pool's other keys."""

from __future__ import annotations

from collections.abc import Iterator

from cdk_app.config.environment import EnvironmentConfig
from cdk_app.config.risk_response import RiskResponseConfig
from cdk_app.config.rules.subject import Violation

_ESSENTIALS_OR_PLUS = "needs feature_plan 'essentials' or 'plus'"


def threat_protection_needs_plus(env: EnvironmentConfig) -> Iterator[Violation]:
    """Threat protection in any mode but ``off`` needs the Plus plan; Cognito refuses the deploy otherwise."""
    pool = env.user_pool
    tp = pool.threat_protection
    if (tp.standard_auth != "off" or tp.custom_auth != "off") and pool.feature_plan != "plus":
        yield Violation(
            ("user_pool", "threat_protection"),
            f"needs feature_plan 'plus' (this pool is '{pool.feature_plan}'); Cognito rejects the deploy "
            "otherwise",
        )


def email_mfa_needs_essentials_or_plus(env: EnvironmentConfig) -> Iterator[Violation]:
    """Email as an MFA factor is not in the Lite plan."""
    if "email" in env.user_pool.mfa.factors and env.user_pool.feature_plan == "lite":
        yield Violation(("user_pool", "mfa", "factors"), f"email MFA {_ESSENTIALS_OR_PLUS}")


def email_mfa_needs_ses(env: EnvironmentConfig) -> Iterator[Violation]:
    """Email MFA needs an SES sender: Cognito's default sender cannot send codes."""
    if "email" in env.user_pool.mfa.factors and env.user_pool.email.ses is None:
        yield Violation(
            ("user_pool", "mfa", "factors"),
            "email MFA needs email.ses: Cognito's default sender cannot send codes",
        )


def email_mfa_leaves_a_password_reset(env: EnvironmentConfig) -> Iterator[Violation]:
    """A user with email MFA can still reset their password: recovery by phone, or by administrators.

    Cognito never sends a password-reset code to an address that is also the user's MFA factor.
    """
    pool = env.user_pool
    if "email" not in pool.mfa.factors or pool.account_recovery == "none":
        return
    has_phone = "phone" in pool.sign_in.identifiers or "phone_number" in pool.standard_attributes
    if pool.account_recovery == "email_only" or not has_phone:
        yield Violation(
            ("user_pool", "account_recovery"),
            f"{pool.account_recovery!r} with email in mfa.factors leaves users who chose email MFA without "
            "a password reset (Cognito does not send recovery codes to an email that is an MFA factor). "
            "Drop 'email' from mfa.factors, or recover by phone ('email_and_phone_without_mfa' or "
            "'phone_without_mfa_and_email', with phone_number collected), or set 'none' so "
            "administrators reset passwords",
        )


def risk_response_needs_threat_protection(env: EnvironmentConfig) -> Iterator[Violation]:
    """A risk response only acts when threat protection scores sign-ins."""
    pool = env.user_pool
    if pool.threat_protection.risk_response != RiskResponseConfig() and not pool.threat_protection_active:
        yield Violation(
            ("user_pool", "threat_protection", "risk_response"),
            "applies only with threat protection on (feature_plan 'plus' and standard_auth or custom_auth "
            "not 'off')",
        )


def password_reuse_needs_essentials_or_plus(env: EnvironmentConfig) -> Iterator[Violation]:
    """Preventing password reuse is not in the Lite plan."""
    if env.user_pool.password_policy.prevent_reuse and env.user_pool.feature_plan == "lite":
        yield Violation(("user_pool", "password_policy", "prevent_reuse"), _ESSENTIALS_OR_PLUS)


def refresh_token_rotation_needs_essentials_or_plus(env: EnvironmentConfig) -> Iterator[Violation]:
    """Refresh-token rotation is not in the Lite plan (on Lite, a client's default is off)."""
    if env.user_pool.feature_plan != "lite":
        return
    for i, client in enumerate(env.clients):
        if client.kind != "m2m" and client.refresh_token_rotation:
            yield Violation(
                ("clients", i, "refresh_token_rotation"),
                f"refresh-token rotation {_ESSENTIALS_OR_PLUS} (client {client.name!r}); set it to false "
                "on 'lite'",
            )

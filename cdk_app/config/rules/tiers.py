"""Where an environment may be deployed, and what its tier demands of it."""

from __future__ import annotations

from collections.abc import Iterator

from cdk_app.config.environment import EMULATOR_ACCOUNT, EnvironmentConfig
from cdk_app.config.rules.subject import Violation
from cdk_app.contracts import CERTIFICATE_REGION


def emulator_environments_stay_local(env: EnvironmentConfig) -> Iterator[Violation]:
    """An emulator environment is a development one pinned to the emulator's account, which no real
    AWS account has (so its stacks can never reach AWS), and no other environment uses that account."""
    if env.deploy_target == "emulator":
        if env.tier != "development":
            yield Violation(("deploy_target",), "the emulator only takes tier 'development' environments")
        if env.account != EMULATOR_ACCOUNT or env.region is None:
            yield Violation(
                ("account",),
                f"an emulator environment sets account '{EMULATOR_ACCOUNT}' (the emulator's) and a region, "
                "so its stacks can never be deployed to a real account",
            )
    elif env.account == EMULATOR_ACCOUNT:
        yield Violation(
            ("account",),
            f"'{EMULATOR_ACCOUNT}' is the local emulator's account; set deploy_target: emulator, or give "
            "this environment its real AWS account",
        )


def production_encrypts_logs_and_keeps_recovery(env: EnvironmentConfig) -> Iterator[Violation]:
    """Production encrypts its logs with a customer-managed key, exports its users on a schedule and
    checks its SAML providers' certificates daily."""
    if env.tier != "production":
        return
    if not env.logs.encrypted:
        yield Violation(("logs", "kms"), "production needs 'managed' or an existing key's ARN")
    if not env.backup.enabled:
        yield Violation(("backup", "enabled"), "cannot be turned off in production")
    if not env.idp_cert_check.enabled:
        yield Violation(("idp_cert_check", "enabled"), "cannot be turned off in production")


def production_keeps_its_safeguards(env: EnvironmentConfig) -> Iterator[Violation]:
    """Production keeps its pool, MFA, threat protection, firewall, logs, alerts and a concurrency ceiling.

    Left out, the first four take the value production needs (``cdk_app.config.defaults``); these
    refuse a file that writes otherwise.
    """
    if env.tier != "production":
        return
    pool = env.user_pool
    if not pool.deletion_protection:
        yield Violation(("user_pool", "deletion_protection"), "cannot be turned off in production")
    if pool.removal_policy != "retain":
        yield Violation(("user_pool", "removal_policy"), "must be 'retain' in production")
    if not env.waf.enabled:
        yield Violation(("waf", "enabled"), "cannot be turned off in production")
    if not env.monitoring.sign_in_logs:
        yield Violation(("monitoring", "sign_in_logs"), "cannot be turned off in production")
    if not env.monitoring.alerts.has_destination:
        yield Violation(
            ("monitoring", "alerts"), "production must name where alarms go (emails or topic_arns)"
        )
    if pool.mfa.mode != "required":
        yield Violation(("user_pool", "mfa", "mode"), "must be 'required' in production")
    if pool.feature_plan != "plus" or pool.threat_protection.standard_auth != "enforced":
        yield Violation(
            ("user_pool", "threat_protection", "standard_auth"),
            "production needs feature_plan 'plus' with standard_auth 'enforced'",
        )
    if env.api.function.reserved_concurrency is None:
        yield Violation(
            ("api", "function", "reserved_concurrency"),
            "production needs a ceiling, so that a flood of requests cannot take the account's whole "
            "Lambda concurrency (or its bill) with it",
        )


def created_certificate_needs_account_and_region(env: EnvironmentConfig) -> Iterator[Violation]:
    """A custom domain without a certificate ARN gets a certificate stack, which needs a home."""
    if env.domain.needs_certificate_stack and None in (env.account, env.region):
        yield Violation(
            ("domain", "custom", "certificate_arn"),
            f"without it a {CERTIFICATE_REGION} certificate stack is created, which needs account and "
            "region set (or give the certificate ARN)",
        )


def no_wildcard_origin_outside_development(env: EnvironmentConfig) -> Iterator[Violation]:
    """Only a development API answers every origin."""
    if env.tier != "development" and "*" in env.api.cors.allow_origins:
        yield Violation(("api", "cors", "allow_origins"), f"'*' is not allowed in tier '{env.tier}'")

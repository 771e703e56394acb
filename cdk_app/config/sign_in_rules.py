"""The rules for modern sign-in that span keys: what each first factor needs, where passkeys may be bound,
and what the pre token generation trigger may map.

Each raises ``ValueError`` with a message led by the config path it is about, as the other cross-field
rules do. ``check_pool`` runs inside ``UserPoolConfig``; ``check_environment`` inside ``EnvironmentConfig``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from cdk_app.config.sign_in import ONE_TIME_CODES

if TYPE_CHECKING:
    from cdk_app.config.environment import EnvironmentConfig
    from cdk_app.config.user_pool import UserPoolConfig

_FACTORS = "sign_in_policy.first_factors"
# The admin route's scope, on api.scope_server, when the trigger is on (EnvironmentConfig.admin_scope).
ADMIN_SCOPE_NAME = "admin"


def check_pool(pool: UserPoolConfig) -> None:
    """What each first factor needs from the pool itself: plan, sender, attribute, MFA, recovery."""
    policy = pool.sign_in_policy
    passwordless = policy.passwordless
    if not passwordless:
        return
    if pool.feature_plan == "lite":
        raise ValueError(
            f"{_FACTORS}: {list(passwordless)} need feature_plan 'essentials' or 'plus' (this pool is 'lite')"
        )
    if pool.mfa.mode == "required":
        raise ValueError(
            f"{_FACTORS}: {list(passwordless)} are never offered while mfa.mode is 'required': Cognito "
            "offers passwordless first factors only to users without MFA. Set mfa.mode 'optional' (or "
            "'off'), or keep first_factors [password]"
        )
    identifiers = set(pool.sign_in.identifiers)
    if "email_otp" in passwordless:
        if pool.email.ses is None:
            raise ValueError(
                f"{_FACTORS}: email_otp needs email.ses: Cognito's default sender is limited to a few "
                "messages a day and would stop sending sign-in codes"
            )
        if "email" not in identifiers and "email" not in pool.standard_attributes:
            raise ValueError(f"{_FACTORS}: email_otp needs an email address (sign_in or standard_attributes)")
    if "sms_otp" in passwordless:
        if pool.sms is None:
            raise ValueError(
                f"{_FACTORS}: sms_otp needs an SMS role: set user_pool.sms ({{}} for a role the project "
                "creates, or role_arn and external_id of your own)"
            )
        if "phone" not in identifiers and "phone_number" not in pool.standard_attributes:
            raise ValueError(
                f"{_FACTORS}: sms_otp needs a phone number (sign_in identifier 'phone' or the standard "
                "attribute phone_number)"
            )
    if (
        "passkey" in passwordless
        and not set(passwordless) & ONE_TIME_CODES
        and pool.account_recovery == "none"
    ):
        raise ValueError(
            f"{_FACTORS}: with passkeys, no one-time-code factor and account_recovery 'none', a user "
            "without a password (signed up with a passkey) who loses the device can never sign in again. "
            "Add email_otp or sms_otp, or set an account_recovery"
        )


def check_environment(config: EnvironmentConfig) -> None:
    """The rules that need the domain, the clients, the groups and the resource servers."""
    _check_clients(config)
    _check_relying_party(config)
    _check_token_customization(config)


def _check_clients(config: EnvironmentConfig) -> None:
    passwordless = config.user_pool.sign_in_policy.passwordless
    if passwordless and not any(c.choice_based_sign_in for c in config.clients):
        raise ValueError(
            f"user_pool.{_FACTORS}: {list(passwordless)} reach users only through a client with "
            "choice_based_sign_in (ALLOW_USER_AUTH); no client has it"
        )


def _check_relying_party(config: EnvironmentConfig) -> None:
    passkeys = config.user_pool.sign_in_policy.passkeys
    if passkeys is None:
        return
    where = "user_pool.sign_in_policy.passkeys.relying_party_id"
    rp_id = passkeys.relying_party_id
    custom = config.domain.custom
    if custom is not None:
        # Cognito's WebAuthnConfigurationType: with a custom domain and the hosted pages, the RP ID must
        # be the custom domain's full name.
        if rp_id != custom.domain_name:
            raise ValueError(
                f"{where}: {rp_id!r} must be the custom domain {custom.domain_name!r}: with a custom "
                "domain, Cognito's hosted pages only accept passkeys bound to it"
            )
        return
    if config.region is None:
        raise ValueError(f"{where}: set region, so the hosted domain's host can be checked against it")
    hosted = f"{config.domain.prefix}.auth.{config.region}.amazoncognito.com"
    apps = sorted(
        {h for c in config.clients if c.choice_based_sign_in for h in _hosts(c.callback_urls)} - {hosted}
    )
    if rp_id != hosted and rp_id not in apps:
        allowed = ", ".join(repr(h) for h in [hosted, *apps])
        raise ValueError(
            f"{where}: {rp_id!r} is neither the hosted sign-in domain nor the domain of a choice-based "
            f"client's app; use one of {allowed}. A passkey works only where its relying party ID is the "
            "page's domain (or a parent of it)"
        )


def _hosts(urls: tuple[str, ...]) -> set[str]:
    return {h for h in (urlsplit(u).hostname for u in urls) if h}


def _check_token_customization(config: EnvironmentConfig) -> None:
    tc = config.token_customization
    if tc is None:
        return
    where = "token_customization"
    if config.user_pool.feature_plan == "lite":
        raise ValueError(
            f"{where}: customizing access tokens (pre token generation V2_0/V3_0) needs feature_plan "
            "'essentials' or 'plus' (this pool is 'lite')"
        )
    groups = {g.name for g in config.user_pool.groups}
    unknown = sorted(set(tc.group_scopes) - groups)
    if unknown:
        raise ValueError(
            f"{where}.group_scopes: {unknown} are not user_pool.groups; defined: {sorted(groups)}"
        )
    defined = {n for s in config.resource_servers for n in s.scope_names}
    undefined = sorted(tc.mapped_scopes - defined)
    if undefined:
        raise ValueError(
            f"{where}.group_scopes: {undefined} are not resource-server scopes; define them under "
            f"resource_servers (defined: {sorted(defined)})"
        )
    admin_scope = f"{config.api.scope_server}/{ADMIN_SCOPE_NAME}"
    if admin_scope not in tc.group_scopes.get(config.api.admin_group, ()):
        raise ValueError(
            f"{where}.group_scopes: map api.admin_group {config.api.admin_group!r} to {admin_scope!r}: with "
            "the trigger on, GET /admin requires that scope instead of the group"
        )
    for i, client in enumerate(config.clients):
        granted = sorted(set(client.scopes) & tc.mapped_scopes)
        if granted and client.kind != "m2m":
            raise ValueError(
                f"clients[{i}].scopes: {granted} (client {client.name!r}) are earned through "
                f"{where}.group_scopes; a {client.kind} client that lists them lets any user ask for them"
            )
    if tc.client_credentials_claims and not any(c.kind == "m2m" for c in config.clients):
        raise ValueError(
            f"{where}.client_credentials_claims: no m2m client asks for client-credentials tokens, so the "
            "claims would never be added (and V3_0 would bill for nothing)"
        )

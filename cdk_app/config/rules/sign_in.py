"""Modern sign-in across keys: what each first factor needs from the pool and the clients, where
passkeys may be bound, and what the pre token generation trigger may map."""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import urlsplit

from cdk_app.config.environment import EnvironmentConfig
from cdk_app.config.rules.subject import Violation
from cdk_app.config.sign_in import ADMIN_SCOPE_NAME, ONE_TIME_CODES

_FACTORS = ("user_pool", "sign_in_policy", "first_factors")
_TOKENS = ("token_customization",)
_GROUP_SCOPES = ("token_customization", "group_scopes")


def passwordless_needs_essentials_or_plus(env: EnvironmentConfig) -> Iterator[Violation]:
    """One-time codes and passkeys are not in the Lite plan."""
    passwordless = env.user_pool.sign_in_policy.passwordless
    if passwordless and env.user_pool.feature_plan == "lite":
        yield Violation(
            _FACTORS, f"{list(passwordless)} need feature_plan 'essentials' or 'plus' (this pool is 'lite')"
        )


def passwordless_needs_mfa_not_required(env: EnvironmentConfig) -> Iterator[Violation]:
    """Cognito offers passwordless first factors only to users without MFA."""
    passwordless = env.user_pool.sign_in_policy.passwordless
    if passwordless and env.user_pool.mfa.mode == "required":
        yield Violation(
            _FACTORS,
            f"{list(passwordless)} are never offered while mfa.mode is 'required': Cognito offers "
            "passwordless first factors only to users without MFA. Set mfa.mode 'optional' (or 'off'), "
            "or keep first_factors [password]",
        )


def email_codes_need_ses(env: EnvironmentConfig) -> Iterator[Violation]:
    """Sign-in codes by email need an SES sender."""
    if "email_otp" in env.user_pool.sign_in_policy.first_factors and env.user_pool.email.ses is None:
        yield Violation(
            _FACTORS,
            "email_otp needs email.ses: Cognito's default sender is limited to a few messages a day and "
            "would stop sending sign-in codes",
        )


def email_codes_need_an_email_address(env: EnvironmentConfig) -> Iterator[Violation]:
    """Sign-in codes by email need users to have an email address."""
    pool = env.user_pool
    if "email_otp" in pool.sign_in_policy.first_factors and not (
        "email" in pool.sign_in.identifiers or "email" in pool.standard_attributes
    ):
        yield Violation(_FACTORS, "email_otp needs an email address (sign_in or standard_attributes)")


def sms_codes_need_an_sms_role(env: EnvironmentConfig) -> Iterator[Violation]:
    """Sign-in codes by text message need a role Cognito sends them with."""
    if "sms_otp" in env.user_pool.sign_in_policy.first_factors and env.user_pool.sms is None:
        yield Violation(
            _FACTORS,
            "sms_otp needs an SMS role: set user_pool.sms ({} for a role the project creates, or role_arn "
            "and external_id of your own)",
        )


def sms_codes_need_a_phone_number(env: EnvironmentConfig) -> Iterator[Violation]:
    """Sign-in codes by text message need users to have a phone number."""
    pool = env.user_pool
    if "sms_otp" in pool.sign_in_policy.first_factors and not (
        "phone" in pool.sign_in.identifiers or "phone_number" in pool.standard_attributes
    ):
        yield Violation(
            _FACTORS,
            "sms_otp needs a phone number (sign_in identifier 'phone' or the standard attribute "
            "phone_number)",
        )


def passkeys_leave_a_way_back_in(env: EnvironmentConfig) -> Iterator[Violation]:
    """A user who signed up with a passkey and lost the device can still sign in or recover."""
    pool = env.user_pool
    factors = set(pool.sign_in_policy.first_factors)
    if "passkey" in factors and not factors & ONE_TIME_CODES and pool.account_recovery == "none":
        yield Violation(
            _FACTORS,
            "with passkeys, no one-time-code factor and account_recovery 'none', a user without a password "
            "(signed up with a passkey) who loses the device can never sign in again. Add email_otp or "
            "sms_otp, or set an account_recovery",
        )


def passwordless_reaches_users_through_a_client(env: EnvironmentConfig) -> Iterator[Violation]:
    """Passwordless factors reach users only through a choice-based (ALLOW_USER_AUTH) client."""
    passwordless = env.user_pool.sign_in_policy.passwordless
    if passwordless and not any(c.choice_based_sign_in for c in env.clients):
        yield Violation(
            _FACTORS,
            f"{list(passwordless)} reach users only through a client with choice_based_sign_in "
            "(ALLOW_USER_AUTH); no client has it",
        )


def passkeys_are_bound_to_a_sign_in_domain(env: EnvironmentConfig) -> Iterator[Violation]:
    """A passkey works only where its relying party ID is the page's domain (or a parent of it): the
    custom domain exactly, or the hosted domain or a choice-based client's app host."""
    passkeys = env.user_pool.sign_in_policy.passkeys
    if passkeys is None:
        return
    where = (*_FACTORS[:2], "passkeys", "relying_party_id")
    rp_id = passkeys.relying_party_id
    custom = env.domain.custom
    if custom is not None:
        # Cognito's WebAuthnConfigurationType: with a custom domain and the hosted pages, the RP ID
        # must be the custom domain's full name.
        if rp_id != custom.domain_name:
            yield Violation(
                where,
                f"{rp_id!r} must be the custom domain {custom.domain_name!r}: with a custom domain, "
                "Cognito's hosted pages only accept passkeys bound to it",
            )
        return
    if env.region is None:
        yield Violation(where, "set region, so the hosted domain's host can be checked against it")
        return
    hosted = f"{env.domain.prefix}.auth.{env.region}.amazoncognito.com"
    apps = sorted(
        {h for c in env.clients if c.choice_based_sign_in for h in _hosts(c.callback_urls)} - {hosted}
    )
    if rp_id != hosted and rp_id not in apps:
        allowed = ", ".join(repr(h) for h in [hosted, *apps])
        yield Violation(
            where,
            f"{rp_id!r} is neither the hosted sign-in domain nor the domain of a choice-based client's "
            f"app; use one of {allowed}. A passkey works only where its relying party ID is the page's "
            "domain (or a parent of it)",
        )


def _hosts(urls: tuple[str, ...]) -> set[str]:
    return {h for h in (urlsplit(u).hostname for u in urls) if h}


def token_customization_needs_essentials_or_plus(env: EnvironmentConfig) -> Iterator[Violation]:
    """Customizing access tokens (trigger V2_0 or V3_0) is not in the Lite plan."""
    if env.token_customization is not None and env.user_pool.feature_plan == "lite":
        yield Violation(
            _TOKENS,
            "customizing access tokens (pre token generation V2_0/V3_0) needs feature_plan 'essentials' "
            "or 'plus' (this pool is 'lite')",
        )


def group_scopes_name_pool_groups(env: EnvironmentConfig) -> Iterator[Violation]:
    """The trigger grants scopes to groups the pool has."""
    tc = env.token_customization
    groups = {g.name for g in env.user_pool.groups}
    unknown = sorted(set(tc.group_scopes) - groups) if tc is not None else []
    if unknown:
        yield Violation(_GROUP_SCOPES, f"{unknown} are not user_pool.groups; defined: {sorted(groups)}")


def group_scopes_are_resource_server_scopes(env: EnvironmentConfig) -> Iterator[Violation]:
    """The trigger grants scopes a resource server defines."""
    tc = env.token_customization
    defined = {n for s in env.resource_servers for n in s.scope_names}
    undefined = sorted(tc.mapped_scopes - defined) if tc is not None else []
    if undefined:
        yield Violation(
            _GROUP_SCOPES,
            f"{undefined} are not resource-server scopes; define them under resource_servers (defined: "
            f"{sorted(defined)})",
        )


def admin_group_earns_the_admin_scope(env: EnvironmentConfig) -> Iterator[Violation]:
    """With the trigger on, GET /admin requires ``<api.scope_server>/admin``: the admin group earns it."""
    tc = env.token_customization
    admin_scope = f"{env.api.scope_server}/{ADMIN_SCOPE_NAME}"
    if tc is not None and admin_scope not in tc.group_scopes.get(env.api.admin_group, ()):
        yield Violation(
            _GROUP_SCOPES,
            f"map api.admin_group {env.api.admin_group!r} to {admin_scope!r}: with the trigger on, GET "
            "/admin requires that scope instead of the group",
        )


def earned_scopes_are_not_asked_for(env: EnvironmentConfig) -> Iterator[Violation]:
    """A scope only a group earns is listed by no user-facing client, or any user could ask for it."""
    tc = env.token_customization
    if tc is None:
        return
    for i, client in enumerate(env.clients):
        granted = sorted(set(client.scopes) & tc.mapped_scopes)
        if granted and client.kind != "m2m":
            yield Violation(
                ("clients", i, "scopes"),
                f"{granted} (client {client.name!r}) are earned through token_customization.group_scopes; "
                f"a {client.kind} client that lists them lets any user ask for them",
            )


def client_credentials_claims_need_an_m2m_client(env: EnvironmentConfig) -> Iterator[Violation]:
    """Claims for client-credentials tokens need a client that asks for such tokens."""
    tc = env.token_customization
    if tc is not None and tc.client_credentials_claims and not any(c.kind == "m2m" for c in env.clients):
        yield Violation(
            (*_TOKENS, "client_credentials_claims"),
            "no m2m client asks for client-credentials tokens, so the claims would never be added (and "
            "V3_0 would bill for nothing)",
        )

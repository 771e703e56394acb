"""One config error per invalid combination of sign-in factors, passkeys and token customization: each
names the field and says why (the fixture dev config, changed one key at a time)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from cdk_app.config import EnvironmentConfig
from tests.config.conftest import Refused, WriteConfig

Raw = dict[str, Any]
HOSTED = "sso-dev-example-1234.auth.eu-west-1.amazoncognito.com"
SES = {"ses": {"from_email": "no-reply@auth.example.com"}}
CUSTOM_DOMAIN = {
    "domain_name": "auth.example.com",
    "hosted_zone_id": "Z123",
    "hosted_zone_name": "example.com",
    "certificate_arn": "arn:aws:acm:us-east-1:123456789012:certificate/12345678-1234-1234-1234-123456789012",
}


def pool(raw: Raw) -> Raw:
    result: Raw = raw["user_pool"]
    return result


def spa(raw: Raw) -> Raw:
    result: Raw = raw["clients"][0]
    return result


def factors(*names: str, **passkeys: Any) -> Callable[[Raw], None]:
    """first_factors set to ``names`` (with a passkeys block when given), SES on, the spa choice-based."""

    def edit(raw: Raw) -> None:
        policy: Raw = {"first_factors": list(names)}
        if passkeys:
            policy["passkeys"] = passkeys
        pool(raw).update(sign_in_policy=policy, email=SES)
        spa(raw)["choice_based_sign_in"] = True

    return edit


def then(*edits: Callable[[Raw], None]) -> Callable[[Raw], None]:
    def edit(raw: Raw) -> None:
        for one in edits:
            one(raw)

    return edit


def tokens(**update: Any) -> Callable[[Raw], None]:
    return lambda raw: raw["token_customization"].update(update)


CASES: list[tuple[str, Callable[[Raw], None], str, str]] = [
    # The factors themselves.
    ("password left out", lambda r: pool(r).update(sign_in_policy={"first_factors": ["email_otp"]}), "user_pool.sign_in_policy.first_factors", "must include 'password'"),
    ("factor repeated", lambda r: pool(r).update(sign_in_policy={"first_factors": ["password", "password"]}), "user_pool.sign_in_policy.first_factors", "must not repeat"),
    ("unknown factor", lambda r: pool(r).update(sign_in_policy={"first_factors": ["password", "totp"]}), "user_pool.sign_in_policy.first_factors[1]", "'password', 'email_otp', 'sms_otp' or 'passkey'"),
    ("passkey without its settings", factors("password", "passkey"), "user_pool.sign_in_policy.passkeys", "say which relying_party_id"),
    ("passkey settings without passkey", factors("password", relying_party_id=HOSTED), "user_pool.sign_in_policy.passkeys", "only when first_factors lists 'passkey'"),
    # What each factor needs from the pool.
    ("passwordless on lite", then(factors("password", "email_otp"), lambda r: pool(r).update(feature_plan="lite")), "user_pool.sign_in_policy.first_factors", "need feature_plan 'essentials' or 'plus'"),
    ("passkeys on lite", then(factors("password", "passkey", relying_party_id=HOSTED), lambda r: pool(r).update(feature_plan="lite")), "user_pool.sign_in_policy.first_factors", "['passkey'] need feature_plan 'essentials' or 'plus'"),
    ("sms codes on lite", then(factors("password", "sms_otp"), lambda r: pool(r).update(feature_plan="lite", sms={})), "user_pool.sign_in_policy.first_factors", "['sms_otp'] need feature_plan 'essentials' or 'plus'"),
    ("passwordless with mfa required", then(factors("password", "email_otp"), lambda r: pool(r)["mfa"].update(mode="required")), "user_pool.sign_in_policy.first_factors", "never offered while mfa.mode is 'required'"),
    ("email codes without ses", then(factors("password", "email_otp"), lambda r: pool(r).pop("email")), "user_pool.sign_in_policy.first_factors", "email_otp needs email.ses"),
    ("email codes without an email", then(factors("password", "email_otp"), lambda r: pool(r).update(sign_in={"identifiers": ["username"]}, standard_attributes={"name": {}})), "user_pool.sign_in_policy.first_factors", "email_otp needs an email address"),
    ("sms codes without an sms role", factors("password", "sms_otp"), "user_pool.sign_in_policy.first_factors", "sms_otp needs an SMS role"),
    ("sms codes without a phone number", then(factors("password", "sms_otp"), lambda r: pool(r).update(sms={})), "user_pool.sign_in_policy.first_factors", "sms_otp needs a phone number"),
    ("sms role without external id", lambda r: pool(r).update(sms={"role_arn": "arn:aws:iam::123456789012:role/sms"}), "user_pool.sms", "role_arn and external_id together"),
    ("passkeys only, no recovery", then(factors("password", "passkey", relying_party_id=HOSTED), lambda r: pool(r).update(account_recovery="none")), "user_pool.sign_in_policy.first_factors", "can never sign in again"),
    # What they need from the rest of the environment.
    ("passwordless without a choice-based client", then(factors("password", "email_otp"), lambda r: spa(r).pop("choice_based_sign_in")), "user_pool.sign_in_policy.first_factors", "no client has it"),
    ("m2m client with choice-based sign-in", lambda r: r["clients"][1].update(choice_based_sign_in=True), "clients[1]", "choice_based_sign_in false"),
    ("choice-based client that can write asserted attributes", then(factors("password", "email_otp"), lambda r: r["identity_providers"]["google"].update(attribute_mapping={"email": "email", "custom": {"idp_groups": "hd"}})), "clients[0].choice_based_sign_in", "UpdateUserAttributes"),
    ("relying party not the hosted domain", factors("password", "passkey", relying_party_id="evil.example.net"), "user_pool.sign_in_policy.passkeys.relying_party_id", "neither the hosted sign-in domain"),
    ("relying party of another region", factors("password", "passkey", relying_party_id=HOSTED.replace("eu-west-1", "us-east-1")), "user_pool.sign_in_policy.passkeys.relying_party_id", HOSTED),
    ("relying party not the custom domain", then(factors("password", "passkey", relying_party_id=HOSTED), lambda r: r.update(domain={"custom": CUSTOM_DOMAIN})), "user_pool.sign_in_policy.passkeys.relying_party_id", "must be the custom domain 'auth.example.com'"),
    ("relying party too long for CDK", factors("password", "passkey", relying_party_id="a" * 60 + ".example.com"), "user_pool.sign_in_policy.passkeys.relying_party_id", "at most 63 characters"),
    ("relying party without a region", then(factors("password", "passkey", relying_party_id=HOSTED), lambda r: r.pop("region")), "user_pool.sign_in_policy.passkeys.relying_party_id", "set region"),
    # The pre token generation trigger.
    ("token customization on lite", then(lambda r: pool(r).update(feature_plan="lite"), lambda r: spa(r).update(refresh_token_rotation=False)), "token_customization", "needs feature_plan 'essentials' or 'plus'"),
    ("client-credentials claims (V3) on lite", then(tokens(client_credentials_claims={"tenant": "acme"}), lambda r: pool(r).update(feature_plan="lite"), lambda r: spa(r).update(refresh_token_rotation=False)), "token_customization", "V2_0/V3_0) needs feature_plan 'essentials' or 'plus'"),
    ("scopes for an unknown group", tokens(group_scopes={"admins": ["api/admin"], "root": ["api/admin"]}), "token_customization.group_scopes", "['root'] are not user_pool.groups"),
    ("undefined scope", tokens(group_scopes={"admins": ["api/admin", "api/delete"]}), "token_customization.group_scopes", "['api/delete'] are not resource-server scopes"),
    ("admin group not mapped to the admin scope", tokens(group_scopes={"users": ["api/admin"]}), "token_customization.group_scopes", "map api.admin_group 'admins' to 'api/admin'"),
    ("group with no scopes", tokens(group_scopes={"admins": ["api/admin"], "users": []}), "token_customization.group_scopes", "at least one scope"),
    ("user client lists an earned scope", lambda r: spa(r)["scopes"].append("api/admin"), "clients[0].scopes", "lets any user ask for them"),
    ("claims without an m2m client", then(tokens(client_credentials_claims={"tenant": "acme"}), lambda r: r["clients"].pop(1)), "token_customization.client_credentials_claims", "no m2m client"),
    ("reserved claim", tokens(client_credentials_claims={"sub": "someone"}), "token_customization.client_credentials_claims", "Cognito reserves this claim"),
    ("cognito claim", tokens(client_credentials_claims={"cognito:groups": "admins"}), "token_customization.client_credentials_claims", "Cognito reserves"),
]  # fmt: skip


@pytest.mark.parametrize(("case", "edit", "field", "reason"), CASES, ids=[c[0] for c in CASES])
def test_sign_in_constraint(
    refused: Refused, case: str, edit: Callable[[Raw], None], field: str, reason: str
) -> None:
    refused(case, edit, field, reason)


VALID: list[tuple[str, Callable[[Raw], None]]] = [
    ("email codes and passkeys on the hosted domain", factors("password", "email_otp", "passkey", relying_party_id=HOSTED)),
    ("passkeys on a choice-based client's app domain", then(factors("password", "passkey", relying_party_id="app.example.com"), lambda r: spa(r)["callback_urls"].append("https://app.example.com/callback"))),
    ("passkeys only, with email recovery", factors("password", "passkey", relying_party_id=HOSTED)),
    ("sms codes with a role the project creates", then(factors("password", "sms_otp"), lambda r: pool(r).update(sms={}, standard_attributes={"email": {"required": True}, "phone_number": {}}))),
    ("claims for machines", tokens(client_credentials_claims={"tenant": "acme", "org:unit": "billing"})),
]  # fmt: skip


@pytest.mark.parametrize(("case", "edit"), VALID, ids=[c[0] for c in VALID])
def test_valid_sign_in_combinations_load(
    write_config: WriteConfig, load: Callable[..., EnvironmentConfig], case: str, edit: Callable[[Raw], None]
) -> None:
    write_config(edit)
    assert load().name == "bad"

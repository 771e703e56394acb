"""Models for modern sign-in: the pool's first factors (choice-based sign-in), passkeys, text messages,
and the pre token generation trigger that customizes tokens.

Rules that need other parts of the environment (the domain, the clients, the groups, the plan) are in
``cdk_app.config.rules.sign_in``; the rules here need only the model itself.
"""

from __future__ import annotations

import re
from typing import Annotated, Literal, Self

from pydantic import Field, StringConstraints, field_validator, model_validator

from cdk_app.config.base import NOT_A_SECRET_NAME, AwsRegion, Frozen, LogRetentionDays
from cdk_app.config.domain import DomainName

# Cognito's names: PASSWORD, EMAIL_OTP, SMS_OTP, WEB_AUTHN.
FirstFactor = Literal["password", "email_otp", "sms_otp", "passkey"]
PASSWORDLESS: frozenset[str] = frozenset({"email_otp", "sms_otp", "passkey"})
ONE_TIME_CODES: frozenset[str] = frozenset({"email_otp", "sms_otp"})

# Claims Cognito reserves in access tokens: a pre token generation trigger cannot add or override them
# (developer guide, "Pre token generation Lambda trigger"), and Cognito fails the sign-in if it tries.
RESERVED_CLAIMS = frozenset(
    {
        "acr", "amr", "aud", "auth_time", "azp", "client_id", "event_id", "exp", "iat", "identities",
        "iss", "jti", "nbf", "nonce", "origin_jti", "scope", "sub", "token_use", "username", "version",
    }
)  # fmt: skip
_CLAIM_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_:.-]{0,63}")
# The admin route's scope, on api.scope_server, when the trigger is on (EnvironmentConfig.admin_scope).
ADMIN_SCOPE_NAME = "admin"
_ROLE_ARN = r"^arn:aws[a-z-]*:iam::\d{12}:role/[\w+=,.@/-]{1,512}$"


class PasskeyConfig(Frozen):
    """Passkeys (WebAuthn): which domain they are bound to, and whether the device must verify the user."""

    # CDK's user pool refuses a relying party ID longer than 63 characters.
    relying_party_id: Annotated[DomainName, StringConstraints(max_length=63)] = Field(
        description="The domain passkeys are registered for: the hosted sign-in domain (prefix host or "
        "custom domain), or with a prefix domain the host of a choice-based client's callback URL. "
        "Changing it later breaks every registered passkey."
    )
    user_verification: Literal["preferred", "required"] = Field(
        default="preferred",
        description="`required`: only passkeys that verify the user (biometrics, PIN) register and sign in.",
    )


class SignInPolicyConfig(Frozen):
    """The first factors users may choose from (choice-based sign-in, ``ALLOW_USER_AUTH`` clients)."""

    first_factors: tuple[FirstFactor, ...] = Field(
        default=("password",),
        min_length=1,
        description="What a user may sign in with first: `password` (always: CDK requires it), "
        "`email_otp`, `sms_otp`, `passkey`. Anything beyond `password` needs feature_plan essentials "
        "or plus and a client with choice_based_sign_in.",
    )
    passkeys: PasskeyConfig | None = Field(
        default=None, description="Passkey settings; required exactly when first_factors lists `passkey`."
    )

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        if len(set(self.first_factors)) != len(self.first_factors):
            raise ValueError("first_factors: must not repeat")
        if "password" not in self.first_factors:
            raise ValueError(
                "first_factors: must include 'password': CDK's user pool refuses a sign-in policy without "
                "it. Users who have no password (they signed up with a passkey or a code) are simply never "
                "asked for one"
            )
        if "passkey" in self.first_factors and self.passkeys is None:
            raise ValueError("passkeys: 'passkey' is in first_factors, so say which relying_party_id it uses")
        if "passkey" not in self.first_factors and self.passkeys is not None:
            raise ValueError("passkeys: give it only when first_factors lists 'passkey'")
        return self

    @property
    def passwordless(self) -> tuple[str, ...]:
        """The first factors other than a password, in the order given."""
        return tuple(f for f in self.first_factors if f in PASSWORDLESS)


class SmsConfig(Frozen):
    """How the pool sends text messages (Amazon SNS): through a role it assumes, created here by default."""

    role_arn: Annotated[str, StringConstraints(pattern=_ROLE_ARN)] | None = Field(
        default=None,
        description="An existing role Cognito assumes to publish SMS. Default: the project creates one "
        "that may only sns:Publish, trusted by this pool only.",
    )
    external_id: Annotated[str, StringConstraints(min_length=1, max_length=1224)] | None = Field(
        default=None, description="The external ID the existing role's trust policy expects (with role_arn)."
    )
    sns_region: AwsRegion | None = Field(
        default=None, description="Where SNS sends from; default: the pool's."
    )

    @model_validator(mode="after")
    def _role_and_external_id(self) -> Self:
        if (self.role_arn is None) != (self.external_id is None):
            raise ValueError(
                "give role_arn and external_id together, or neither (the project creates a role)"
            )
        return self


ClaimName = Annotated[str, StringConstraints(min_length=1, max_length=64), NOT_A_SECRET_NAME]
ClaimValue = Annotated[str, StringConstraints(min_length=1, max_length=256)]
GroupName = Annotated[str, StringConstraints(pattern=r"^[\w+=,.@-]{1,128}$")]
ScopeName = Annotated[str, StringConstraints(pattern=r"^\S+/[^\s/]+$")]


class TokenCustomizationConfig(Frozen):
    """A pre token generation trigger (a Lambda with its own role) that customizes access tokens.

    Version ``V2_0`` customizes users' tokens; with ``client_credentials_claims`` it is ``V3_0``, which
    Cognito also runs (and bills) for every client-credentials token. Both need feature_plan essentials
    or plus.
    """

    group_scopes: dict[GroupName, tuple[ScopeName, ...]] = Field(
        default_factory=dict,
        description="Scopes added to the access token of members of each group (e.g. `admins: "
        "[api/admin]`); removed from everyone else's. Must map api.admin_group to "
        "`<api.scope_server>/admin`.",
    )
    client_credentials_claims: dict[ClaimName, ClaimValue] = Field(
        default_factory=dict,
        description="Claims added to every client-credentials (m2m) access token, e.g. `tenant: acme` "
        "(turns the trigger into V3_0).",
    )
    log_retention_days: LogRetentionDays = 30

    @field_validator("client_credentials_claims")
    @classmethod
    def _claim_names(cls, claims: dict[str, str]) -> dict[str, str]:
        for name in claims:
            if not _CLAIM_NAME.fullmatch(name):
                raise ValueError(
                    f"{name!r}: a claim name starts with a letter, then letters, digits, _ : . -"
                )
            if name in RESERVED_CLAIMS or name.startswith("cognito:"):
                raise ValueError(
                    f"{name!r}: Cognito reserves this claim (and every cognito: claim); a trigger that sets "
                    "it fails the token request"
                )
        return claims

    @field_validator("group_scopes")
    @classmethod
    def _scopes_listed(cls, mapping: dict[str, tuple[str, ...]]) -> dict[str, tuple[str, ...]]:
        for group, scopes in mapping.items():
            if not scopes:
                raise ValueError(f"{group!r}: list at least one scope, or leave the group out")
            if len(set(scopes)) != len(scopes):
                raise ValueError(f"{group!r}: scopes must not repeat")
        return mapping

    @property
    def lambda_version(self) -> Literal["V2_0", "V3_0"]:
        """``V3_0`` when client-credentials tokens get claims, else ``V2_0`` (users' tokens only)."""
        return "V3_0" if self.client_credentials_claims else "V2_0"

    @property
    def mapped_scopes(self) -> frozenset[str]:
        """Every scope some group earns: only the trigger may put these in a token."""
        return frozenset(s for scopes in self.group_scopes.values() for s in scopes)

"""Models for the user pool itself: sign-in, attributes, password, MFA, plan, groups, protection."""

from __future__ import annotations

from typing import Annotated, Literal, Self

from pydantic import Field, StringConstraints, field_validator, model_validator

from cdk_app.config import sign_in_rules
from cdk_app.config.base import AwsRegion, Frozen
from cdk_app.config.risk_response import RiskResponseConfig
from cdk_app.config.sign_in import SignInPolicyConfig, SmsConfig

SignInIdentifier = Literal["email", "username", "phone"]
MfaFactor = Literal["totp", "sms", "email"]
FeaturePlan = Literal["lite", "essentials", "plus"]

# The standard OIDC attributes Cognito knows (developer guide, "User pool attributes").
STANDARD_ATTRIBUTES = frozenset(
    {
        "address", "birthdate", "email", "family_name", "gender", "given_name", "locale",
        "middle_name", "name", "nickname", "phone_number", "picture", "preferred_username",
        "profile", "zoneinfo", "updated_at", "website",
    }
)  # fmt: skip


class SignInConfig(Frozen):
    """How users identify themselves. Immutable after the pool is created."""

    identifiers: tuple[SignInIdentifier, ...] = Field(default=("email",), min_length=1)
    case_sensitive: bool = False

    @model_validator(mode="after")
    def _unique(self) -> Self:
        if len(set(self.identifiers)) != len(self.identifiers):
            raise ValueError("identifiers must not repeat")
        return self


class StandardAttributeConfig(Frozen):
    required: bool = False
    mutable: bool = True


class CustomAttributeConfig(Frozen):
    """A ``custom:<name>`` attribute. Cognito can never remove one once created."""

    type: Literal["string", "number", "boolean", "datetime"] = "string"
    mutable: bool = True
    min_length: Annotated[int, Field(ge=0, le=2048)] | None = None
    max_length: Annotated[int, Field(ge=1, le=2048)] | None = None
    min_value: int | None = None
    max_value: int | None = None

    @model_validator(mode="after")
    def _constraints_fit_type(self) -> Self:
        if self.type != "string" and (self.min_length is not None or self.max_length is not None):
            raise ValueError("min_length/max_length apply only to type 'string'")
        if self.type != "number" and (self.min_value is not None or self.max_value is not None):
            raise ValueError("min_value/max_value apply only to type 'number'")
        if self.min_length is not None and self.max_length is not None and self.min_length > self.max_length:
            raise ValueError("min_length must not exceed max_length")
        return self


class SesConfig(Frozen):
    """Send email through a verified SES identity instead of Cognito's limited default sender."""

    from_email: Annotated[str, StringConstraints(pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$")]
    from_name: str | None = None
    reply_to: Annotated[str, StringConstraints(pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$")] | None = None
    configuration_set: str | None = None
    ses_region: AwsRegion | None = None
    verified_domain: str | None = None


class EmailConfig(Frozen):
    ses: SesConfig | None = None


class PasswordPolicyConfig(Frozen):
    """Defaults are the floor: a config may make the policy stronger, never weaker."""

    min_length: Annotated[int, Field(ge=8, le=99)] = 8
    require_lowercase: Literal[True] = True
    require_uppercase: Literal[True] = True
    require_digits: Literal[True] = True
    require_symbols: Literal[True] = True
    temp_password_validity_days: Annotated[int, Field(ge=1, le=7)] = 3
    # Essentials/Plus only: how many previous passwords may not be reused (0 = off).
    prevent_reuse: Annotated[int, Field(ge=0, le=24)] = 0


class MfaConfig(Frozen):
    mode: Literal["off", "optional", "required"] = "optional"
    factors: tuple[MfaFactor, ...] = ("totp",)

    @model_validator(mode="after")
    def _factors_match_mode(self) -> Self:
        if self.mode == "off" and self.factors:
            raise ValueError("factors must be empty when mode is 'off'")
        if self.mode != "off" and not self.factors:
            raise ValueError(f"mode '{self.mode}' needs at least one factor")
        if len(set(self.factors)) != len(self.factors):
            raise ValueError("factors must not repeat")
        return self


class ThreatProtectionConfig(Frozen):
    """Cognito threat protection (formerly advanced security). Needs the Plus plan."""

    standard_auth: Literal["off", "audit", "enforced"] = "off"
    custom_auth: Literal["off", "audit", "enforced"] = "off"
    risk_response: RiskResponseConfig = RiskResponseConfig()


class GroupConfig(Frozen):
    name: Annotated[str, StringConstraints(pattern=r"^[\w+=,.@-]{1,128}$")]
    description: Annotated[str, StringConstraints(max_length=2048)] | None = None
    precedence: Annotated[int, Field(ge=0, le=2_147_483_647)] | None = None

    # The API's rule: API Gateway hands the function a user's groups as one string, joined with
    # "," (REST) or as "[a b]"; a name holding a separator or bracket could be read as other groups. The
    # pattern already excludes whitespace and brackets; this refuses the comma. The function's parser:
    # functions/api/caller.py, parse_groups.
    @field_validator("name")
    @classmethod
    def _unambiguous_in_groups_claim(cls, name: str) -> str:
        if "," in name:
            raise ValueError(
                f"{name!r}: a group name cannot contain ',': API Gateway passes a user's groups to the "
                "function joined with commas, so it would read as several groups"
            )
        return name


class UserPoolConfig(Frozen):
    """Everything about the pool. Several fields are immutable after creation; see docs/configuration.md."""

    sign_in: SignInConfig = SignInConfig()
    sign_in_policy: SignInPolicyConfig = Field(
        default=SignInPolicyConfig(),
        description="Choice-based sign-in: the first factors users may pick (passwords, one-time codes, "
        "passkeys). See docs/passkeys-and-passwordless.md.",
    )
    self_sign_up: bool = False
    standard_attributes: dict[str, StandardAttributeConfig] = Field(
        default_factory=lambda: {"email": StandardAttributeConfig(required=True)}
    )
    custom_attributes: dict[
        Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9_]{1,20}$")], CustomAttributeConfig
    ] = Field(default_factory=dict)
    account_recovery: Literal[
        "email_only", "phone_only_without_mfa", "email_and_phone_without_mfa",
        "phone_without_mfa_and_email", "none",
    ] = "email_only"  # fmt: skip
    email: EmailConfig = EmailConfig()
    sms: SmsConfig | None = Field(
        default=None, description="Text messages through Amazon SNS; needed for sms_otp sign-in codes."
    )
    password_policy: PasswordPolicyConfig = PasswordPolicyConfig()
    mfa: MfaConfig = MfaConfig()
    feature_plan: FeaturePlan = "essentials"
    threat_protection: ThreatProtectionConfig = ThreatProtectionConfig()
    groups: tuple[GroupConfig, ...] = ()
    deletion_protection: bool = True
    removal_policy: Literal["retain", "destroy"] = "retain"

    @model_validator(mode="after")
    def _check(self) -> Self:
        unknown = sorted(set(self.standard_attributes) - STANDARD_ATTRIBUTES)
        if unknown:
            raise ValueError(
                f"standard_attributes: unknown attribute(s) {unknown}; "
                f"choose from {sorted(STANDARD_ATTRIBUTES)}"
            )
        tp = self.threat_protection
        if (tp.standard_auth != "off" or tp.custom_auth != "off") and self.feature_plan != "plus":
            raise ValueError(
                f"threat_protection: needs feature_plan 'plus' (this pool is '{self.feature_plan}'); "
                "Cognito rejects the deploy otherwise"
            )
        if "email" in self.mfa.factors:
            if self.feature_plan == "lite":
                raise ValueError("mfa.factors: email MFA needs feature_plan 'essentials' or 'plus'")
            if self.email.ses is None:
                raise ValueError(
                    "mfa.factors: email MFA needs email.ses: Cognito's default sender cannot send codes"
                )
        self._check_recovery_with_email_mfa()
        if tp.risk_response != RiskResponseConfig() and not self.threat_protection_active:
            raise ValueError(
                "threat_protection.risk_response: applies only with threat protection on (feature_plan "
                "'plus' and standard_auth or custom_auth not 'off')"
            )
        if self.password_policy.prevent_reuse and self.feature_plan == "lite":
            raise ValueError("password_policy.prevent_reuse: needs feature_plan 'essentials' or 'plus'")
        names = [g.name for g in self.groups]
        if len(set(names)) != len(names):
            raise ValueError("groups: names must be unique")
        sign_in_rules.check_pool(self)
        return self

    def _check_recovery_with_email_mfa(self) -> None:
        # Cognito never sends a password-reset code to an address that is also the user's MFA factor, so
        # a user who picked email MFA needs another recovery channel, or has no self-service reset.
        if "email" not in self.mfa.factors or self.account_recovery == "none":
            return
        has_phone = "phone" in self.sign_in.identifiers or "phone_number" in self.standard_attributes
        if self.account_recovery == "email_only" or not has_phone:
            raise ValueError(
                f"account_recovery: {self.account_recovery!r} with email in mfa.factors leaves users who "
                "chose email MFA without a password reset (Cognito does not send recovery codes to an "
                "email that is an MFA factor). Drop 'email' from mfa.factors, or recover by phone "
                "('email_and_phone_without_mfa' or 'phone_without_mfa_and_email', with phone_number "
                "collected), or set 'none' so administrators reset passwords"
            )

    @property
    def threat_protection_active(self) -> bool:
        """Threat protection scores sign-ins (Plus plan, audit or enforced): risk metrics and logs exist."""
        tp = self.threat_protection
        return self.feature_plan == "plus" and (tp.standard_auth != "off" or tp.custom_auth != "off")

    @property
    def attribute_names(self) -> frozenset[str]:
        """Every attribute a mapping may target: standard names and ``custom:<name>``."""
        return STANDARD_ATTRIBUTES | {f"custom:{n}" for n in self.custom_attributes}

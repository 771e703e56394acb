"""Models for the user pool itself: sign-in, attributes, password, MFA, plan, groups, protection.

What a feature needs from the plan or from another part of the pool (threat protection needs
``plus``, email MFA needs SES, ...) is a rule across keys: ``cdk_app.config.rules.pool``.
"""

from __future__ import annotations

from typing import Annotated, Literal, Self

from pydantic import Field, StringConstraints, field_validator, model_validator

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
    factors: tuple[MfaFactor, ...] = Field(
        default=("totp",), description="Default: `[totp]`; none when mode is `off`."
    )

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
    deletion_protection: bool = Field(
        default=True, description="Default: on; off when removal_policy is `destroy`, which it would block."
    )
    removal_policy: Literal["retain", "destroy"] = "retain"

    @field_validator("standard_attributes")
    @classmethod
    def _standard_names(
        cls, attributes: dict[str, StandardAttributeConfig]
    ) -> dict[str, StandardAttributeConfig]:
        unknown = sorted(set(attributes) - STANDARD_ATTRIBUTES)
        if unknown:
            raise ValueError(f"unknown attribute(s) {unknown}; choose from {sorted(STANDARD_ATTRIBUTES)}")
        return attributes

    @field_validator("groups")
    @classmethod
    def _unique_groups(cls, groups: tuple[GroupConfig, ...]) -> tuple[GroupConfig, ...]:
        if len({g.name for g in groups}) != len(groups):
            raise ValueError("names must be unique")
        return groups

    @property
    def threat_protection_active(self) -> bool:
        """Threat protection scores sign-ins (Plus plan, audit or enforced): risk metrics and logs exist."""
        tp = self.threat_protection
        return self.feature_plan == "plus" and (tp.standard_auth != "off" or tp.custom_auth != "off")

    @property
    def attribute_names(self) -> frozenset[str]:
        """Every attribute a mapping may target: standard names and ``custom:<name>``."""
        return STANDARD_ATTRIBUTES | {f"custom:{n}" for n in self.custom_attributes}

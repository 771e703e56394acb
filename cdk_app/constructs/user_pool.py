"""The Cognito user pool, with secure defaults taken from (validated) config."""

from __future__ import annotations

import aws_cdk as cdk
from aws_cdk import aws_cognito as cognito
from aws_cdk import aws_iam as iam
from constructs import Construct

from cdk_app.config.user_pool import CustomAttributeConfig, UserPoolConfig
from cdk_app.constructs import nag

_RECOVERY = {
    "email_only": cognito.AccountRecovery.EMAIL_ONLY,
    "phone_only_without_mfa": cognito.AccountRecovery.PHONE_ONLY_WITHOUT_MFA,
    "email_and_phone_without_mfa": cognito.AccountRecovery.EMAIL_AND_PHONE_WITHOUT_MFA,
    "phone_without_mfa_and_email": cognito.AccountRecovery.PHONE_WITHOUT_MFA_AND_EMAIL,
    "none": cognito.AccountRecovery.NONE,
}
_VERIFICATION = {
    "preferred": cognito.PasskeyUserVerification.PREFERRED,
    "required": cognito.PasskeyUserVerification.REQUIRED,
}
_MFA = {"off": cognito.Mfa.OFF, "optional": cognito.Mfa.OPTIONAL, "required": cognito.Mfa.REQUIRED}
_PLAN = {
    "lite": cognito.FeaturePlan.LITE,
    "essentials": cognito.FeaturePlan.ESSENTIALS,
    "plus": cognito.FeaturePlan.PLUS,
}
_STANDARD_TP = {
    "off": cognito.StandardThreatProtectionMode.NO_ENFORCEMENT,
    "audit": cognito.StandardThreatProtectionMode.AUDIT_ONLY,
    "enforced": cognito.StandardThreatProtectionMode.FULL_FUNCTION,
}
_CUSTOM_TP = {
    "audit": cognito.CustomThreatProtectionMode.AUDIT_ONLY,
    "enforced": cognito.CustomThreatProtectionMode.FULL_FUNCTION,
}
# CDK's StandardAttributes uses camelCase names for a few OIDC attributes.
_STANDARD_NAMES = {
    "family_name": "family_name",
    "given_name": "given_name",
    "middle_name": "middle_name",
    "phone_number": "phone_number",
    "preferred_username": "preferred_username",
    "updated_at": "last_update_time",
    "picture": "profile_picture",
    "profile": "profile_page",
    "zoneinfo": "timezone",
    "name": "fullname",
    "birthdate": "birthdate",
}


class SsoUserPool(Construct):
    """A user pool whose CloudFormation logical ID is this construct's ID.

    The logical ID *is* the pool's identity: a new one makes CloudFormation create a new, empty pool
    and orphan (RETAIN) or delete the old one with every user in it. Pinning it to the construct ID
    keeps it readable and independent of where the construct sits in the tree; a test pins it.
    """

    def __init__(self, scope: Construct, construct_id: str, *, config: UserPoolConfig) -> None:
        super().__init__(scope, construct_id)
        tp = config.threat_protection
        passkeys = config.sign_in_policy.passkeys
        sms = config.sms
        self.pool = cognito.UserPool(
            self,
            "Resource",
            sign_in_aliases=_sign_in_aliases(config),
            sign_in_case_sensitive=config.sign_in.case_sensitive,
            sign_in_policy=_sign_in_policy(config),
            passkey_relying_party_id=passkeys.relying_party_id if passkeys else None,
            passkey_user_verification=_VERIFICATION[passkeys.user_verification] if passkeys else None,
            auto_verify=_auto_verify(config),
            keep_original=_keep_original(config),
            self_sign_up_enabled=config.self_sign_up,
            standard_attributes=self._standard_attributes(config),
            custom_attributes={n: _custom_attribute(c) for n, c in config.custom_attributes.items()},
            account_recovery=_RECOVERY[config.account_recovery],
            email=self._email(config),
            password_policy=_password_policy(config),
            mfa=_MFA[config.mfa.mode],
            mfa_second_factor=_mfa_second_factor(config),
            feature_plan=_PLAN[config.feature_plan],
            standard_threat_protection_mode=(
                _STANDARD_TP[tp.standard_auth] if config.feature_plan == "plus" else None
            ),
            custom_threat_protection_mode=_CUSTOM_TP.get(tp.custom_auth),
            enable_sms_role=True if sms is not None and sms.role_arn is None else None,
            sms_role=(
                iam.Role.from_role_arn(self, "SmsRole", sms.role_arn, mutable=False)
                if sms is not None and sms.role_arn is not None
                else None
            ),
            sms_role_external_id=sms.external_id if sms is not None else None,
            sns_region=sms.sns_region if sms is not None else None,
            deletion_protection=config.deletion_protection,
            removal_policy=(
                cdk.RemovalPolicy.RETAIN if config.removal_policy == "retain" else cdk.RemovalPolicy.DESTROY
            ),
        )
        cfn = self.pool.node.default_child
        assert isinstance(cfn, cognito.CfnUserPool)
        cfn.override_logical_id(construct_id)
        email = cfn.email_configuration
        # The SES identity the pool sends from, for other senders (risk notices) to reuse; None without SES.
        self.ses_identity_arn: str | None = (
            email.source_arn if isinstance(email, cognito.CfnUserPool.EmailConfigurationProperty) else None
        )
        self._acknowledge_weaker_settings(cfn, config)
        self._acknowledge_sms_role()
        self._groups(config)

    def _groups(self, config: UserPoolConfig) -> None:
        for group in config.groups:
            cognito.CfnUserPoolGroup(
                self,
                f"Group{group.name.title().replace('-', '').replace('_', '')}",
                user_pool_id=self.pool.user_pool_id,
                group_name=group.name,
                description=group.description,
                precedence=group.precedence,
            )

    def _acknowledge_sms_role(self) -> None:
        """CDK creates an SMS role when SMS is used (SMS MFA, phone sign-in or phone recovery)."""
        sms_role = self.pool.node.try_find_child("smsRole")
        if sms_role is None:
            return
        role = sms_role.node.default_child
        assert role is not None
        nag.acknowledge(
            role,
            "AwsSolutions-IAM5[Resource::*]",
            "Cognito's SMS role may only sns:Publish, and SNS cannot scope publishing to phone numbers by "
            "resource ARN (direct SMS has no topic), so '*' is the only valid Resource; the role trusts "
            "cognito-idp.amazonaws.com only, with this pool's external ID.",
        )

    @staticmethod
    def _acknowledge_weaker_settings(cfn: cognito.CfnUserPool, config: UserPoolConfig) -> None:
        # Only reachable outside production: the config models refuse these settings there.
        if config.mfa.mode != "required":
            nag.acknowledge(
                cfn,
                "AwsSolutions-COG2",
                f"user_pool.mfa.mode is '{config.mfa.mode}' in this non-production environment's "
                "config; production config is validated to require MFA.",
            )
        if config.feature_plan != "plus" or config.threat_protection.standard_auth != "enforced":
            nag.acknowledge(
                cfn,
                "AwsSolutions-COG8",
                f"feature_plan '{config.feature_plan}' without enforced threat protection is chosen "
                "for cost in this non-production environment; production config is validated to "
                "use Plus with enforced threat protection.",
            )

    @staticmethod
    def _standard_attributes(config: UserPoolConfig) -> cognito.StandardAttributes:
        kwargs = {
            _STANDARD_NAMES.get(name, name): cognito.StandardAttribute(required=a.required, mutable=a.mutable)
            for name, a in config.standard_attributes.items()
        }
        return cognito.StandardAttributes(**kwargs)

    @staticmethod
    def _email(config: UserPoolConfig) -> cognito.UserPoolEmail:
        ses = config.email.ses
        if ses is None:
            return cognito.UserPoolEmail.with_cognito()
        return cognito.UserPoolEmail.with_ses(
            from_email=ses.from_email,
            from_name=ses.from_name,
            reply_to=ses.reply_to,
            configuration_set_name=ses.configuration_set,
            ses_region=ses.ses_region,
            ses_verified_domain=ses.verified_domain,
        )


def _sign_in_aliases(config: UserPoolConfig) -> cognito.SignInAliases:
    identifiers = set(config.sign_in.identifiers)
    return cognito.SignInAliases(
        username="username" in identifiers, email="email" in identifiers, phone="phone" in identifiers
    )


def _auto_verify(config: UserPoolConfig) -> cognito.AutoVerifiedAttrs:
    identifiers = set(config.sign_in.identifiers)
    return cognito.AutoVerifiedAttrs(
        email="email" in identifiers or "email" in config.standard_attributes,
        # A one-time code goes to a verified number only.
        phone="phone" in identifiers or "sms_otp" in config.sign_in_policy.first_factors,
    )


def _keep_original(config: UserPoolConfig) -> cognito.KeepOriginalAttrs:
    """Keep the verified value until the new one is confirmed, so an unverified change cannot lock a
    user out or hijack sign-in."""
    identifiers = set(config.sign_in.identifiers)
    return cognito.KeepOriginalAttrs(email="email" in identifiers, phone="phone" in identifiers)


def _password_policy(config: UserPoolConfig) -> cognito.PasswordPolicy:
    policy = config.password_policy
    return cognito.PasswordPolicy(
        min_length=policy.min_length,
        require_lowercase=True,
        require_uppercase=True,
        require_digits=True,
        require_symbols=True,
        temp_password_validity=cdk.Duration.days(policy.temp_password_validity_days),
        password_history_size=policy.prevent_reuse or None,
    )


def _mfa_second_factor(config: UserPoolConfig) -> cognito.MfaSecondFactor | None:
    if config.mfa.mode == "off":
        return None
    factors = config.mfa.factors
    return cognito.MfaSecondFactor(otp="totp" in factors, sms="sms" in factors, email="email" in factors)


def _sign_in_policy(config: UserPoolConfig) -> cognito.SignInPolicy | None:
    """The first factors, always written out on Essentials and Plus.

    Written even when it is only the password, because a policy dropped from the template is not reset:
    CloudFormation's update leaves Cognito's policy as it was (change_review flags such a removal). Lite
    pools cannot have a sign-in policy beyond the password, so there it is left out.
    """
    if config.feature_plan == "lite":
        return None
    factors = set(config.sign_in_policy.first_factors)
    return cognito.SignInPolicy(
        allowed_first_auth_factors=cognito.AllowedFirstAuthFactors(
            password=True,
            email_otp="email_otp" in factors,
            sms_otp="sms_otp" in factors,
            passkey="passkey" in factors,
        )
    )


def _custom_attribute(config: CustomAttributeConfig) -> cognito.ICustomAttribute:
    if config.type == "string":
        return cognito.StringAttribute(
            min_len=config.min_length, max_len=config.max_length, mutable=config.mutable
        )
    if config.type == "number":
        return cognito.NumberAttribute(min=config.min_value, max=config.max_value, mutable=config.mutable)
    if config.type == "boolean":
        return cognito.BooleanAttribute(mutable=config.mutable)
    return cognito.DateTimeAttribute(mutable=config.mutable)

"""Models for recovery and hardening: the key production logs are encrypted with, the scheduled user
export and the scheduled certificate check. Tier rules (``cdk_app.config.rules.tiers``) say what
production requires of them."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, StringConstraints

from cdk_app.config.base import Frozen

KmsKeyArn = Annotated[
    str,
    StringConstraints(pattern=r"^arn:aws[a-z-]*:kms:[a-z]{2}(-gov)?-[a-z]+-\d:\d{12}:key/[0-9a-fA-F-]{36}$"),
]
# EventBridge Scheduler expressions: rate(...) or cron(...) with six fields.
ScheduleExpression = Annotated[
    str, StringConstraints(pattern=r"^(rate\(\d+ (minutes?|hours?|days?)\)|cron\(\S+( \S+){5}\))$")
]


class LogsConfig(Frozen):
    """How the environment's log groups are encrypted at rest."""

    kms: Literal["managed", "off"] | KmsKeyArn = Field(
        default="off",
        description="`managed`: a customer-managed key per stack, rotation on, that only CloudWatch Logs may "
        "use, for this stack's log groups only. A key ARN: that existing key (its policy must let CloudWatch "
        "Logs use it). `off`: CloudWatch Logs' own encryption. Production requires a key.",
    )

    @property
    def encrypted(self) -> bool:
        return self.kms != "off"


class BackupConfig(Frozen):
    """A scheduled export of every user of the pool (the `make export-users` format) to a private bucket."""

    enabled: bool = Field(default=False, description="On in production (a tier rule).")
    retention_days: Annotated[int, Field(ge=1, le=3650)] = Field(
        default=35, description="Days an export file (and each noncurrent version) is kept."
    )
    schedule: ScheduleExpression = Field(
        default="rate(1 day)", description="EventBridge Scheduler expression."
    )


class CertificateCheckConfig(Frozen):
    """A daily check of the SAML providers' signing certificates that alarms before one expires."""

    enabled: bool = Field(default=False, description="On in production (a tier rule).")
    warning_days: Annotated[int, Field(ge=1, le=365)] = Field(
        default=30, description="Alarm when a signing certificate has this many days or fewer left."
    )

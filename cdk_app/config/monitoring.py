"""Models for detection and alerting: where alarms go, their thresholds, and Cognito's log retention."""

from __future__ import annotations

from typing import Annotated, Self

from pydantic import Field, StringConstraints, model_validator

from cdk_app.config.base import Frozen, LogRetentionDays

EmailAddress = Annotated[str, StringConstraints(pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$", max_length=254)]
# An existing SNS topic (standard, not FIFO: CloudWatch alarms cannot publish to FIFO topics).
TopicArn = Annotated[
    str,
    StringConstraints(pattern=r"^arn:aws[a-z-]*:sns:[a-z]{2}(-gov)?-[a-z]+-\d:\d{12}:[A-Za-z0-9_-]{1,256}$"),
]


class AlertsConfig(Frozen):
    """Where alarms are sent: email addresses subscribed to a topic this project creates, and/or
    existing topics (your paging or chat integration) that alarms publish to directly."""

    emails: tuple[EmailAddress, ...] = Field(
        default=(), max_length=10, description="Subscribed to the alert topic; each must confirm by email."
    )
    topic_arns: tuple[TopicArn, ...] = Field(
        default=(),
        max_length=4,
        description="Existing SNS topics alarms also publish to; their policy must let CloudWatch publish.",
    )

    @model_validator(mode="after")
    def _unique(self) -> Self:
        for field in ("emails", "topic_arns"):
            values: tuple[str, ...] = getattr(self, field)
            if len({v.lower() for v in values}) != len(values):
                raise ValueError(f"{field}: must not repeat")
        return self

    @property
    def has_destination(self) -> bool:
        return bool(self.emails or self.topic_arns)


class AlarmThresholdsConfig(Frozen):
    """Each alarm fires when its 5-minute sum (latency: p99) reaches the threshold."""

    function_errors: Annotated[int, Field(ge=1)] = 1
    function_throttles: Annotated[int, Field(ge=1)] = 1
    api_5xx_errors: Annotated[int, Field(ge=1)] = 5
    # API Gateway gives up after 29 s, so a p99 above that can never be measured.
    api_latency_p99_ms: Annotated[int, Field(ge=100, le=29_000)] = 5000
    waf_blocked_requests: Annotated[int, Field(ge=1)] = 200
    high_risk_sign_ins: Annotated[int, Field(ge=1)] = 1
    compromised_credential_sign_ins: Annotated[int, Field(ge=1)] = 1


class MonitoringConfig(Frozen):
    """Alarms on the API, the function, the web ACLs and Cognito's threat protection; Cognito's logs.

    Alarms always exist (they show in the CloudWatch console); they notify only when ``alerts`` names a
    destination, which production must.
    """

    alerts: AlertsConfig = AlertsConfig()
    alarms: AlarmThresholdsConfig = AlarmThresholdsConfig()
    sign_in_logs: bool = Field(
        default=True,
        description=(
            "Export Cognito's logs (AWS::Cognito::LogDeliveryConfiguration) to CloudWatch Logs. Required "
            "in production; the local emulator has no provisioner for it, so off by default there "
            "(deploy_target `emulator`)."
        ),
    )
    sign_in_log_retention_days: LogRetentionDays = Field(
        default=90,
        description="Retention of Cognito's exported logs: message-delivery errors and (Plus) user activity.",
    )

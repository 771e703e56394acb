"""The scheduled check of the pool's SAML signing certificates; the entry point is ``handler.handler``.

Each run lists the pool's identity providers and, for every SAML one, reads the metadata Cognito
works from (``DescribeIdentityProvider``: its ``MetadataURL`` fetched when it has one, since Cognito
refreshes from it, else its ``MetadataFile``), then checks each signing certificate with
``signing_certificates.check_metadata``: the check ``make idp-check`` and the config run too.

What it reports, per SAML provider: one log line (INFO when valid, WARNING inside the warning window,
ERROR when a certificate has expired or the metadata cannot be read or fetched) and the metric
``SigningCertificateDaysLeft`` (dimensions ``service`` and ``Provider``; the soonest expiry). Per run:
``MinimumSigningCertificateDaysLeft`` (the soonest of all; absent when none could be read) and
``ProvidersNeedingAction`` (dimension ``service``).

Guarantees: the run fails (raises ``CertificatesNeedAction``, one line naming every provider that
needs action) when any certificate has expired or is inside the warning window, or any metadata cannot
be read; so the function's ``Errors`` metric alarms ``WARNING_DAYS`` before an expiry, and also when
the check itself cannot do its job. Metrics are flushed either way.

Environment: ``USER_POOL_ID`` (required: a missing one fails the cold start), ``WARNING_DAYS``
(default 30), ``POWERTOOLS_SERVICE_NAME``, ``POWERTOOLS_METRICS_NAMESPACE``. IAM:
``cognito-idp:ListIdentityProviders`` and ``cognito-idp:DescribeIdentityProvider`` on the pool.
"""

from __future__ import annotations

import os
from datetime import UTC, date, datetime
from typing import Any

import boto3
import idp_cert_check_variables as variables
from aws_lambda_powertools import Logger, Metrics, Tracer
from aws_lambda_powertools.metrics import MetricUnit, single_metric
from aws_lambda_powertools.utilities.typing import LambdaContext
from signing_certificates import (
    DEFAULT_WARNING_DAYS,
    ExpiryCheck,
    MetadataError,
    check_metadata,
    fetch_metadata,
)

SAML = "SAML"
DAYS_LEFT = "SigningCertificateDaysLeft"
MINIMUM_DAYS_LEFT = "MinimumSigningCertificateDaysLeft"
NEEDING_ACTION = "ProvidersNeedingAction"


class CertificatesNeedAction(Exception):  # noqa: N818 (the name says what the alarm means)
    """Raised at the end of a run that found a certificate to renew: the invocation counts as an error."""


logger = Logger()
tracer = Tracer()
metrics = Metrics()
USER_POOL_ID = os.environ[variables.USER_POOL_ID]
WARNING_DAYS = int(os.environ.get(variables.WARNING_DAYS, DEFAULT_WARNING_DAYS))
# Created once per execution environment, as boto3 clients should be (the tests stub this one).
COGNITO = boto3.client("cognito-idp")


@logger.inject_lambda_context
@tracer.capture_lambda_handler
@metrics.log_metrics
def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    """Check every SAML provider of the pool; raise ``CertificatesNeedAction`` if one needs action."""
    today = datetime.now(UTC).date()
    checks = [_check(name, today) for name in _saml_providers()]
    for check in checks:
        _report(check)
    needing = [c for c in checks if c.needs_action]
    metrics.add_metric(name=NEEDING_ACTION, unit=MetricUnit.Count, value=len(needing))
    soonest = min((c.days_left for c in checks if c.days_left is not None), default=None)
    if soonest is not None:
        metrics.add_metric(name=MINIMUM_DAYS_LEFT, unit=MetricUnit.Count, value=soonest)
    summary = {"providers": len(checks), "needing_action": [c.provider for c in needing], "soonest": soonest}
    logger.info("Signing certificates checked", extra=summary)
    if needing:
        names = ", ".join(c.provider for c in needing)
        raise CertificatesNeedAction(
            f"{len(needing)} of {len(checks)} SAML provider(s) need new metadata or a new certificate "
            f"within {WARNING_DAYS} days: {names}"
        )
    return summary


def _saml_providers() -> list[str]:
    """The names of the pool's SAML providers (ListIdentityProviders, every page)."""
    names: list[str] = []
    token: str | None = None
    while True:
        page = COGNITO.list_identity_providers(
            UserPoolId=USER_POOL_ID, MaxResults=60, **({"NextToken": token} if token else {})
        )
        names += [p["ProviderName"] for p in page.get("Providers", []) if p.get("ProviderType") == SAML]
        token = page.get("NextToken")
        if not token:
            return names


@tracer.capture_method
def _check(name: str, today: date) -> ExpiryCheck:
    """One provider's certificates: from the URL Cognito refreshes from, else the file it holds."""
    details = COGNITO.describe_identity_provider(UserPoolId=USER_POOL_ID, ProviderName=name)[
        "IdentityProvider"
    ]["ProviderDetails"]
    url, text = details.get("MetadataURL"), details.get("MetadataFile")
    try:
        metadata = fetch_metadata(url) if url else text
    except MetadataError as exc:
        return ExpiryCheck(name, (), error=f"SAML provider {name!r}: its metadata {exc}")
    if not metadata:
        return ExpiryCheck(name, (), error=f"SAML provider {name!r}: Cognito holds no metadata for it")
    return check_metadata(metadata, name, today, WARNING_DAYS)


def _report(check: ExpiryCheck) -> None:
    """One log line and one metric for a provider."""
    certificates = [
        {
            "subject": s.certificate.subject,
            "not_after": s.certificate.not_after.isoformat(),
            "days_left": s.days_left,
        }
        for s in check.certificates
    ]
    extra = {"provider": check.provider, "days_left": check.days_left, "certificates": certificates}
    if check.error:
        logger.error(check.error, extra=extra)
    elif check.warning:
        logger.warning(check.warning, extra=extra)
    else:
        logger.info(f"SAML provider {check.provider!r}: signing certificates valid", extra=extra)
    if check.days_left is not None:
        with single_metric(
            name=DAYS_LEFT,
            unit=MetricUnit.Count,
            value=check.days_left,
            namespace=metrics.namespace,
            default_dimensions={"service": metrics.service or "idp-cert-check"},
        ) as metric:
            metric.add_dimension(name="Provider", value=check.provider)

"""Each ``metadata_file`` SAML provider's signing certificates checked on a day (synth time).

The check itself has one home, ``functions/idp_cert_check/signing_certificates.py``; this applies
it to an environment: the rule ``signing_certificates_are_current`` reports the errors, and the
app's main prints the warnings (one line each, on stderr, never an error).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime

from cdk_app.config.environment import EnvironmentConfig
from functions.idp_cert_check.signing_certificates import ExpiryCheck, check_metadata


def today() -> date:
    """Today in UTC, the day certificates are checked on."""
    return datetime.now(UTC).date()


def expiry_checks(env: EnvironmentConfig, on: date | None = None) -> Iterator[tuple[int, ExpiryCheck]]:
    """``(index under identity_providers.saml, check)`` for each provider read from a file."""
    days = env.federation.certificate_warning_days
    for i, saml in enumerate(env.identity_providers.saml):
        if saml.metadata_file is not None:
            yield i, check_metadata(saml.metadata_xml, saml.name, on or today(), days)


def certificate_warnings(env: EnvironmentConfig, on: date | None = None) -> list[str]:
    """One line per provider whose certificate expires inside the warning window, tenants' included
    (their expired certificates are errors of the tenant file, from the same rule)."""
    days = env.federation.certificate_warning_days
    checks = (
        check_metadata(saml.metadata_xml, saml.name, on or today(), days)
        for saml in env.saml_providers
        if saml.metadata_file is not None
    )
    return [f"warning: {env.name}: {c.warning}" for c in checks if c.warning]

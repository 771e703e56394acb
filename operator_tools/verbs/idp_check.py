"""``make idp-check ENV=<env>``: when each SAML provider's signing certificates expire.

Reads every SAML provider's metadata as configured, tenant files' included: the committed
``metadata_file``, or the ``metadata_url`` fetched (https) for an environment whose IdP publishes
it. Prints one line per signing certificate (its subject, expiry date and days left), then one line
per provider that needs action. The check is ``functions/idp_cert_check/signing_certificates.py``,
the same one the scheduled Lambda and the config run.

Guarantees: exit 0 only when every signing certificate is valid beyond the warning window; 1 when any
has expired, expires within it (``--warning-days``, default 30), or a provider's metadata cannot be
read or fetched; 2 for a usage error. Needs no AWS credentials: the config and the IdPs' metadata only.

Usage: ``make idp-check ENV=prod [WARNING_DAYS=30]``, or
``python -m operator_tools.verbs.idp_check --env prod [--warning-days 30]``
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import TextIO

from cdk_app.config.federation import SamlConfig
from functions.idp_cert_check.signing_certificates import (
    DEFAULT_WARNING_DAYS,
    ExpiryCheck,
    MetadataError,
    check_metadata,
    fetch_metadata,
)
from operator_tools.lib.cli import EXIT_FAILED, run_cli
from operator_tools.lib.environment import choose_environment
from operator_tools.lib.errors import UsageError

PROG = "idp-check"
Fetch = Callable[[str], str]


def check_provider(
    saml: SamlConfig, today: date, warning_days: int, fetch: Fetch = fetch_metadata
) -> ExpiryCheck:
    """The provider's certificates checked on ``today``, from its file or its URL (never raises)."""
    if saml.metadata_url is None:
        return check_metadata(saml.metadata_xml, saml.name, today, warning_days)
    try:
        text = fetch(str(saml.metadata_url))
    except MetadataError as exc:
        return ExpiryCheck(saml.name, (), error=f"SAML provider {saml.name!r}: its metadata {exc}")
    return check_metadata(text, saml.name, today, warning_days)


def report(
    env: str,
    providers: tuple[SamlConfig, ...],
    checks: list[ExpiryCheck],
    warning_days: int,
    out: TextIO,
    err: TextIO,
) -> int:
    """Print the certificates and the providers that need action; the exit status."""
    if not providers:
        print(f"{env}: no SAML providers, so no signing certificate to check", file=out)
        return 0
    print(f"{env}: {len(providers)} SAML provider(s), warning window {warning_days} days", file=out)
    width = max(len(p.name) for p in providers)
    for saml, check in zip(providers, checks, strict=True):
        source = f"file {saml.metadata_file}" if saml.metadata_url is None else f"url {saml.metadata_url}"
        print(f"  {saml.name:<{width}}  {source}", file=out)
        for status in check.certificates:
            expiry = status.certificate.not_after.date()
            left = f"{status.days_left} days left" if status.days_left > 0 else "EXPIRED"
            print(
                f"  {'':<{width}}    {status.certificate.subject}: expires {expiry} ({left}, {status.state})",
                file=out,
            )
    needing = [c for c in checks if c.needs_action]
    for check in needing:
        for line in (check.error, check.warning):
            if line:
                print(f"{PROG}: {line}", file=err)
    if needing:
        print(f"{PROG}: {len(needing)} of {len(checks)} SAML provider(s) need action", file=err)
        return EXIT_FAILED
    print(f"every signing certificate is valid for more than {warning_days} days", file=out)
    return 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=PROG, description="When each SAML provider's signing certificates expire."
    )
    parser.add_argument("--env", default="", help="the environment (config/<env>.yaml)")
    parser.add_argument(
        "--warning-days",
        default=str(DEFAULT_WARNING_DAYS),
        help=f"warn about certificates expiring within this many days (default {DEFAULT_WARNING_DAYS})",
    )
    return parser


def _warning_days(value: str) -> int:
    if not value.strip().isdigit():
        raise UsageError(f"WARNING_DAYS must be a whole number of days, not {value!r}")
    return int(value)


def main(argv: list[str] | None = None) -> int:
    """CLI entry point: load the environment, check each SAML provider, print, exit."""
    args = _parser().parse_args(argv)

    def body() -> int:
        warning_days = _warning_days(args.warning_days)
        config = choose_environment(args.env, PROG)
        today = datetime.now(UTC).date()
        providers = config.saml_providers  # tenant files' included
        checks = [check_provider(p, today, warning_days) for p in providers]
        return report(config.name, providers, checks, warning_days, sys.stdout, sys.stderr)

    return run_cli(PROG, body)


if __name__ == "__main__":
    sys.exit(main())

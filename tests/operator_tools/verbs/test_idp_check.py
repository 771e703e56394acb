"""`make idp-check ENV=<env>`: each SAML provider's signing certificates, read from its metadata file
or fetched from its URL, printed with their expiry; exit 1 when one has expired, expires inside the
warning window or cannot be read."""

from __future__ import annotations

import io
from datetime import UTC, datetime
from pathlib import Path

import pytest

from cdk_app.config.federation import SamlConfig
from functions.idp_cert_check.signing_certificates import MetadataError, fetch_metadata
from operator_tools.verbs import idp_check
from tests.idp_metadata import Key, certificate, idp_metadata, in_days, metadata_server

REPO = Path(__file__).resolve().parents[3]
TODAY = datetime.now(UTC).date()
# Committed metadata whose certificate never expires (notAfter 9999-12-31), and the fixture placeholder.
FOREVER = "tests/review/metadata/acme-2026.xml"
PLACEHOLDER = "tests/operator_tools/verbs/placeholder-metadata.xml"  # not an X.509 certificate


def from_file(name: str, path: str) -> SamlConfig:
    return SamlConfig.model_validate({"name": name, "metadata_file": path})


def from_url(name: str) -> SamlConfig:
    return SamlConfig.model_validate({"name": name, "metadata_url": f"https://{name.lower()}.example.com/md"})


def run(providers: tuple[SamlConfig, ...], fetch: idp_check.Fetch = fetch_metadata) -> tuple[int, str, str]:
    checks = [idp_check.check_provider(p, TODAY, 30, fetch) for p in providers]
    out, err = io.StringIO(), io.StringIO()
    status = idp_check.report("prod", providers, checks, 30, out, err)
    return status, out.getvalue(), err.getvalue()


def test_valid_certificates_are_listed_with_their_expiry_and_exit_0() -> None:
    status, out, err = run((from_file("Acme", FOREVER),))

    assert status == 0
    assert f"  Acme  file {FOREVER}" in out
    assert "CN=idp.acme.example.com 2026: expires 9999-12-31" in out
    assert out.endswith("every signing certificate is valid for more than 30 days\n")
    assert err == ""


def test_a_url_provider_is_fetched_and_one_inside_the_window_exits_1() -> None:
    soon = in_days(10)
    metadata = idp_metadata(Key(certificate("idp.tenant.example.com", soon))).encode()
    with metadata_server({"/md": (200, {}, metadata)}) as base:
        # The config's https URL, answered by the local server (fetch_metadata itself, over http).
        status, out, err = run((from_url("Tenant"),), fetch=lambda url: fetch_metadata(f"{base}/md"))

    assert status == 1
    assert "  Tenant  url https://tenant.example.com/md" in out
    assert f"CN=idp.tenant.example.com: expires {soon.date()} (10 days left, expiring)" in out
    assert err.splitlines() == [
        f"idp-check: SAML provider 'Tenant': its signing certificate (CN=idp.tenant.example.com) expires on "
        f"{soon.date()}, in 10 days (warning window: 30 days); get the IdP's new metadata before then",
        "idp-check: 1 of 1 SAML provider(s) need action",
    ]


def test_an_expired_certificate_exits_1_naming_the_provider_and_the_date() -> None:
    gone = in_days(-1)
    metadata = idp_metadata(Key(certificate("idp", gone)))

    status, _, err = run((from_file("Acme", FOREVER), from_url("Beta")), fetch=lambda url: metadata)

    assert status == 1
    first = err.splitlines()[0]
    assert first.startswith(
        f"idp-check: SAML provider 'Beta': its signing certificate (CN=idp) expired on {gone.date()}"
    )
    assert err.splitlines()[-1] == "idp-check: 1 of 2 SAML provider(s) need action"


def test_unreadable_metadata_and_a_failed_fetch_are_one_line_each() -> None:
    def unreachable(url: str) -> str:
        raise MetadataError(f"could not be fetched from {url} (connection refused)")

    status, _, err = run((from_file("AcmeCorp", PLACEHOLDER), from_url("Gone")), fetch=unreachable)

    assert status == 1
    assert err.splitlines() == [
        "idp-check: SAML provider 'AcmeCorp': its metadata has a signing certificate (number 1) that is not "
        "an X.509 certificate",
        "idp-check: SAML provider 'Gone': its metadata could not be fetched from https://gone.example.com/md "
        "(connection refused)",
        "idp-check: 2 of 2 SAML provider(s) need action",
    ]


def test_an_environment_without_saml_providers_has_nothing_to_check() -> None:
    status, out, err = run(())
    assert (status, out, err) == (0, "prod: no SAML providers, so no signing certificate to check\n", "")


@pytest.mark.parametrize(
    ("argv", "line"),
    [
        (
            ["--env", "dev", "--warning-days", "soon"],
            "idp-check: WARNING_DAYS must be a whole number of days, not 'soon'",
        ),
        (["--env", ""], "idp-check: ENV is required, e.g. make idp-check ENV="),
        (["--env", "prd"], "idp-check: no environment named 'prd' (did you mean make idp-check ENV=prod?)"),
    ],
)
def test_usage_errors_exit_2_in_one_line(
    argv: list[str], line: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert idp_check.main(argv) == 2
    err = capsys.readouterr().err
    assert err.startswith(line)
    assert err.count("\n") == 1

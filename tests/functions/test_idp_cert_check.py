"""The scheduled certificate check (functions/idp_cert_check/handler.py), run the way Lambda runs it,
against a stubbed Cognito (botocore's Stubber) and a local IdP serving its metadata: the providers it
reads, the log line and metric per provider, and the failed run an alarm fires on."""

from __future__ import annotations

import importlib.util
import json
import sys
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from botocore.stub import Stubber

from tests.functions.api_events import FakeLambdaContext
from tests.idp_metadata import Key, certificate, idp_metadata, in_days, metadata_server

CODE_DIR = Path(__file__).resolve().parents[2] / "functions" / "idp_cert_check"
POOL = "eu-west-1_Examp1e00"
NAMESPACE = "CognitoSso/IdpCertificates"
SERVICE = "idp-cert-check"

Load = Callable[..., ModuleType]


@pytest.fixture
def load(monkeypatch: pytest.MonkeyPatch) -> Load:
    """Import the function as Lambda does (its folder on sys.path, under its own module name), with
    fake credentials so that no call can reach AWS: every Cognito answer comes from a Stubber."""
    monkeypatch.syspath_prepend(str(CODE_DIR))
    monkeypatch.setattr(sys, "dont_write_bytecode", True)  # no bytecode in the Lambda asset
    for name, value in {
        "AWS_DEFAULT_REGION": "eu-west-1",
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "POWERTOOLS_SERVICE_NAME": SERVICE,
        "POWERTOOLS_METRICS_NAMESPACE": NAMESPACE,
        "POWERTOOLS_TRACE_DISABLED": "1",
    }.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("AWS_PROFILE", raising=False)

    def load_with(**environment: str) -> ModuleType:
        for name, value in {"USER_POOL_ID": POOL, **environment}.items():
            if value:
                monkeypatch.setenv(name, value)
            else:
                monkeypatch.delenv(name, raising=False)
        spec = importlib.util.spec_from_file_location("idp_cert_check_handler", CODE_DIR / "handler.py")
        assert spec is not None
        assert spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        # Powertools reuses a service's handler, which writes to the sys.stdout of the test that made
        # it: point it at this test's, so the logs reach this test's capture.
        module.logger.logger_handler.stream = sys.stdout
        return module

    return load_with


def provider(name: str, kind: str = "SAML") -> dict[str, Any]:
    return {"ProviderName": name, "ProviderType": kind}


def described(name: str, **details: str) -> dict[str, Any]:
    return {
        "IdentityProvider": {
            "UserPoolId": POOL,
            "ProviderName": name,
            "ProviderType": "SAML",
            "ProviderDetails": details,
        }
    }


def stub_pool(
    stubber: Stubber, pages: list[list[dict[str, Any]]], details: dict[str, dict[str, str]]
) -> None:
    """ListIdentityProviders answered page by page, then DescribeIdentityProvider per SAML provider."""
    for number, page in enumerate(pages):
        request: dict[str, Any] = {"UserPoolId": POOL, "MaxResults": 60}
        if number:
            request["NextToken"] = f"page-{number}"
        answer: dict[str, Any] = {"Providers": page}
        if number + 1 < len(pages):
            answer["NextToken"] = f"page-{number + 1}"
        stubber.add_response("list_identity_providers", answer, request)
    for name, detail in details.items():
        stubber.add_response(
            "describe_identity_provider",
            described(name, **detail),
            {"UserPoolId": POOL, "ProviderName": name},
        )


def emitted(out: str) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """(log records, {metric name or "metric/Provider": value}) from the function's stdout."""
    records = [json.loads(line) for line in out.splitlines() if line.startswith("{")]
    logs = [r for r in records if "_aws" not in r]
    values: dict[str, Any] = {}
    for record in (r for r in records if "_aws" in r):
        for metric in record["_aws"]["CloudWatchMetrics"][0]["Metrics"]:
            key = f"{metric['Name']}/{record['Provider']}" if "Provider" in record else metric["Name"]
            value = record[metric["Name"]]
            values[key] = value[0] if isinstance(value, list) and len(value) == 1 else value
        assert record["_aws"]["CloudWatchMetrics"][0]["Namespace"] == NAMESPACE
        assert record["service"] == SERVICE
    return logs, values


def test_valid_certificates_pass_with_a_log_line_and_a_metric_per_provider(
    load: Load, capsys: pytest.CaptureFixture[str]
) -> None:
    function = load()
    by_file = idp_metadata(Key(certificate("idp.acme.example.com", in_days(200))))
    by_url = idp_metadata(Key(certificate("idp.beta.example.com", in_days(100))))
    with metadata_server({"/beta": (200, {}, by_url.encode())}) as base, Stubber(function.COGNITO) as stubber:
        stub_pool(
            stubber,
            # Two pages; the OIDC provider has no certificate to check.
            [[provider("Acme"), provider("Okta", "OIDC")], [provider("Beta")]],
            {"Acme": {"MetadataFile": by_file}, "Beta": {"MetadataURL": f"{base}/beta"}},
        )
        result = function.handler({}, FakeLambdaContext(function_name="idp-cert-check"))
        stubber.assert_no_pending_responses()

    assert result == {"providers": 2, "needing_action": [], "soonest": 100}
    logs, values = emitted(capsys.readouterr().out)
    assert values == {
        "SigningCertificateDaysLeft/Acme": 200,
        "SigningCertificateDaysLeft/Beta": 100,
        "ProvidersNeedingAction": 0,
        "MinimumSigningCertificateDaysLeft": 100,
    }
    assert [(r["level"], r["message"]) for r in logs[:2]] == [
        ("INFO", "SAML provider 'Acme': signing certificates valid"),
        ("INFO", "SAML provider 'Beta': signing certificates valid"),
    ]
    assert logs[0]["certificates"][0]["subject"] == "CN=idp.acme.example.com"


def test_an_expiring_or_expired_certificate_fails_the_run_after_reporting_it(
    load: Load, capsys: pytest.CaptureFixture[str]
) -> None:
    function = load(WARNING_DAYS="14")
    expiring = idp_metadata(Key(certificate("idp.acme.example.com", in_days(10))))
    expired = idp_metadata(Key(certificate("idp.beta.example.com", in_days(-2))))
    with Stubber(function.COGNITO) as stubber:
        stub_pool(
            stubber,
            [[provider("Acme"), provider("Beta")]],
            {"Acme": {"MetadataFile": expiring}, "Beta": {"MetadataFile": expired}},
        )
        with pytest.raises(function.CertificatesNeedAction) as raised:
            function.handler({}, FakeLambdaContext(function_name="idp-cert-check"))

    assert str(raised.value) == (
        "2 of 2 SAML provider(s) need new metadata or a new certificate within 14 days: Acme, Beta"
    )
    logs, values = emitted(capsys.readouterr().out)
    # The metrics are flushed although the run failed: the alarm can read how many days are left.
    assert values == {
        "SigningCertificateDaysLeft/Acme": 10,
        "SigningCertificateDaysLeft/Beta": -2,
        "ProvidersNeedingAction": 2,
        "MinimumSigningCertificateDaysLeft": -2,
    }
    levels = {r["provider"]: (r["level"], r["message"]) for r in logs if "provider" in r}
    assert levels["Acme"][0] == "WARNING"
    assert "expires on" in levels["Acme"][1]
    assert "(warning window: 14 days)" in levels["Acme"][1]
    assert levels["Beta"][0] == "ERROR"
    assert "expired on" in levels["Beta"][1]


def test_metadata_that_cannot_be_fetched_fails_the_run(
    load: Load, capsys: pytest.CaptureFixture[str]
) -> None:
    function = load()
    with metadata_server({}) as base:
        url = f"{base}/missing"
        with Stubber(function.COGNITO) as stubber:
            stub_pool(stubber, [[provider("Acme")]], {"Acme": {"MetadataURL": url}})
            with pytest.raises(function.CertificatesNeedAction, match="1 of 1 SAML provider"):
                function.handler({}, FakeLambdaContext(function_name="idp-cert-check"))

    logs, values = emitted(capsys.readouterr().out)
    error = next(r for r in logs if r.get("provider") == "Acme")
    assert (error["level"], error["message"]) == (
        "ERROR",
        f"SAML provider 'Acme': its metadata could not be fetched from {url} (HTTP 404)",
    )
    # Nothing could be read: no days-left figure, only the count that needs action.
    assert values == {"ProvidersNeedingAction": 1}


def test_a_pool_without_saml_providers_passes(load: Load, capsys: pytest.CaptureFixture[str]) -> None:
    function = load()
    with Stubber(function.COGNITO) as stubber:
        stub_pool(stubber, [[provider("Google", "Google")]], {})
        result = function.handler({}, FakeLambdaContext(function_name="idp-cert-check"))
    assert result == {"providers": 0, "needing_action": [], "soonest": None}
    assert emitted(capsys.readouterr().out)[1] == {"ProvidersNeedingAction": 0}


def test_without_a_pool_id_the_cold_start_fails(load: Load) -> None:
    with pytest.raises(KeyError, match="USER_POOL_ID"):
        load(USER_POOL_ID="")

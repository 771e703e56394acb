"""Rules over an environment's providers together: identifiers, certificate expiry."""

from __future__ import annotations

import re
from datetime import date, datetime
from pathlib import Path

import pytest

from cdk_app.config import ConfigError, referenced_files
from cdk_app.config.certificates import certificate_warnings
from cdk_app.config.federation import FederationConfig
from cdk_app.config.loading import load_environment
from tests.config.conftest import edited
from tests.fixtures import FIXTURE_CONFIG_DIR
from tests.idp_metadata import certificate, in_days


def _prod_with(tmp_path: Path, *replacements: tuple[str, str]) -> Path:
    text = edited((FIXTURE_CONFIG_DIR / "prod.yaml").read_text(encoding="utf-8"), *replacements)
    (tmp_path / "prod.yaml").write_text(text, encoding="utf-8")
    return tmp_path


def test_two_providers_sharing_an_identifier_is_one_line_naming_both_places(tmp_path: Path) -> None:
    config_dir = _prod_with(
        tmp_path, ("identifiers: [partner.example.com]", "identifiers: [ACME.example.com]")
    )
    with pytest.raises(ConfigError) as caught:
        load_environment("prod", config_dir)
    [line] = [ln for ln in str(caught.value).splitlines() if "identifier" in ln]
    lines = (FIXTURE_CONFIG_DIR / "prod.yaml").read_text(encoding="utf-8").splitlines()
    acme = lines.index("      identifiers: [acme.example.com]") + 1
    entra = lines.index("      identifiers: [partner.example.com]") + 1
    assert f"prod.yaml:{entra}" in line
    assert "identity_providers.oidc[0].identifiers[0]" in line
    assert f"already used by provider 'AcmeCorp' at {config_dir.as_posix()}/prod.yaml:{acme}" in line
    assert "'EntraId'" in line


def test_distinct_identifiers_are_accepted(tmp_path: Path) -> None:
    assert load_environment("prod", _prod_with(tmp_path)).identity_providers.oidc


@pytest.fixture(autouse=True)
def _repo_is_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Metadata files are read from the repository root: here, the test's own directory."""
    (tmp_path / "tests/fixtures/config/saml").mkdir(parents=True)
    shipped = FIXTURE_CONFIG_DIR / "saml" / "acme-corp.xml"
    (tmp_path / "tests/fixtures/config/saml/acme-corp.xml").write_bytes(shipped.read_bytes())
    monkeypatch.setattr(referenced_files, "REPO_ROOT", tmp_path)


def _prod_with_certificate(tmp_path: Path, not_after: datetime) -> Path:
    xml = (FIXTURE_CONFIG_DIR / "saml" / "acme-corp.xml").read_text(encoding="utf-8")
    xml = re.sub(
        r"<ds:X509Certificate>[^<]*<", f"<ds:X509Certificate>{certificate('idp.acme', not_after)}<", xml
    )
    (tmp_path / "acme.xml").write_text(xml, encoding="utf-8")
    return _prod_with(tmp_path, ("tests/fixtures/config/saml/acme-corp.xml", "acme.xml"))


def test_an_expired_signing_certificate_is_a_one_line_error_naming_provider_and_date(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as caught:
        load_environment("prod", _prod_with_certificate(tmp_path, in_days(-3)))
    [line] = [ln for ln in str(caught.value).splitlines() if "AcmeCorp" in ln]
    assert "identity_providers.saml[0].metadata_file" in line
    assert str(in_days(-3).date()) in line


def test_a_certificate_inside_the_warning_window_warns_but_loads(tmp_path: Path) -> None:
    env = load_environment("prod", _prod_with_certificate(tmp_path, in_days(10)))
    [warning] = certificate_warnings(env)
    assert "'AcmeCorp'" in warning
    assert str(in_days(10).date()) in warning
    assert (
        certificate_warnings(
            env.model_copy(update={"federation": FederationConfig(certificate_warning_days=5)})
        )
        == []
    )


def test_the_shipped_metadata_files_never_expire(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(referenced_files, "REPO_ROOT", FIXTURE_CONFIG_DIR.parents[2])
    env = load_environment("prod", FIXTURE_CONFIG_DIR)
    assert certificate_warnings(env, date(9999, 11, 1)) == []


def _prod_with_tenant_certificate(tmp_path: Path, not_after: datetime) -> Path:
    """The fixture prod, unchanged, and one tenant whose metadata's certificate ends ``not_after``."""
    config_dir = _prod_with(tmp_path)
    _prod_with_certificate(tmp_path, not_after)  # writes acme.xml with that certificate
    (tmp_path / "acme.xml").rename(tmp_path / "globex.xml")
    (config_dir / "prod.yaml").write_text(
        (FIXTURE_CONFIG_DIR / "prod.yaml").read_text(encoding="utf-8"), encoding="utf-8"
    )
    tenants = config_dir / "tenants" / "prod"
    tenants.mkdir(parents=True)
    (tenants / "globex.yaml").write_text(
        "saml:\n  name: Globex\n  metadata_file: globex.xml\n  identifiers: [globex.example.com]\n",
        encoding="utf-8",
    )
    return config_dir


def test_a_tenant_certificate_inside_the_warning_window_warns_too(tmp_path: Path) -> None:
    env = load_environment("prod", _prod_with_tenant_certificate(tmp_path, in_days(10)))
    assert [p.name for p in env.saml_providers][-1] == "Globex"
    [warning] = certificate_warnings(env)
    assert "'Globex'" in warning
    assert str(in_days(10).date()) in warning


def test_make_idp_check_reads_the_tenant_files_too(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from operator_tools.lib.environment import choose_environment
    from operator_tools.verbs import idp_check

    config_dir = _prod_with_tenant_certificate(tmp_path, in_days(10))
    monkeypatch.setattr(
        idp_check, "choose_environment", lambda name, verb: choose_environment(name, verb, config_dir)
    )
    assert idp_check.main(["--env", "prod"]) == 1
    out, err = capsys.readouterr()
    assert re.search(r"^  Globex +file globex.xml$", out, re.MULTILINE), out
    assert "idp-check: 1 of 2 SAML provider(s) need action" in err

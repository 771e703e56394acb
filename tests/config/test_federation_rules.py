"""Rules over an environment's providers together: identifiers, certificate expiry."""

from __future__ import annotations

from pathlib import Path

import pytest

from cdk_app.config import ConfigError
from cdk_app.config.loading import load_environment
from tests.config.conftest import edited
from tests.fixtures import FIXTURE_CONFIG_DIR


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

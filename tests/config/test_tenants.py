"""Tenant files (config/tenants/<env>/<tenant>.yaml): each read and checked on its own, and against
its environment."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from cdk_app.config import ConfigError
from cdk_app.config.loading import load_environment
from cdk_app.config.tenants import tenant_shard
from cdk_app.config.yaml_io import MAX_NODES
from tests.fixtures import FIXTURE_CONFIG_DIR
from tests.fixtures.tenants import tenant_text


@pytest.fixture
def config_dir(tmp_path: Path) -> Path:
    shutil.copy(FIXTURE_CONFIG_DIR / "prod.yaml", tmp_path / "prod.yaml")
    (tmp_path / "tenants" / "prod").mkdir(parents=True)
    return tmp_path


def _tenant(config_dir: Path, name: str, text: str) -> Path:
    path = config_dir / "tenants" / "prod" / f"{name}.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def _error(config_dir: Path) -> str:
    with pytest.raises(ConfigError) as caught:
        load_environment("prod", config_dir)
    return str(caught.value)


def test_a_tenant_file_adds_its_provider_and_client_to_the_environment(config_dir: Path) -> None:
    _tenant(config_dir, "globex", tenant_text("Globex", "globex.example.com", client="globex"))
    [tenant] = load_environment("prod", config_dir).tenants
    assert (tenant.name, tenant.provider.name, tenant.provider.identifiers) == (
        "globex",
        "Globex",
        ("globex.example.com",),
    )
    assert tenant.client is not None
    assert tenant.client.identity_providers == ("Globex",)


def test_a_tenant_needs_exactly_one_provider(config_dir: Path) -> None:
    _tenant(config_dir, "none", "client:\n  name: x\n  kind: m2m\n  scopes: [api/read]\n")
    assert "tenants/prod/none.yaml" in _error(config_dir)
    assert "exactly one provider, under saml or oidc" in _error(config_dir)


def test_an_error_names_the_tenant_file_its_line_and_the_field(config_dir: Path) -> None:
    text = tenant_text("Globex", "globex.example.com", client="globex").replace(
        "scopes: [openid, email]", "scopes: [openid, email, api/nope]"
    )
    _tenant(config_dir, "globex", text)
    line = text.splitlines().index("  scopes: [openid, email, api/nope]") + 1
    [shown] = _error(config_dir).splitlines()
    assert f"tenants/prod/globex.yaml:{line}: client.scopes:" in shown
    assert "'api/nope'" in shown


def test_a_tenant_s_unknown_key_is_refused_in_its_own_file(config_dir: Path) -> None:
    _tenant(config_dir, "globex", tenant_text("Globex", "globex.example.com") + "colour: blue\n")
    [shown] = _error(config_dir).splitlines()
    assert "tenants/prod/globex.yaml:5: colour:" in shown


def test_a_tenant_client_may_offer_only_its_own_provider(config_dir: Path) -> None:
    text = tenant_text("Globex", "globex.example.com", client="globex").replace(
        "identity_providers: [Globex]", "identity_providers: [Globex, AcmeCorp]"
    )
    _tenant(config_dir, "globex", text)
    [shown] = _error(config_dir).splitlines()
    assert "tenants/prod/globex.yaml:" in shown
    assert "client.identity_providers:" in shown
    assert "'AcmeCorp'" in shown


def test_a_tenant_client_cannot_offer_every_tenant(config_dir: Path) -> None:
    text = tenant_text("Globex", "globex.example.com", client="globex") + "  tenant_providers: true\n"
    _tenant(config_dir, "globex", text)
    assert "client.tenant_providers: tenant 'globex'" in _error(config_dir)


def test_two_tenants_sharing_an_identifier_is_one_line_naming_both_files(config_dir: Path) -> None:
    _tenant(config_dir, "globex", tenant_text("Globex", "shared.example.com"))
    _tenant(config_dir, "initech", tenant_text("Initech", "SHARED.example.com"))
    [shown] = _error(config_dir).splitlines()
    assert f"{config_dir.as_posix()}/tenants/prod/initech.yaml:4: saml.identifiers[0]:" in shown
    assert f"already used by provider 'Globex' at {config_dir.as_posix()}/tenants/prod/globex.yaml:4" in shown


def test_a_tenant_reusing_an_identifier_of_the_environment_file_names_it(config_dir: Path) -> None:
    _tenant(config_dir, "globex", tenant_text("Globex", "acme.example.com"))
    [shown] = _error(config_dir).splitlines()
    assert "tenants/prod/globex.yaml:4: saml.identifiers[0]" in shown
    assert f"provider 'AcmeCorp' at {config_dir.as_posix()}/prod.yaml:" in shown


def test_a_tenant_provider_may_not_reuse_a_provider_name(config_dir: Path) -> None:
    _tenant(config_dir, "globex", tenant_text("AcmeCorp", "globex.example.com"))
    [shown] = _error(config_dir).splitlines()
    assert "tenants/prod/globex.yaml:2: saml.name: provider name 'AcmeCorp' is already used at" in shown
    assert "prod.yaml:" in shown


def test_a_tenant_file_name_must_be_a_tenant_name(config_dir: Path) -> None:
    _tenant(config_dir, "Globex_Corp", tenant_text("Globex", "globex.example.com"))
    [shown] = _error(config_dir).splitlines()
    assert "tenants/prod/Globex_Corp.yaml: a tenant's file name is its name" in shown


def test_a_tenant_file_may_not_name_itself(config_dir: Path) -> None:
    _tenant(config_dir, "globex", "name: other\n" + tenant_text("Globex", "globex.example.com"))
    assert "tenants/prod/globex.yaml:1: name: the tenant's name comes from its file name" in _error(
        config_dir
    )


def test_the_environment_file_may_not_hold_tenants(config_dir: Path) -> None:
    with (config_dir / "prod.yaml").open("a", encoding="utf-8") as handle:
        handle.write("tenants: []\n")
    [shown] = _error(config_dir).splitlines()
    assert f"{config_dir.as_posix()}/prod.yaml:" in shown
    assert "tenants: a tenant is a file of its own" in shown


def test_the_size_caps_apply_to_each_tenant_file(config_dir: Path) -> None:
    many = "".join(f"  - id{i}.example.com\n" for i in range(MAX_NODES + 1))
    text = f"saml:\n  name: Globex\n  metadata_file: x.xml\n  identifiers:\n{many}"
    _tenant(config_dir, "globex", text)
    [shown] = _error(config_dir).splitlines()
    assert "tenants/prod/globex.yaml" in shown
    assert str(MAX_NODES) in shown.replace(",", "")


def test_many_tenants_each_within_the_caps_load_though_together_they_pass_them(config_dir: Path) -> None:
    # 400 tenant files hold more values than one environment file may (MAX_NODES), each well within.
    with (config_dir / "prod.yaml").open("a", encoding="utf-8") as handle:
        handle.write("quotas: {identity_providers: 500}\n")  # 403 providers: over Cognito's default
    for i in range(400):
        _tenant(config_dir, f"t{i:03d}", tenant_text(f"T{i:03d}", f"t{i:03d}.example.com"))
    assert len(load_environment("prod", config_dir).tenants) == 400


def test_a_shared_client_with_tenant_providers_offers_and_writes_what_tenants_map(config_dir: Path) -> None:
    text = tenant_text("Globex", "globex.example.com").replace(
        "  identifiers:", "  attribute_mapping: {given_name: gn}\n  identifiers:"
    )
    _tenant(config_dir, "globex", text)
    env = load_environment("prod", config_dir)
    # The config's side of a shared client, kept for the stack that will build it (refused until then).
    web = next(c for c in env.clients if c.name == "web").model_copy(update={"tenant_providers": True})
    assert env.offered(web)[1].identity_providers == ("AcmeCorp", "EntraId", "Globex")
    assert "given_name" in env.client_attributes(web).write


def test_a_tenant_s_stack_depends_on_its_name_alone() -> None:
    # Pinned values: a change of the hash would move every deployed tenant (a replacement).
    assert (tenant_shard("acme", 8), tenant_shard("globex", 8)) == (0, 7)
    assert {tenant_shard(f"t{i}", 8) for i in range(300)} == set(range(8))


def test_a_shared_client_offering_tenants_is_refused_until_the_stacks_build_it(config_dir: Path) -> None:
    _tenant(config_dir, "globex", tenant_text("Globex", "globex.example.com"))
    prod = (config_dir / "prod.yaml").read_text(encoding="utf-8")
    (config_dir / "prod.yaml").write_text(
        prod.replace(
            "    refresh_token_validity_days: 7\n",
            "    refresh_token_validity_days: 7\n    tenant_providers: true\n",
            1,
        ),
        encoding="utf-8",
    )
    line = _error(config_dir)
    assert ".tenant_providers: a shared client offering every tenant's provider is not built yet" in line
    assert "prod.yaml:" in line

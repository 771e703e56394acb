"""Tenant files become sibling tenant stacks: placed by name alone, each tenant with its provider, its
client, its branding and its client-ID parameter."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from aws_cdk.assertions import Template

from cdk_app.config.loading import load_project
from cdk_app.config.tenants import tenant_shard
from cdk_app.contracts import tenant_client_id_parameter, tenant_stack
from composition.app_builder import build_app
from tests.fixtures import FIXTURE_CONFIG_DIR
from tests.fixtures.tenants import tenant_text


def _write(config_dir: Path, names: list[str]) -> Path:
    config_dir.mkdir(parents=True, exist_ok=True)
    shutil.copy(FIXTURE_CONFIG_DIR / "prod.yaml", config_dir / "prod.yaml")
    tenants = config_dir / "tenants" / "prod"
    tenants.mkdir(parents=True, exist_ok=True)
    for name in names:
        text = tenant_text(f"P-{name}", f"{name}.example.com", client=name)
        (tenants / f"{name}.yaml").write_text(text, encoding="utf-8")
    return config_dir


def _templates(config_dir: Path, outdir: Path) -> dict[str, dict[str, object]]:
    app, _ = build_app(load_project(config_dir, ["prod"]), outdir=str(outdir), with_checks=False)
    assembly = app.synth()
    return {s.stack_name: s.template for s in assembly.stacks_recursively}


@pytest.fixture(scope="module")
def synthesized(
    tmp_path_factory: pytest.TempPathFactory,
) -> tuple[dict[str, dict[str, object]], ...]:
    base = tmp_path_factory.mktemp("tenants")
    names = [f"t{i:02d}" for i in range(12)]
    before = _templates(_write(base / "before", names), base / "out-before")
    after = _templates(_write(base / "after", [*names, "newcomer"]), base / "out-after")
    return before, after


def test_each_tenant_is_in_the_stack_its_name_hashes_to(
    synthesized: tuple[dict[str, dict[str, object]], ...],
) -> None:
    before, _ = synthesized
    for i in range(12):
        name = f"t{i:02d}"
        template = Template.from_json(before[f"prod-{tenant_stack(tenant_shard(name, 8))}"])
        template.has_resource_properties(
            "AWS::Cognito::UserPoolIdentityProvider", {"ProviderName": f"P-{name}"}
        )
        template.has_resource_properties(
            "AWS::Cognito::UserPoolClient", {"ClientName": name, "SupportedIdentityProviders": [f"P-{name}"]}
        )
        template.has_resource_properties(
            "AWS::SSM::Parameter", {"Name": tenant_client_id_parameter("prod", name)}
        )
        template.has_resource_properties(
            "AWS::Cognito::ManagedLoginBranding", {"UseCognitoProvidedValues": True}
        )


def test_adding_a_tenant_changes_no_other_tenant_s_resources(
    synthesized: tuple[dict[str, dict[str, object]], ...],
) -> None:
    before, after = synthesized
    new_stack = f"prod-{tenant_stack(tenant_shard('newcomer', 8))}"
    for stack, template in before.items():
        if stack.startswith("prod-Tenants") and stack != new_stack:
            assert json.dumps(after[stack], sort_keys=True) == json.dumps(template, sort_keys=True), stack
    old = before.get(new_stack, {}).get("Resources", {})
    new = after[new_stack]["Resources"]
    assert isinstance(old, dict)
    assert isinstance(new, dict)
    assert {k: new[k] for k in old} == old, "a resource of another tenant changed"
    assert len(new) > len(old)
    assert after["prod-Identity"] == before["prod-Identity"]

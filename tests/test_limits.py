"""CloudFormation's and Cognito's limits are refused before deploy, in one line naming the
environment, the stack, the figure and the remedy; never with a jsii traceback."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from cdk_app import template_limits
from cdk_app.config import ConfigError
from cdk_app.config.loading import load_environment
from tests.fixtures import FIXTURE_CONFIG_DIR
from tests.fixtures.tenants import tenant_text
from tests.test_app_entry import run_app


def _template(resources: int = 0, outputs: int = 0) -> dict[str, object]:
    return {
        "Resources": {f"R{i}": {"Type": "AWS::SNS::Topic"} for i in range(resources)},
        "Outputs": {f"O{i}": {"Value": "x"} for i in range(outputs)},
    }


def test_a_stack_within_every_limit_has_no_breach() -> None:
    assert template_limits.breaches("prod", "prod-Identity", _template(500, 200), 1_000_000) == []


@pytest.mark.parametrize(
    ("template", "size", "figure"),
    [
        (_template(resources=501), 10, "501 resources, over CloudFormation's 500"),
        (_template(outputs=201), 10, "201 outputs, over CloudFormation's 200"),
        (_template(), 1_000_001, "1,000,001 template bytes, over CloudFormation's 1,000,000"),
    ],
    ids=["resources", "outputs", "bytes"],
)
def test_each_limit_breach_is_one_line_naming_environment_stack_figure_and_remedy(
    template: dict[str, object], size: int, figure: str
) -> None:
    [line] = template_limits.breaches("prod", "prod-Identity", template, size)
    assert line.startswith("limit error in environment 'prod', stack prod-Identity: ")
    assert figure in line
    assert "; " in line.split(figure, 1)[1], "a remedy follows the figure"


def test_cdk_s_own_resource_limit_error_becomes_the_same_line() -> None:
    cdk_message = (
        "Error: Number of resources in stack 'prod/Tenants3': 612 is greater than allowed maximum of 500: "
        "AWS::Cognito::UserPoolClient (153), ...\n    at Stack._toCloudFormation (/tmp/jsii-kernel/...)"
    )
    line = template_limits.from_cdk_error(cdk_message)
    assert line == template_limits.breach("prod", "prod-Tenants3", "resources", 612, 500)
    assert template_limits.from_cdk_error("ValidationFailed: something else") is None


def _tenants(config_dir: Path, count: int, *, extra: str = "") -> Path:
    config_dir.mkdir(parents=True, exist_ok=True)
    shutil.copy(FIXTURE_CONFIG_DIR / "prod.yaml", config_dir / "prod.yaml")
    if extra:
        with (config_dir / "prod.yaml").open("a", encoding="utf-8") as handle:
            handle.write(extra)
    tenants = config_dir / "tenants" / "prod"
    tenants.mkdir(parents=True)
    for i in range(count):
        text = tenant_text(f"P{i:03d}", f"t{i:03d}.example.com", client=f"t{i:03d}")
        (tenants / f"t{i:03d}.yaml").write_text(text, encoding="utf-8")
    return config_dir


def test_an_environment_over_cognito_s_provider_quota_is_one_line_with_the_remedy(tmp_path: Path) -> None:
    # prod.yaml has 3 providers (Google, AcmeCorp, EntraId): 298 tenants make 301.
    with pytest.raises(ConfigError) as caught:
        load_environment("prod", _tenants(tmp_path, 298))
    [line] = str(caught.value).splitlines()
    assert "prod.yaml" in line
    assert "quotas.identity_providers: environment 'prod'" in line
    assert "301 identity providers, over Cognito's quota of 300 per user pool" in line
    assert "set quotas.identity_providers" in line


def test_a_raised_quota_admits_the_environment(tmp_path: Path) -> None:
    config_dir = _tenants(tmp_path, 298, extra="quotas: {identity_providers: 400}\n")
    assert len(load_environment("prod", config_dir).tenants) == 298


def test_a_stack_over_500_resources_fails_synth_in_one_line_without_a_traceback(tmp_path: Path) -> None:
    # One tenant stack; 130 tenants with a client each (provider, client, branding, parameter) pass 500.
    config_dir = _tenants(tmp_path / "config", 130, extra="federation: {tenant_stacks: 1}\n")
    result = run_app(tmp_path, {"env": "prod", "config_dir": str(config_dir)})
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "jsii" not in result.stderr
    [line] = [ln for ln in result.stderr.splitlines() if "limit error" in ln]
    assert line.startswith("limit error in environment 'prod', stack prod-Tenants0: 520 resources")

"""Defaults follow what a file says: a key left out never contradicts one written, so a file is never
refused for a key it does not mention; a value the file writes is still checked as before."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from cdk_app.config import ConfigError, EnvironmentConfig, defaults
from cdk_app.config.loading.loader import validate_document
from cdk_app.config.yaml_io import read_yaml_file
from tests.config.conftest import Refused, WriteConfig, edited
from tests.fixtures import FIXTURE_CONFIG_DIR

Load = Callable[..., EnvironmentConfig]
ROOT = Path(__file__).resolve().parents[2]
MFA = "  mfa:\n    mode: optional\n    factors: [totp]\n"


def test_mfa_mode_off_alone_loads_without_factors(
    write_config: WriteConfig, load: Load, dev_text: str
) -> None:
    write_config(text=edited(dev_text, (MFA, "  mfa: {mode: off}\n")))
    assert (load().user_pool.mfa.mode, load().user_pool.mfa.factors) == ("off", ())


def test_mfa_mode_off_alone_synthesizes_a_pool_without_mfa(tmp_path: Path, dev_text: str) -> None:
    config_dir = tmp_path / "config"
    config_dir.mkdir()
    (config_dir / "dev.yaml").write_text(edited(dev_text, (MFA, "  mfa: {mode: off}\n")))
    env = {
        **os.environ,
        "CDK_OUTDIR": str(tmp_path / "out"),
        "CDK_CONTEXT_JSON": json.dumps({"env": "dev", "config_dir": str(config_dir)}),
    }
    result = subprocess.run(
        [sys.executable, "app.py"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    [template] = (tmp_path / "out").rglob("*Identity*.template.json")
    [pool] = [
        r["Properties"]
        for r in json.loads(template.read_text())["Resources"].values()
        if r["Type"] == "AWS::Cognito::UserPool"
    ]
    assert pool["MfaConfiguration"] == "OFF"
    assert "EnabledMfas" not in pool


def test_mfa_mode_off_with_a_factor_written_is_still_refused(refused: Refused) -> None:
    refused(
        "off with totp",
        lambda r: r["user_pool"].update(mfa={"mode": "off", "factors": ["totp"]}),
        "user_pool.mfa",
        "factors must be empty when mode is 'off'",
    )


def test_production_defaults_are_what_production_requires(write_config: WriteConfig, load: Load) -> None:
    def edit(raw: dict[str, Any]) -> None:
        raw.update(tier="production", waf={}, monitoring={"alerts": {"emails": ["alerts@example.com"]}})
        pool = raw["user_pool"]
        pool.update(deletion_protection=True, removal_policy="retain")
        for key in ("mfa", "feature_plan", "threat_protection"):
            pool.pop(key, None)
        raw["api"]["function"]["reserved_concurrency"] = 10

    write_config(edit)
    config = load()
    pool = config.user_pool
    assert (pool.mfa.mode, pool.mfa.factors, pool.feature_plan) == ("required", ("totp",), "plus")
    assert (pool.threat_protection.standard_auth, config.waf.enabled) == ("enforced", True)


def test_a_development_environment_keeps_the_fixed_defaults(write_config: WriteConfig, load: Load) -> None:
    def edit(raw: dict[str, Any]) -> None:
        raw.pop("waf")
        for key in ("mfa", "feature_plan"):
            raw["user_pool"].pop(key)

    write_config(edit)
    config = load()
    assert (config.user_pool.mfa.mode, config.user_pool.feature_plan, config.waf.enabled) == (
        "optional",
        "essentials",
        False,
    )


def test_lite_alone_turns_refresh_token_rotation_off(write_config: WriteConfig, load: Load) -> None:
    def edit(raw: dict[str, Any]) -> None:
        raw["user_pool"]["feature_plan"] = "lite"
        raw.pop("token_customization")  # the trigger needs essentials or plus

    write_config(edit)
    assert [c.refresh_token_rotation for c in load().clients] == [False, False]


def test_an_emulator_environment_exports_no_sign_in_logs_unless_it_says_so(
    write_config: WriteConfig, load: Load
) -> None:
    def edit(raw: dict[str, Any]) -> None:
        raw.update(deploy_target="emulator", account="000000000000")

    write_config(edit)
    assert load().monitoring.sign_in_logs is False
    write_config(lambda raw: (edit(raw), raw.update(monitoring={"sign_in_logs": True})))
    assert load().monitoring.sign_in_logs is True


def test_a_pool_written_to_be_destroyed_is_not_protected(write_config: WriteConfig, load: Load) -> None:
    write_config(lambda raw: raw["user_pool"].pop("deletion_protection"))
    assert (load().user_pool.removal_policy, load().user_pool.deletion_protection) == ("destroy", False)
    write_config(lambda raw: [raw["user_pool"].pop(k) for k in ("removal_policy", "deletion_protection")])
    assert load().user_pool.deletion_protection is True


def test_a_malformed_key_is_left_for_validation_to_report(write_config: WriteConfig, load: Load) -> None:
    write_config(lambda raw: raw.update(tier="production", user_pool="big", waf=[1]))
    with pytest.raises(ConfigError) as caught:
        load()
    assert [(p.field, p.reason) for p in caught.value.problems] == [
        ("user_pool", "must be a mapping (key: value lines)"),
        ("waf", "must be a mapping (key: value lines)"),
    ]


def test_following_keeps_the_document_as_read() -> None:
    raw = {"tier": "production", "user_pool": {"mfa": {}}}
    followed = defaults.follow(raw)
    assert raw == {"tier": "production", "user_pool": {"mfa": {}}}
    assert followed["user_pool"]["mfa"] == {"mode": "required"}
    assert followed["waf"] == {"enabled": True}


SHIPPED = [*sorted((ROOT / "config").glob("*.yaml")), *sorted(FIXTURE_CONFIG_DIR.glob("*.yaml"))]


@pytest.mark.parametrize("path", SHIPPED, ids=[f"{p.parent.name}/{p.name}" for p in SHIPPED])
def test_following_changes_nothing_in_a_shipped_config(path: Path) -> None:
    # Each shipped file already writes what production, the emulator or its plan needs, so its
    # templates stay as they were.
    doc = read_yaml_file(path)
    fixed = {"name": path.stem}
    as_written = validate_document(doc, EnvironmentConfig, fixed=fixed)
    assert validate_document(doc, EnvironmentConfig, fixed=fixed, prepare=defaults.follow) == as_written

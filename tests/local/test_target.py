"""A local environment never reaches AWS, and a real environment is never sent to the emulator."""

from __future__ import annotations

from pathlib import Path

import pytest

from operator_tools.lib.errors import ToolError
from operator_tools.local import emulator, target
from tests.fixtures.small_environment import small_environment

REAL = {"PATH": "/usr/bin", "AWS_PROFILE": "dev-admin"}


@pytest.fixture
def no_aws_config(tmp_path: Path) -> dict[str, str]:
    return {**REAL, "AWS_CONFIG_FILE": str(tmp_path / "none")}


def test_a_real_environment_runs_with_the_callers_own_credentials(
    no_aws_config: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # botocore's credential chain reads the process environment.
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "AKIDCALLER")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "caller-secret")
    monkeypatch.setenv("AWS_CONFIG_FILE", no_aws_config["AWS_CONFIG_FILE"])
    environ = target.command_environ(small_environment(account="123456789012"), "deploy", no_aws_config)
    assert environ == no_aws_config


@pytest.mark.parametrize("variable", ["AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_CLOUDFORMATION"])
def test_a_real_environment_is_never_sent_to_an_endpoint_override(
    no_aws_config: dict[str, str], variable: str
) -> None:
    with pytest.raises(ToolError, match=f"sandbox is a real environment.*{variable}"):
        target.command_environ(
            small_environment(), "deploy", {**no_aws_config, variable: "http://127.0.0.1:4566"}
        )


def test_a_real_environment_is_never_sent_to_an_endpoint_from_the_aws_profile(tmp_path: Path) -> None:
    config_file = tmp_path / "config"
    config_file.write_text("[profile dev-admin]\nendpoint_url = http://127.0.0.1:4566\n")
    with pytest.raises(ToolError, match="endpoint_url in AWS profile dev-admin"):
        target.command_environ(small_environment(), "deploy", {**REAL, "AWS_CONFIG_FILE": str(config_file)})


def test_a_local_environment_is_refused_when_no_emulator_runs(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(emulator, "STATE_DIR", tmp_path)
    local = small_environment(deploy_target="emulator", account="000000000000")
    with pytest.raises(ToolError, match=r"not running; start it .* make up ENV=sandbox"):
        target.command_environ(local, "deploy", REAL)


def test_a_local_environment_reaches_only_the_running_emulator(monkeypatch: pytest.MonkeyPatch) -> None:
    running = emulator.Emulator(pid=1, port=4567, region="eu-west-1", log_file="/dev/null")
    monkeypatch.setattr(emulator, "find", lambda *_: running)
    local = small_environment(deploy_target="emulator", account="000000000000")
    environ = target.command_environ(local, "deploy", {**REAL, "AWS_ENDPOINT_URL": "https://evil"})
    assert environ["AWS_ENDPOINT_URL"] == "http://127.0.0.1:4567"
    assert "AWS_PROFILE" not in environ

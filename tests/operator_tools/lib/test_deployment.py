"""Choosing an environment by name, and opening its deployment: the credentials decision, and where
its outputs and AWS clients come from."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cdk_app.config import EnvironmentConfig, available_environments
from operator_tools.lib.credentials import require_credentials
from operator_tools.lib.environment import choose_environment
from operator_tools.lib.errors import ToolError, UsageError
from operator_tools.local.target import open_deployment
from tests.aws_env import isolate_aws
from tests.fixtures import FIXTURE_CONFIG_DIR
from tests.operator_tools.conftest import MACHINE_CLIENT_ID

# Every fixture environment, as the tools list them.
LISTED = ", ".join(available_environments(FIXTURE_CONFIG_DIR))


def test_a_name_far_from_every_environment_gets_no_suggestion() -> None:
    with pytest.raises(UsageError) as caught:
        choose_environment("no-such-env", "diff", FIXTURE_CONFIG_DIR)
    assert str(caught.value) == f"no environment named 'no-such-env'; environments: {LISTED}"


def test_a_config_directory_without_environments_says_how_to_add_one(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match=r"environments: none \(add config/<name>\.yaml\)$"):
        choose_environment("", "smoke", tmp_path)


def test_surrounding_spaces_do_not_make_a_name_unknown() -> None:
    assert choose_environment(" staging ", "smoke", FIXTURE_CONFIG_DIR).name == "staging"


@pytest.fixture
def no_credentials(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    isolate_aws(monkeypatch, tmp_path, credentials=False)


@pytest.mark.usefixtures("no_credentials")
def test_outputs_from_a_file_and_no_aws_calls_need_no_credentials(
    dev_config: EnvironmentConfig, outputs_file: Path
) -> None:
    deployed = open_deployment(dev_config, verb="login", outputs_file=outputs_file, calls_aws=False)

    assert deployed.config is dev_config
    assert deployed.outputs.client_ids["machine"] == MACHINE_CLIENT_ID


@pytest.mark.usefixtures("no_credentials")
@pytest.mark.parametrize("from_file", [True, False])
def test_any_aws_call_needs_credentials_checked_first(
    dev_config: EnvironmentConfig, outputs_file: Path, from_file: bool
) -> None:
    with pytest.raises(ToolError, match=r"^no AWS credentials found; .* make smoke ENV=dev,"):
        open_deployment(dev_config, verb="smoke", outputs_file=outputs_file if from_file else None)


def test_clients_are_made_in_the_environments_region_on_aws_itself(
    dev_config: EnvironmentConfig, outputs_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AWS_REGION", "us-west-2")  # the config's region wins over the shell's

    deployed = open_deployment(dev_config, verb="smoke", outputs_file=outputs_file)
    cognito = deployed.client("cognito-idp")

    assert cognito.meta.region_name == "eu-west-1"
    assert cognito.meta.endpoint_url == "https://cognito-idp.eu-west-1.amazonaws.com"


def test_a_real_environment_is_never_opened_on_an_endpoint_override(
    dev_config: EnvironmentConfig, outputs_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AWS_ENDPOINT_URL", "http://127.0.0.1:4566")
    with pytest.raises(ToolError, match=r"dev is a real environment .* AWS_ENDPOINT_URL redirects"):
        open_deployment(dev_config, verb="smoke", outputs_file=outputs_file)


def test_credentials_come_from_the_whole_chain_not_only_environment_keys(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    isolate_aws(monkeypatch, tmp_path, credentials=False)
    (tmp_path / "no-aws-credentials").write_text(
        "[ops]\naws_access_key_id = AKIDPROFILE\naws_secret_access_key = fake-profile-secret\n"
    )
    monkeypatch.setenv("AWS_PROFILE", "ops")

    require_credentials("make diff ENV=dev", {"AWS_PROFILE": "ops"})  # no error: the profile has keys

    monkeypatch.setenv("AWS_PROFILE", "other")
    with pytest.raises(ToolError, match=r"^AWS_PROFILE=other is not a profile in your AWS config; "):
        require_credentials("make diff ENV=dev", {"AWS_PROFILE": "other"})


def test_an_endpoint_override_is_no_way_around_the_credentials_check(no_credentials: None) -> None:
    with pytest.raises(ToolError, match="no AWS credentials found"):
        require_credentials("make smoke ENV=dev", {"AWS_ENDPOINT_URL": "http://127.0.0.1:4566"})


def test_an_unreadable_outputs_file_is_one_line(dev_config: EnvironmentConfig, tmp_path: Path) -> None:
    path = tmp_path / "cdk-outputs.json"
    path.write_text(json.dumps(["not", "a", "mapping"]))
    with pytest.raises(ToolError, match=r"is not \{stack name: \{output key: value\}\}"):
        open_deployment(dev_config, verb="smoke", outputs_file=path)

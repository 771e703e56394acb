"""How ``make smoke`` and ``make login`` fail before they do anything: a missing or mistyped ENV, a
config that does not load, and missing AWS credentials. Each is one line on stderr naming the verb,
never a traceback (``lib.cli.run_cli``)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from cdk_app.config import available_environments
from operator_tools.lib.environment import choose_environment
from operator_tools.lib.errors import ToolError
from operator_tools.verbs import login, smoke
from tests.aws_env import isolate_aws
from tests.fixtures import FIXTURE_CONFIG_DIR

TOOLS: dict[str, Callable[[list[str] | None], int]] = {"smoke": smoke.main, "login": login.main}

# Every fixture environment, as the tools list them (see conftest.fixture_environments).
LISTED = ", ".join(available_environments(FIXTURE_CONFIG_DIR))


@pytest.mark.parametrize("verb", sorted(TOOLS))
def test_without_env_the_environments_are_listed(verb: str, capsys: pytest.CaptureFixture[str]) -> None:
    code = TOOLS[verb]([])

    assert code == 2
    assert capsys.readouterr().err == (
        f"{verb}: ENV is required, e.g. make {verb} ENV=dev; environments: {LISTED}\n"
    )


@pytest.mark.parametrize("verb", sorted(TOOLS))
def test_a_mistyped_env_gets_the_closest_name(verb: str, capsys: pytest.CaptureFixture[str]) -> None:
    code = TOOLS[verb](["--env", "stagng"])

    assert code == 2
    assert capsys.readouterr().err == (
        f"{verb}: no environment named 'stagng' (did you mean make {verb} ENV=staging?); "
        f"environments: {LISTED}\n"
    )


@pytest.fixture
def no_credentials(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    isolate_aws(monkeypatch, tmp_path, credentials=False)


@pytest.mark.usefixtures("no_credentials")
@pytest.mark.parametrize("verb", sorted(TOOLS))
def test_without_credentials_one_line_says_so_before_any_aws_call(
    verb: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code = TOOLS[verb](["--env", "dev"])

    printed = capsys.readouterr()
    assert code == 1
    assert printed.out == ""
    assert printed.err == (
        f"{verb}: no AWS credentials found; sign in (e.g. `aws sso login --profile NAME`) and run "
        f"AWS_PROFILE=NAME make {verb} ENV=dev, or set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY\n"
    )


@pytest.mark.usefixtures("no_credentials")
def test_smoke_needs_credentials_even_with_an_outputs_file(
    outputs_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # The m2m client's secret only comes from the Cognito API.
    code = smoke.main(["--env", "dev", "--outputs-file", str(outputs_file)])

    printed = capsys.readouterr()
    assert code == 1
    assert "PASS" not in printed.out
    assert printed.err.startswith("smoke: no AWS credentials found; ")


@pytest.mark.usefixtures("no_credentials")
def test_login_of_a_spa_client_from_an_outputs_file_needs_no_credentials(
    outputs_file: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def reached(*_args: object, **_kwargs: object) -> None:
        raise ToolError("reached the sign-in")

    monkeypatch.setattr(login, "sign_in", reached)

    code = login.main(["--env", "dev", "--outputs-file", str(outputs_file), "--no-browser"])

    assert code == 1
    assert capsys.readouterr().err == "login: reached the sign-in\n"


@pytest.mark.parametrize("verb", sorted(TOOLS))
def test_a_config_that_does_not_load_is_one_line_and_exit_2(
    verb: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    broken = tmp_path / "config"
    broken.mkdir()
    dev = (FIXTURE_CONFIG_DIR / "dev.yaml").read_text(encoding="utf-8")
    (broken / "dev.yaml").write_text(dev.replace("region: eu-west-1", "region: eu-west-9"), encoding="utf-8")
    module = {"smoke": smoke, "login": login}[verb]
    monkeypatch.setattr(module, "choose_environment", lambda name, v: choose_environment(name, v, broken))

    code = TOOLS[verb](["--env", "dev"])

    err = capsys.readouterr().err
    assert code == 2
    assert err.startswith(f"{verb}: config error in {broken / 'dev.yaml'}:")
    assert "region: 'eu-west-9' is not an AWS region" in err
    assert err.count("\n") == 1

"""Every class of bad input stops with one clear message naming the file, the field and the reason."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from cdk_app.config import ConfigError, EnvironmentConfig
from tests.config.conftest import WriteConfig

Load = Callable[..., EnvironmentConfig]


def error_of(load: Load, name: str = "bad") -> ConfigError:
    with pytest.raises(ConfigError) as info:
        load(name)
    return info.value


def test_yaml_syntax_error_names_file_and_line(write_config: WriteConfig, load: Load) -> None:
    write_config(text="tier: development\nuser_pool: [unclosed\n")
    err = error_of(load)
    assert err.file.endswith("bad.yaml")
    assert (err.line, err.reason) == (3, "invalid YAML: did not find expected ',' or ']'")


def test_unknown_key_is_rejected_with_its_path(write_config: WriteConfig, load: Load) -> None:
    write_config(lambda raw: raw["user_pool"]["mfa"].update(mode_typo="on"))
    err = error_of(load)
    assert err.field == "user_pool.mfa.mode_typo"
    assert "unknown key" in err.reason


def test_wrong_type(write_config: WriteConfig, load: Load) -> None:
    write_config(lambda raw: raw["user_pool"].update(self_sign_up="sometimes"))
    err = error_of(load)
    assert err.field == "user_pool.self_sign_up"
    assert err.reason == "must be true or false"


def test_out_of_range_value(write_config: WriteConfig, load: Load) -> None:
    write_config(lambda raw: raw["clients"][0].update(access_token_validity_minutes=2))
    err = error_of(load)
    assert err.field == "clients[0].access_token_validity_minutes"
    assert err.reason == "must be at least 5"


def test_empty_file(write_config: WriteConfig, load: Load) -> None:
    write_config(text="# nothing here\n")
    err = error_of(load)
    assert err.field is None
    assert "empty" in err.reason


def test_missing_environment_lists_the_ones_that_exist(write_config: WriteConfig, load: Load) -> None:
    write_config(name="alpha")
    write_config(name="beta")
    err = error_of(load, "gamma")
    assert not err.file.endswith("gamma.yaml"), "no file of that name exists to point at"
    assert "no environment named 'gamma'" in err.reason
    assert "alpha, beta" in err.reason


def test_missing_required_key(write_config: WriteConfig, load: Load) -> None:
    write_config(lambda raw: raw.pop("domain"))
    err = error_of(load)
    assert err.field == "domain"
    assert "required" in err.reason


def test_name_key_is_refused_because_the_file_name_is_the_name(write_config: WriteConfig, load: Load) -> None:
    write_config(lambda raw: raw.update(name="prod"))
    assert error_of(load).field == "name"


@pytest.mark.parametrize(
    "path",
    [
        ("identity_providers", "google", "client_secret"),
        ("user_pool", "password"),
        ("api", "api_key"),
        ("tags", "db_password"),
        ("token_customization", "client_credentials_claims", "api_key"),
    ],
)
def test_plaintext_secret_is_rejected(write_config: WriteConfig, load: Load, path: tuple[str, ...]) -> None:
    def edit(raw: dict[str, object]) -> None:
        node = raw
        for key in path[:-1]:
            node = node.setdefault(key, {})  # type: ignore[assignment]
        node[path[-1]] = "hunter2-plaintext"

    write_config(edit)
    err = error_of(load)
    assert err.field == ".".join(path)
    assert "plaintext secret" in err.reason
    assert "hunter2" not in str(err), "the message must not echo the secret"


def test_message_is_one_short_paragraph(write_config: WriteConfig, load: Load) -> None:
    write_config(lambda raw: raw["user_pool"].update(feature_plan="gold"))
    text = str(error_of(load))
    assert "\n" not in text
    assert text.startswith("config error in ")
    assert "user_pool.feature_plan" in text
    assert len(text) < 400


def test_errors_name_the_file_relative_to_where_you_run(
    write_config: WriteConfig, load: Load, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_config(lambda raw: raw.update(tier="qa"))
    monkeypatch.chdir(tmp_path)
    assert error_of(load).file == "bad.yaml"

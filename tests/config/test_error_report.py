"""Every problem in a file is reported at once, each at its file, line and key path, in plain words,
with a did-you-mean where one fits; values are read as YAML 1.2 and validated strictly."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from cdk_app.config import ConfigError, EnvironmentConfig
from cdk_app.config.api import WafConfig
from cdk_app.config.yaml_io import read_yaml_file
from tests.config.conftest import WriteConfig, edited

Load = Callable[..., EnvironmentConfig]


def error_of(load: Load) -> ConfigError:
    with pytest.raises(ConfigError) as caught:
        load()
    return caught.value


def test_mfa_mode_off_is_the_text_off(write_config: WriteConfig, load: Load, dev_text: str) -> None:
    write_config(
        text=edited(dev_text, ("    mode: optional\n    factors: [totp]", "    mode: off\n    factors: []"))
    )
    assert load().user_pool.mfa.mode == "off"


def test_true_and_false_are_booleans(write_config: WriteConfig, load: Load, dev_text: str) -> None:
    write_config(text=edited(dev_text, ("waf:\n  enabled: false", "waf:\n  enabled: true")))
    assert load().waf.enabled is True


@pytest.mark.parametrize("word", ["yes", "no", "on", "off", "y"])
def test_a_yaml_1_1_boolean_word_for_a_boolean_says_write_true_or_false(
    write_config: WriteConfig, load: Load, dev_text: str, word: str
) -> None:
    write_config(text=edited(dev_text, ("waf:\n  enabled: false", f"waf:\n  enabled: {word}")))
    error = error_of(load)
    assert (error.field, error.line) == ("waf.enabled", dev_text.splitlines().index("waf:") + 2)
    assert error.reason == f"must be true or false; {word!r} is text in YAML 1.2 (write true or false)"


def test_every_problem_is_reported_at_once_in_file_order(
    write_config: WriteConfig, load: Load, dev_text: str
) -> None:
    write_config(
        text=edited(
            dev_text,
            ("region: eu-west-1", "region: eu-west-9"),
            ("    mode: optional", "    mdoe: optional"),
            ("  self_sign_up: true", "  self_sign_up: sometimes"),
            ("    scopes: [api/read, api/write]", "    scopes: api/read"),
            ("    memory_mb: 256", "    memory_mb: '256'"),
        )
    )
    error = error_of(load)
    lines = dev_text.splitlines()

    def line(text: str) -> int:
        return lines.index(text) + 1

    assert [(p.line, p.field, p.reason) for p in error.problems] == [
        (
            line("region: eu-west-1"),
            "region",
            "'eu-west-9' is not an AWS region; did you mean 'eu-west-1', 'eu-west-2' or 'eu-west-3'? "
            "(if it is new, upgrade botocore)",
        ),
        (line("  self_sign_up: true"), "user_pool.self_sign_up", "must be true or false"),
        (line("    mode: optional"), "user_pool.mfa.mdoe", "unknown key; did you mean 'mode'?"),
        (line("    scopes: [api/read, api/write]"), "clients[1].scopes", "must be a list"),
        (line("    memory_mb: 256"), "api.function.memory_mb", "must be a whole number"),
    ]
    assert str(error).splitlines()[0] == (
        f"config error in {error.file}:{line('region: eu-west-1')}: region: 'eu-west-9' is not an AWS "
        "region; did you mean 'eu-west-1', 'eu-west-2' or 'eu-west-3'? (if it is new, upgrade botocore)"
    )


def test_problems_are_capped_and_the_rest_counted(write_config: WriteConfig, load: Load) -> None:
    write_config(lambda raw: raw.update({f"extra_{i:02}": i for i in range(30)}))
    error = error_of(load)
    lines = str(error).splitlines()
    assert len(error.problems) == 20
    assert lines[-1] == "... and 10 more (showing the first 20)"
    assert all(line.startswith("config error in ") for line in lines[:-1])


@pytest.mark.parametrize(
    ("key_path", "typo", "field", "reason"),
    [
        ((), "regoin", "regoin", "unknown key; did you mean 'region'?"),
        (("user_pool", "password_policy"), "min_lenght", "user_pool.password_policy.min_lenght", "unknown key; did you mean 'min_length'?"),
        (("clients", 0), "callback_url", "clients[0].callback_url", "unknown key; did you mean 'callback_urls'?"),
        (("waf",), "colour", "waf.colour", f"unknown key; expected one of: {', '.join(WafConfig.model_fields)}"),
    ],
)  # fmt: skip
def test_an_unknown_key_suggests_the_key_meant(
    write_config: WriteConfig, load: Load, key_path: tuple[str | int, ...], typo: str, field: str, reason: str
) -> None:
    def edit(raw: dict[str, object]) -> None:
        node: object = raw
        for part in key_path:
            node = node[part]  # type: ignore[index]
        node[typo] = 1  # type: ignore[index]

    write_config(edit)
    error = error_of(load)
    assert (error.field, error.reason) == (field, reason)


@pytest.mark.parametrize(
    ("old", "new", "field", "reason"),
    [
        ("region: eu-west-1", "account: 012345678901", "account", "must be text (quote it if YAML reads it as"),
        ("  prefix: sso-dev-example-1234", "  prefix: [a]", "domain.prefix", "must be text"),
        ("domain:\n  prefix: sso-dev-example-1234\n  ui: managed_login", "domain: sso", "domain", "must be a mapping"),
        ("  feature_plan: essentials", "  feature_plan: gold", "user_pool.feature_plan", "must be 'lite', 'essentials' or 'plus', not 'gold'"),
        ("    min_length: 12", "    min_length: 1.5", "user_pool.password_policy.min_length", "must be a whole number"),
        ("  throttling_rate_limit: 20", "  throttling_rate_limit: fast", "api.throttling_rate_limit", "must be a number"),
        ("  - name: spa", "  - name: ''", "clients[0].name", "must match the pattern"),
        ("  Project: cognito-sso", "  aws:Project: cognito-sso", "tags.aws:Project", "the key 'aws:Project' must match the pattern"),
    ],
)  # fmt: skip
def test_reasons_are_in_plain_words(
    write_config: WriteConfig, load: Load, dev_text: str, old: str, new: str, field: str, reason: str
) -> None:
    write_config(text=edited(dev_text, (old, new)))
    error = error_of(load)
    assert (error.field, error.line) == (field, dev_text[: dev_text.index(old)].count("\n") + 1)
    assert error.reason.startswith(reason)
    assert "Input should" not in str(error)


def test_a_file_full_of_one_yaml_refusal_is_one_line_with_a_count_and_the_first_place(
    write_config: WriteConfig, load: Load, dev_text: str
) -> None:
    aliases = "".join(f"  alias_{i}: *owner\n" for i in range(50))
    write_config(
        text=edited(dev_text, ("  Project: cognito-sso\n", f"  Project: &owner cognito-sso\n{aliases}"))
    )
    error = error_of(load)
    lines = str(error).splitlines()
    first = dev_text.splitlines().index("  Project: cognito-sso") + 1
    assert len(lines) <= 5, str(error)
    assert (
        lines[0]
        == f"config error in {error.file}:{first}: tags.Project: anchors (&owner) are not supported; write the value out"
    )
    assert lines[1] == (
        f"config error in {error.file}:{first + 1}: tags.alias_0: aliases (*owner) are not supported; write the "
        f"value out (and 18 more like it: lines {first + 2}, {first + 3}, {first + 4}, …)"
    )
    assert lines[2].startswith("... and ")
    assert len(error.problems) == 20, "the problems themselves are all kept"


def test_one_rule_broken_by_many_clients_is_one_line(write_config: WriteConfig, load: Load) -> None:
    def edit(raw: dict[str, object]) -> None:
        spa: dict[str, object] = raw["clients"][0]  # type: ignore[index]
        raw["clients"] = [{**spa, "name": f"app-{i}", "scopes": ["openid", "api/delete"]} for i in range(30)]

    lines_of = read_yaml_file(write_config(edit)).lines
    error = error_of(load)
    lines = str(error).splitlines()
    scopes = [lines_of[("clients", i, "scopes")] for i in range(4)]
    assert len(lines) <= 5, str(error)
    assert lines[0] == (
        f"config error in {error.file}:{scopes[0]}: clients[0].scopes: 'api/delete' (client 'app-0') is "
        "neither an OIDC scope nor a resource-server scope; defined: ['api/admin', 'api/read', 'api/write'] "
        f"(and 19 more like it: lines {scopes[1]}, {scopes[2]}, {scopes[3]}, …)"
    )
    assert lines[1] == "... and 10 more (showing the first 20)"


def test_the_same_mistake_at_two_keys_is_two_lines(write_config: WriteConfig, load: Load) -> None:
    # Not one kind: each key needs its own fix.
    write_config(lambda raw: (raw["user_pool"].update(self_sign_up="x"), raw["waf"].update(enabled="x")))
    error = error_of(load)
    assert [p.field for p in error.problems] == ["user_pool.self_sign_up", "waf.enabled"]
    assert len(str(error).splitlines()) == 2


def test_one_type_error_at_every_item_of_a_list_is_one_line(write_config: WriteConfig, load: Load) -> None:
    def edit(raw: dict[str, object]) -> None:
        origins = ["https://app.example.com", 1, 2, 3]
        raw["api"]["cors"]["allow_origins"] = origins  # type: ignore[index]

    lines_of = read_yaml_file(write_config(edit)).lines
    error = error_of(load)
    items = [lines_of[("api", "cors", "allow_origins", i)] for i in (1, 2, 3)]
    assert len(error.problems) == 3
    assert str(error) == (
        f"config error in {error.file}:{items[0]}: api.cors.allow_origins[1]: must be text (quote it if YAML "
        f"reads it as a number, true/false or null) (and 2 more like it: lines {items[1]}, {items[2]})"
    )

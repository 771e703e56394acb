"""The rules across keys and files live in one package, run in one written order by one validator,
on every path that loads config; the models never import them."""

from __future__ import annotations

import inspect
from collections.abc import Callable
from pathlib import Path
from typing import Any

import grimp
import pytest

from cdk_app.config import ConfigError, EnvironmentConfig, rules
from cdk_app.config.loading import load_environment
from cdk_app.config.rules import (
    attribute_trust,
    federation,
    pipeline,
    pool,
    references,
    sign_in,
    tenants,
    tiers,
)
from cdk_app.config.rules.subject import Loaded
from tests.config.conftest import WriteConfig
from tests.fixtures import FIXTURE_CONFIG_DIR
from tests.fixtures.config_dir import project_of
from tests.fixtures.small_environment import small_environment

RULE_MODULES = (pool, sign_in, tiers, references, attribute_trust, pipeline, federation, tenants)
CONNECTION = "arn:aws:codeconnections:eu-west-1:222222222222:connection/00000000-0000-0000-0000-000000000000"


# Moved from tests/local/test_deploy_target.py with the rule (it was a model validator there).
@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        (
            {"deploy_target": "emulator", "account": "000000000000", "tier": "staging"},
            "only takes tier 'development'",
        ),
        ({"deploy_target": "emulator"}, "sets account '000000000000'"),
        ({"deploy_target": "emulator", "account": "123456789012"}, "sets account '000000000000'"),
        ({"account": "000000000000"}, "is the local emulator's account"),
    ],
)  # fmt: skip
def test_config_pins_emulator_environments_to_the_emulators_account_and_only_them(
    overrides: dict[str, Any], message: str
) -> None:
    with pytest.raises(ConfigError, match=message):
        checked(small_environment(**overrides))


def test_an_emulator_environment_on_its_account_is_accepted() -> None:
    checked(small_environment(deploy_target="emulator", account="000000000000"))


def checked(env: EnvironmentConfig) -> None:
    """Run every rule on a model built in code, as the loaders do on a file's."""
    problems = rules.check(Loaded({env.name: env}))
    if problems:
        raise ConfigError.of(problems)


def _public_functions(module: object) -> set[Callable[..., object]]:
    return {
        f
        for name, f in inspect.getmembers(module, inspect.isfunction)
        if not name.startswith("_") and f.__module__ == getattr(module, "__name__", None)
    }


def test_every_rule_runs_once_in_the_written_order() -> None:
    written = [*rules.ENVIRONMENT_RULES, *rules.PROJECT_RULES]
    assert len(written) == len(set(written)), "a rule is listed twice"
    defined = set().union(*(_public_functions(m) for m in RULE_MODULES))
    assert set(written) == defined, "every public function of a rule module is a rule, listed in the order"
    across = _public_functions(pipeline) | _public_functions(tenants) | {federation.identifiers_are_unique}
    assert set(rules.PROJECT_RULES) == across, "the rules across files take Loaded"


def test_the_models_never_import_the_rules_or_the_loaders() -> None:
    graph = grimp.build_graph("cdk_app", cache_dir=None)
    above = {"cdk_app.config.rules", "cdk_app.config.loading", "cdk_app.config"}
    above |= graph.find_descendants("cdk_app.config.rules") | graph.find_descendants("cdk_app.config.loading")
    models = {m for m in graph.find_descendants("cdk_app.config") if m not in above}
    imports = {
        (model, imported)
        for model in models
        for imported in graph.find_modules_directly_imported_by(model)
        if imported in above
    }
    assert imports == set()


def test_every_rule_broken_is_reported_at_once_in_rule_order(
    write_config: WriteConfig, tmp_path: Path
) -> None:
    def edit(raw: dict[str, Any]) -> None:
        raw["tier"] = "staging"
        raw["api"]["cors"]["allow_origins"] = ["*"]
        raw["api"]["admin_group"] = "root"

    write_config(edit)
    with pytest.raises(ConfigError) as caught:
        load_environment("bad", tmp_path)
    assert [p.field for p in caught.value.problems] == [
        "api.cors.allow_origins",  # tiers
        "api.admin_group",  # references
        "token_customization.group_scopes",  # sign-in: 'root' does not earn api/admin
    ]
    assert all(p.line for p in caught.value.problems), "each at its line"


def test_a_violation_in_a_model_built_in_code_names_its_file_without_a_line() -> None:
    dev = load_environment("dev", FIXTURE_CONFIG_DIR)
    broken = dev.model_copy(update={"api": dev.api.model_copy(update={"admin_group": "root"})})
    with pytest.raises(ConfigError) as caught:
        checked(broken)
    error = caught.value
    assert (error.file, error.line, error.field) == ("config/dev.yaml", None, "api.admin_group")
    assert error.reason == "'root' is not one of user_pool.groups"


def test_pipeline_rules_run_across_files_in_rule_order(tmp_path: Path) -> None:
    dev = load_environment("dev", FIXTURE_CONFIG_DIR)
    pipeline_file = (
        "enabled: true\naccount: '222222222222'\nregion: eu-west-1\nenvironments: [dev, prod]\n"
        f"source: {{repository: example-org/cognito-sso-cdk, connection_arn: '{CONNECTION}'}}\n"
    )
    with pytest.raises(ConfigError) as caught:
        project_of(tmp_path / "config", dev, pipeline=pipeline_file)
    shown = [
        (Path(p.file).relative_to(tmp_path), p.field, p.reason.split(";")[0].replace(f"{tmp_path}/", ""))
        for p in caught.value.problems
    ]
    assert shown == [
        # In rule order: first every environment that does not exist, then every one without an account.
        (Path("config/pipeline/pipeline.yaml"), "environments[1]", "'prod' is not an environment"),
        (
            Path("config/pipeline/pipeline.yaml"),
            "environments[0]",
            "'dev' has no account and region in config/dev.yaml",
        ),
    ]

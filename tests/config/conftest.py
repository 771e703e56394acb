"""Fixtures that write a config file from the fixture dev.yaml (tests/fixtures/config), one key changed."""

from __future__ import annotations

import copy
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from cdk_app.config import ConfigError, EnvironmentConfig
from cdk_app.config.loading import load_environment
from cdk_app.config.yaml_io import read_yaml_file
from tests.fixtures import FIXTURE_CONFIG_DIR

WriteConfig = Callable[..., Path]


class _NoAliasDumper(yaml.SafeDumper):
    """Writes a value used twice in full: the loader refuses YAML aliases."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


@pytest.fixture(scope="session")
def dev_raw() -> dict[str, Any]:
    raw: dict[str, Any] = read_yaml_file(FIXTURE_CONFIG_DIR / "dev.yaml").data
    return raw


@pytest.fixture(scope="session")
def dev_text() -> str:
    """dev.yaml as written, for edits that must keep YAML spelling (``off`` unquoted, say)."""
    return (FIXTURE_CONFIG_DIR / "dev.yaml").read_text(encoding="utf-8")


def edited(text: str, *replacements: tuple[str, str]) -> str:
    """``text`` with each ``(old, new)`` replaced once; fails if ``old`` is not there."""
    for old, new in replacements:
        assert old in text, f"{old!r} is not in the file"
        text = text.replace(old, new, 1)
    return text


@pytest.fixture
def write_config(tmp_path: Path, dev_raw: dict[str, Any]) -> WriteConfig:
    """Write ``<tmp>/<name>.yaml`` from dev.yaml after ``edit(raw)``; or raw ``text`` verbatim."""

    def write(
        edit: Callable[[dict[str, Any]], None] | None = None, *, text: str | None = None, name: str = "bad"
    ) -> Path:
        path = tmp_path / f"{name}.yaml"
        if text is None:
            raw = copy.deepcopy(dev_raw)
            if edit is not None:
                edit(raw)
            text = yaml.dump(raw, Dumper=_NoAliasDumper, sort_keys=False)
        path.write_text(text)
        return path

    return write


@pytest.fixture
def load(tmp_path: Path) -> Callable[[str], EnvironmentConfig]:
    return lambda name="bad": load_environment(name, tmp_path)


Refused = Callable[[str, Callable[[dict[str, Any]], None], str, str], ConfigError]


@pytest.fixture
def refused(write_config: WriteConfig, load: Callable[..., EnvironmentConfig]) -> Refused:
    """Write dev.yaml changed by ``edit``, load it, and return the one ``ConfigError`` it must raise,
    after checking that the error names ``field`` and gives ``reason`` (``case`` labels failures)."""

    def check(case: str, edit: Callable[[dict[str, Any]], None], field: str, reason: str) -> ConfigError:
        write_config(edit)
        with pytest.raises(ConfigError) as info:
            load()
        assert info.value.field == field, f"{case}: {info.value}"
        assert reason in info.value.reason, f"{case}: {info.value}"
        return info.value

    return check

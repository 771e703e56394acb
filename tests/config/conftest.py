"""Fixtures that write a config file from the shipped dev config, changed one key at a time."""

from __future__ import annotations

import copy
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from cdk_app.config import EnvironmentConfig, load_environment
from cdk_app.config.loader import CONFIG_DIR

WriteConfig = Callable[..., Path]


@pytest.fixture(scope="session")
def dev_raw() -> dict[str, Any]:
    raw: dict[str, Any] = yaml.safe_load((CONFIG_DIR / "dev.yaml").read_text())
    return raw


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
            text = yaml.safe_dump(raw, sort_keys=False)
        path.write_text(text)
        return path

    return write


@pytest.fixture
def load(tmp_path: Path) -> Callable[[str], EnvironmentConfig]:
    return lambda name="bad": load_environment(name, tmp_path)

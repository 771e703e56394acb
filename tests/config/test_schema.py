"""The JSON Schemas for editors are generated from the models, current, and named by every shipped
config file, and they know every key the shipped files use."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from cdk_app.config.environment import EnvironmentConfig
from cdk_app.config.loading.loader import CONFIG_DIR
from cdk_app.config.yaml_io import parse_yaml, read_yaml_file
from dev_tools import config_schema
from tests.fixtures.tenants import tenant_text

SHIPPED = sorted(CONFIG_DIR.glob("*.yaml")) + sorted((CONFIG_DIR / "pipeline").glob("*.yaml"))


def test_the_schemas_and_the_docs_reference_are_current() -> None:
    stale = [
        str(path.relative_to(CONFIG_DIR.parent))
        for path, text in config_schema.rendered().items()
        if not path.is_file() or path.read_text(encoding="utf-8") != text
    ]
    assert stale == [], "run `make schema` and commit the result"
    assert config_schema.main(["--check"]) == 0


@pytest.mark.parametrize("config", SHIPPED, ids=[p.name for p in SHIPPED])
def test_every_shipped_config_names_its_schema_on_its_first_line(config: Path) -> None:
    first = config.read_text(encoding="utf-8").splitlines()[0]
    assert first == config_schema.schema_comment(config)
    target = (config.parent / first.split("$schema=", 1)[1]).resolve()
    assert target.is_file(), f"{config.name} points at {target}, which does not exist"


def test_the_environment_schema_takes_the_keys_the_loader_takes() -> None:
    schema = config_schema.environment_schema()
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["additionalProperties"] is False
    assert list(schema["properties"]) == [
        k for k in EnvironmentConfig.model_fields if k not in ("name", "tenants")
    ]
    assert "name" not in schema["required"], "the name comes from the file name"


def _unknown_keys(data: Any, node: dict[str, Any], defs: dict[str, Any], at: str) -> list[str]:
    """Keys in ``data`` that the schema ``node`` does not declare (following $ref, anyOf, items)."""
    if "$ref" in node:
        return _unknown_keys(data, defs[node["$ref"].rsplit("/", 1)[1]], defs, at)
    for option in node.get("anyOf", []):
        if option.get("type") != "null":
            return _unknown_keys(data, option, defs, at)
    found: list[str] = []
    if isinstance(data, dict) and "properties" in node:
        for key, value in data.items():
            if key not in node["properties"]:
                found.append(f"{at}.{key}")
            else:
                found += _unknown_keys(value, node["properties"][key], defs, f"{at}.{key}")
    elif isinstance(data, dict) and isinstance(node.get("additionalProperties"), dict):
        for key, value in data.items():
            found += _unknown_keys(value, node["additionalProperties"], defs, f"{at}.{key}")
    elif isinstance(data, list) and "items" in node:
        for i, value in enumerate(data):
            found += _unknown_keys(value, node["items"], defs, f"{at}[{i}]")
    return found


@pytest.mark.parametrize("config", SHIPPED, ids=[p.name for p in SHIPPED])
def test_the_schema_knows_every_key_of_the_shipped_configs(config: Path) -> None:
    name = config_schema.schema_comment(config).rsplit("/", 1)[1]
    schema = json.loads((config_schema.SCHEMA_DIR / name).read_text(encoding="utf-8"))
    data = read_yaml_file(config).data
    assert _unknown_keys(data, schema, schema.get("$defs", {}), config.stem) == []
    assert _unknown_keys({**data, "mdoe": 1}, schema, schema.get("$defs", {}), "x") == ["x.mdoe"]


def test_the_tenant_schema_knows_every_key_of_a_tenant_file() -> None:
    schema = json.loads((config_schema.SCHEMA_DIR / "tenant.schema.json").read_text(encoding="utf-8"))
    assert "name" not in schema["properties"], "a tenant's name is its file's name"
    text = tenant_text("Globex", "globex.example.com", client="globex")
    data = parse_yaml(text, "globex.yaml").data
    assert _unknown_keys(data, schema, schema["$defs"], "t") == []
    assert _unknown_keys({**data, "colour": 1}, schema, schema["$defs"], "t") == ["t.colour"]
    assert config_schema.schema_comment(CONFIG_DIR / "tenants" / "prod" / "globex.yaml").endswith(
        "$schema=../../schema/tenant.schema.json"
    )

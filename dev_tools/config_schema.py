"""Generate the JSON Schemas that editors use to complete and check config files as you type.

``python -m dev_tools.config_schema`` (``make schema``) writes ``config/schema/environment.schema.json``,
``config/schema/pipeline.schema.json`` and ``config/schema/tenant.schema.json`` (tenant files) from the
pydantic models, and refreshes the generated config reference in docs/configuration.md. ``--check``
writes nothing and exits 1 if any is stale
(tests/config/test_schema.py runs the same comparison).

Each shipped config file names its schema on its first line, which the YAML language server (VS
Code's YAML extension, JetBrains IDEs, Neovim) reads::

    # yaml-language-server: $schema=./schema/environment.schema.json

The schema is a help for editors; the loader (cdk_app/config) stays the authority, so cross-field
rules (tier rules, references between keys) are reported at synth, not in the editor.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from cdk_app.config.environment import EnvironmentConfig
from cdk_app.config.loading.loader import CONFIG_DIR
from cdk_app.config.pipeline import PIPELINE_FILE, PipelineConfig
from cdk_app.config.tenants import TENANTS_DIR, TenantConfig
from dev_tools import config_reference

SCHEMA_DIR = CONFIG_DIR / "schema"
DOCS = CONFIG_DIR.parent / "docs" / "configuration.md"
DIALECT = "https://json-schema.org/draft/2020-12/schema"


def _schema(model: type[BaseModel], title: str, file_sets: Sequence[str] = ()) -> dict[str, Any]:
    schema = model.model_json_schema(mode="validation")
    for key in file_sets:  # set by the loader from the file name, so the file must not carry it
        schema["properties"].pop(key)
        schema["required"] = [r for r in schema.get("required", []) if r != key]
    if "$defs" in schema:
        schema["$defs"] = _reachable(schema)
    return {"$schema": DIALECT, **schema, "title": title}


def _reachable(schema: dict[str, Any]) -> dict[str, Any]:
    """The ``$defs`` that the schema still refers to once a key set by the loader is gone."""
    defs: dict[str, Any] = schema["$defs"]
    seen: set[str] = set()
    todo = [{k: v for k, v in schema.items() if k != "$defs"}]
    while todo:
        text = json.dumps(todo.pop())
        for name in defs:
            if name not in seen and f'"#/$defs/{name}"' in text:
                seen.add(name)
                todo.append(defs[name])
    return {name: value for name, value in defs.items() if name in seen}


def environment_schema() -> dict[str, Any]:
    """The schema of ``config/<env>.yaml`` (without ``name``, which is the file's name)."""
    return _schema(EnvironmentConfig, "cognito-sso-cdk environment (config/<env>.yaml)", ["name", "tenants"])


def tenant_schema() -> dict[str, Any]:
    """The schema of ``config/tenants/<env>/<tenant>.yaml`` (without ``name``, the file's name)."""
    return _schema(TenantConfig, "cognito-sso-cdk tenant (config/tenants/<env>/<tenant>.yaml)", ["name"])


def pipeline_schema() -> dict[str, Any]:
    """The schema of ``config/pipeline/pipeline.yaml``."""
    return _schema(PipelineConfig, "cognito-sso-cdk pipeline (config/pipeline/pipeline.yaml)")


SCHEMAS: dict[str, Callable[[], dict[str, Any]]] = {
    "environment.schema.json": environment_schema,
    "pipeline.schema.json": pipeline_schema,
    "tenant.schema.json": tenant_schema,
}


def schema_comment(config_file: Path) -> str:
    """The first line a config file needs to name its schema, relative to the file."""
    if config_file.parent.name == PIPELINE_FILE.parent.name:
        return "# yaml-language-server: $schema=../schema/pipeline.schema.json"
    if config_file.parent.parent.name == TENANTS_DIR:
        return "# yaml-language-server: $schema=../../schema/tenant.schema.json"
    return "# yaml-language-server: $schema=./schema/environment.schema.json"


def rendered() -> dict[Path, str]:
    """Every generated file and the text it must hold."""
    files = {
        SCHEMA_DIR / name: json.dumps(make(), indent=2, ensure_ascii=False) + "\n"
        for name, make in SCHEMAS.items()
    }
    docs = DOCS.read_text(encoding="utf-8")
    start = docs.index(config_reference.BEGIN)
    end = docs.index(config_reference.END) + len(config_reference.END)
    files[DOCS] = docs[:start] + config_reference.render() + docs[end:]
    return files


def main(argv: Sequence[str] | None = None) -> int:
    """Write the schemas and the docs' config reference; with ``--check``, only report stale ones."""
    parser = argparse.ArgumentParser(
        prog="python -m dev_tools.config_schema",
        description="Regenerate config/schema/*.json and the config reference in docs/configuration.md.",
    )
    parser.add_argument("--check", action="store_true", help="write nothing; exit 1 if a file is stale")
    args = parser.parse_args(argv)
    wanted = rendered()
    stale = {p: t for p, t in wanted.items() if not p.is_file() or p.read_text(encoding="utf-8") != t}
    for path, text in stale.items():
        shown = path.relative_to(CONFIG_DIR.parent)
        if args.check:
            print(f"stale: {shown} (run make schema)", file=sys.stderr)
        else:
            path.parent.mkdir(exist_ok=True)
            path.write_text(text, encoding="utf-8")
            print(f"wrote {shown}")
    return 1 if args.check and stale else 0


if __name__ == "__main__":
    sys.exit(main())

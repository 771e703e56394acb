"""The environment variables between each construct and its function's code: one set of names.

The app sets the names in ``cdk_app.contracts``; a function's code cannot import the app at run time,
so its asset ships a plain module with the same names. Both sides must agree, and the code reads its
environment only through that module (never a bare string), so a renamed variable cannot be set
under one name and read under another.
"""

from __future__ import annotations

import ast
import importlib.util
from pathlib import Path
from types import ModuleType

import pytest

from cdk_app.constructs.python_function import FUNCTIONS_DIR
from cdk_app.contracts import (
    ApiFunctionVariables,
    IdpCertCheckVariables,
    PreTokenVariables,
    UserExportVariables,
)

# Each function's folder and the contract class its construct sets the variables from; the folder
# ships the same names in ``<folder>_variables.py``.
CONTRACTS: dict[str, type] = {
    "api": ApiFunctionVariables,
    "pre_token": PreTokenVariables,
    "idp_cert_check": IdpCertCheckVariables,
    "user_export": UserExportVariables,
}
FUNCTIONS = [(folder, f"{folder}_variables", contract) for folder, contract in CONTRACTS.items()]


def _names(source: type | ModuleType) -> dict[str, str]:
    return {k: v for k, v in vars(source).items() if k.isupper() and isinstance(v, str)}


def _load(folder: str, module: str) -> ModuleType:
    # By path and under a name of its own: the folder is an asset, not a package on sys.path.
    spec = importlib.util.spec_from_file_location(f"_names_{folder}", FUNCTIONS_DIR / folder / f"{module}.py")
    assert spec is not None
    assert spec.loader is not None
    loaded = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(loaded)
    return loaded


def _environment_reads(path: Path) -> list[ast.expr]:
    """The key of every ``os.environ.get(k)``, ``os.environ[k]``, ``os.getenv(k)`` in ``path``."""
    keys: list[ast.expr] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Call) and node.args:
            name = ast.unparse(node.func)
            if name in {"os.environ.get", "os.getenv", "environ.get", "getenv"}:
                keys.append(node.args[0])
        elif isinstance(node, ast.Subscript) and ast.unparse(node.value) in {"os.environ", "environ"}:
            keys.append(node.slice)
    return keys


def test_every_function_has_its_names_on_both_sides() -> None:
    # A function is a folder with a handler; functions/user_export holds only the user-file format
    # until its scheduled export's handler lands, and a format reads no environment.
    folders = sorted(p.name for p in FUNCTIONS_DIR.iterdir() if (p / "handler.py").is_file())
    assert folders == sorted(CONTRACTS)


@pytest.mark.parametrize(("folder", "module", "contract"), FUNCTIONS, ids=[f[0] for f in FUNCTIONS])
def test_the_function_ships_the_names_the_construct_sets(folder: str, module: str, contract: type) -> None:
    assert _names(_load(folder, module)) == _names(contract)
    assert _names(contract), "a contract without names"


@pytest.mark.parametrize(("folder", "module", "contract"), FUNCTIONS, ids=[f[0] for f in FUNCTIONS])
def test_the_function_reads_its_environment_only_by_those_names(
    folder: str, module: str, contract: type
) -> None:
    read: set[str] = set()
    for path in sorted((FUNCTIONS_DIR / folder).glob("*.py")):
        keys = _environment_reads(path)
        if keys:
            assert f"import {module} as variables\n" in path.read_text(encoding="utf-8"), path.name
        for key in keys:
            assert isinstance(key, ast.Attribute), (
                f"{path.name}: reads {ast.unparse(key)}, not a name of {module}"
            )
            assert ast.unparse(key.value) == "variables", f"{path.name}: {ast.unparse(key)}"
            read.add(key.attr)
    # Every name is read: a variable the construct sets and no code reads is a stale contract.
    assert read == set(_names(contract))

"""The developer tooling around the app: plain-text --help that never crashes, Node linking, the synth
recipe's output, the fresh-clone environment of the set-up benchmark, and the mypy settings that
keep a cold type check fast without loosening it for the code we write."""

from __future__ import annotations

import ast
import importlib.util
import json
import os
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from composition.app_settings import APP_SETTINGS
from dev_tools.bytecode import AWS_CDK_MODULES, left_out
from dev_tools.setup_time import clean_environment

ROOT = Path(__file__).resolve().parents[1]
TOOLS = ["dev_tools.bench", "dev_tools.node_link", "dev_tools.lock_check"]


def run(*args: str, cwd: Path = ROOT, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        list(args), cwd=cwd, env=env, capture_output=True, text=True, timeout=120, check=False
    )


@pytest.mark.parametrize("module", TOOLS)
def test_help_is_plain_text_and_exits_0(module: str) -> None:
    done = run(sys.executable, "-m", module, "--help")
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    assert done.stdout.startswith("usage: ")
    for markup in ("``", "::", ":func:", ".. "):
        assert markup not in done.stdout, f"{module} --help shows reStructuredText {markup!r}"


def test_node_link_without_a_directory_is_a_usage_error_not_a_traceback() -> None:
    done = run(sys.executable, "-m", "dev_tools.node_link")
    assert done.returncode == 2
    assert "Traceback" not in done.stderr
    assert "the following arguments are required: BIN_DIR" in done.stderr


def test_node_link_names_a_missing_directory_in_one_line(tmp_path: Path) -> None:
    done = run(sys.executable, "-m", "dev_tools.node_link", str(tmp_path / "missing"))
    assert done.returncode == 1
    assert done.stderr == f"node_link: {tmp_path / 'missing'} is not a directory\n"


def test_node_link_puts_a_working_node_24_and_npm_in_the_directory(tmp_path: Path) -> None:
    (tmp_path / "node").symlink_to("/nonexistent")  # a stale link is replaced
    done = run(sys.executable, "-m", "dev_tools.node_link", str(tmp_path))
    assert done.returncode == 0, done.stderr
    assert run(str(tmp_path / "node"), "--version").stdout.startswith("v24.")
    npm = run(str(tmp_path / "node"), str(tmp_path / "npm"), "--version")
    assert npm.returncode == 0
    assert npm.stdout.strip()[0].isdigit()


FAKE_CDK = """\
#!/bin/bash
echo "template-free stdout: $*"
echo "Successfully synthesized to /tmp/cdk.out" >&2
echo "Supply a stack id () to display its template." >&2
echo "Supply a stack id () to display its template."
echo "a real error" >&2
exit "${FAKE_EXIT:-0}"
"""


@pytest.mark.parametrize("status", [0, 3])
def test_make_synth_drops_only_the_empty_stack_id_hint_and_keeps_the_exit_status(
    tmp_path: Path, status: int
) -> None:
    cdk = tmp_path / "cdk"
    cdk.write_text(FAKE_CDK, encoding="utf-8")
    cdk.chmod(0o755)
    env = {**os.environ, "FAKE_EXIT": str(status)}
    # -o: treat the set-up stamps as up to date, so only the synth recipe runs (with the fake CLI).
    stamps = ["-o", ".venv/.installed", "-o", "node_modules/.installed"]
    done = run("make", "--no-print-directory", *stamps, "synth", f"CDK={cdk}", "ENV=dev", env=env)
    assert "Supply a stack id" not in done.stdout + done.stderr
    assert "template-free stdout: synth --quiet -c env=dev" in done.stdout
    assert "Successfully synthesized to /tmp/cdk.out\na real error\n" in done.stderr
    assert (done.returncode == 0) is (status == 0)


def test_the_set_up_benchmark_runs_make_free_of_this_checkout(tmp_path: Path) -> None:
    outside = f"{ROOT / '.venv' / 'bin'}{os.pathsep}{ROOT / 'node_modules' / '.bin'}{os.pathsep}/usr/bin"
    saved = dict(os.environ)
    try:
        os.environ.clear()
        os.environ.update(PATH=outside, MAKEFLAGS="-j4", MAKELEVEL="1", VIRTUAL_ENV=str(ROOT / ".venv"))
        warm = clean_environment(ROOT, None)
        cold = clean_environment(ROOT, tmp_path)
    finally:
        os.environ.clear()
        os.environ.update(saved)
    assert warm["PATH"] == "/usr/bin"
    assert not {"MAKEFLAGS", "MAKELEVEL", "VIRTUAL_ENV"} & set(warm)
    assert "UV_CACHE_DIR" not in warm
    assert cold["UV_CACHE_DIR"] == str(tmp_path / "uv")
    assert cold["npm_config_cache"] == str(tmp_path / "npm")


@pytest.mark.parametrize(
    ("venv", "module"),
    [
        (".venv", "aws_cdk/__init__.py"),
        (".venv", "aws_cdk/aws_lambda/__init__.py"),
        (".venv", "cdk_nag/__init__.py"),
        (".venv-emulator", "ministack/__init__.py"),
    ],
)
def test_set_up_byte_compiles_every_venv_it_makes(venv: str, module: str) -> None:
    # Where PYTHONDONTWRITEBYTECODE is set (CI images, these machines) Python never caches what it
    # compiles, so without .pyc files from the install every process compiles aws_cdk again.
    (site,) = (ROOT / venv / "lib").glob("python3.*/site-packages")
    source = site / module
    compiled = Path(importlib.util.cache_from_source(str(source)))
    assert compiled.is_file(), f"{module} in {venv} is not byte-compiled: make setup must compile at install"
    header = compiled.read_bytes()[:16]
    if int.from_bytes(header[4:8], "little") == 0:  # timestamp-based: not stale, made from this source
        assert int.from_bytes(header[8:12], "little") == int(source.stat().st_mtime) & 0xFFFFFFFF


def _compiled(source: Path) -> bool:
    compiled = Path(importlib.util.cache_from_source(str(source)))
    return compiled.is_file()


def test_every_aws_cdk_module_a_synth_loads_was_compiled_at_set_up(tmp_path: Path) -> None:
    # dev_tools/bytecode.py compiles the aws_cdk modules the project loads, not all 357: a module
    # that the app or the tests start to load must be added to its list.
    from aws_cdk.assertions import Template

    from cdk_app.config.loading import load_project
    from composition.app_builder import build_app
    from tests.fixtures import FIXTURE_CONFIG_DIR

    app, stages = build_app(load_project(FIXTURE_CONFIG_DIR, None), outdir=str(tmp_path))
    app.synth()
    Template.from_stack(stages["dev"].identity)
    loaded = {
        name: Path(module.__file__)
        for name, module in sys.modules.items()
        if name.startswith("aws_cdk.") and getattr(module, "__file__", None)
    }
    assert len(loaded) > 30
    missing = sorted(name for name, source in loaded.items() if not _compiled(source))
    assert not missing, f"add {sorted({n.split('.')[1] for n in missing})} to dev_tools/bytecode.py's lists"
    assert {n.split(".")[1] for n in loaded} <= AWS_CDK_MODULES


@pytest.mark.parametrize(
    ("path", "at_setup", "for_tests"),
    [
        ("aws_cdk/__init__.py", True, True),
        ("aws_cdk/aws_lambda/__init__.py", True, True),
        ("aws_cdk/interfaces/aws_cognito/__init__.py", True, True),
        ("aws_cdk/interfaces/aws_quicksight/__init__.py", False, True),
        ("aws_cdk/pipelines/__init__.py", False, True),
        ("aws_cdk/aws_quicksight/__init__.py", False, False),
        ("cdk_nag/__init__.py", True, True),
        ("boto3/session.py", True, True),
        ("sympy/core/basic.py", False, True),
        ("pip/__init__.py", False, False),
    ],
)
def test_set_up_compiles_what_synth_loads_and_make_test_the_rest(
    path: str, at_setup: bool, for_tests: bool
) -> None:
    site = Path("/venv/lib/python3.11/site-packages")
    assert (left_out(site, tests=False).search(str(site / path)) is None) is at_setup
    assert (left_out(site, tests=True).search(str(site / path)) is None) is for_tests


def _aws_cdk_modules_imported(paths: list[Path]) -> set[str]:
    """Every aws_cdk module that the given sources import (``from aws_cdk import aws_x`` included)."""
    spec = importlib.util.find_spec("aws_cdk")  # where it is, without starting jsii
    assert spec is not None
    assert spec.submodule_search_locations
    package = Path(next(iter(spec.submodule_search_locations)))
    found: set[str] = set()
    for path in paths:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                found |= {a.name for a in node.names if a.name.split(".")[0] == "aws_cdk"}
            elif isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] == "aws_cdk":
                found.add(str(node.module))
                if node.module == "aws_cdk":
                    found |= {f"aws_cdk.{a.name}" for a in node.names if (package / a.name).is_dir()}
    return found


def test_mypy_reads_every_aws_cdk_module_the_checked_code_imports() -> None:
    mypy = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["mypy"]
    assert mypy["strict"] is True
    followed = {
        module
        for override in mypy["overrides"]
        if override.get("follow_imports") == "normal"
        for module in override["module"]
    }
    skipped = [o for o in mypy["overrides"] if o.get("follow_imports") == "skip"]
    assert [o["module"] for o in skipped] == [["aws_cdk.*"]]
    sources = [ROOT / name for name in mypy["files"] if name.endswith(".py")]
    sources += [p for name in mypy["files"] if not name.endswith(".py") for p in (ROOT / name).rglob("*.py")]
    imported = _aws_cdk_modules_imported(sources)
    assert "aws_cdk.aws_cognito" in imported
    missing = sorted(imported - followed)
    assert not missing, f"add {missing} to the follow_imports = normal list in pyproject.toml"
    assert followed <= imported | {"aws_cdk"}, "pyproject.toml follows aws_cdk modules nothing imports"


def test_cdk_json_sets_no_validation_flag_that_the_app_overrides() -> None:
    flags = json.loads((ROOT / "cdk.json").read_text(encoding="utf-8"))["context"]
    assert "@aws-cdk/core:validateAgainstDefaultRules" not in flags
    assert APP_SETTINGS["builtin_cloud_formation_validation"] is False
    assert "**APP_SETTINGS" in (ROOT / "composition" / "app_builder.py").read_text()


def test_a_cdk_context_json_would_be_committed_not_ignored() -> None:
    # CDK's convention: lookups are cached in cdk.context.json and committed. The app does none, so
    # none exists; if one appears, git shows it instead of hiding a lookup that needs credentials.
    done = run("git", "check-ignore", "--quiet", "cdk.context.json")
    assert done.returncode == 1
    assert not (ROOT / "cdk.context.json").exists()

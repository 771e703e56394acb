"""The layout's import boundaries (README "Layout"), enforced by import-linter's contracts in
pyproject.toml: the app's layers import one way, the CDK app never imports the tools, the tools
import only the app's config and contracts (never aws_cdk), and the operator tools' layers (verbs,
local | users, lib) import one way."""

from __future__ import annotations

import ast
import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import grimp
import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("cdk_app", "stacks", "composition", "change_review", "operator_tools", "dev_tools")
LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"


def _lint_imports(cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache"], cwd=cwd, capture_output=True, text=True, timeout=120, check=False
    )


@pytest.fixture
def tree_copy(tmp_path: Path) -> Path:
    """The packages and the contracts, copied so a test can add a forbidden import."""
    for name in PACKAGES:
        shutil.copytree(ROOT / name, tmp_path / name, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy2(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    return tmp_path


def test_every_import_boundary_is_kept() -> None:
    done = _lint_imports(ROOT)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-2000:]
    assert "Contracts: 5 kept, 0 broken." in done.stdout


@pytest.mark.parametrize(
    ("module", "source", "contract"),
    [
        ("operator_tools/lib/_probe.py", "import aws_cdk\n", "never aws_cdk"),
        ("change_review/_probe.py", "from cdk_app.constructs import user_pool\n", "never aws_cdk"),
        ("cdk_app/_probe.py", "import operator_tools.verbs.smoke\n", "never imports the review"),
        ("stacks/_probe.py", "import change_review\n", "never imports the review"),
        ("change_review/_probe.py", "import operator_tools.lib.errors\n", "independent products"),
        ("operator_tools/lib/_probe.py", "import operator_tools.local.emulator\n", "operator tools' layers"),
        ("operator_tools/lib/_probe.py", "import operator_tools.verbs.smoke\n", "operator tools' layers"),
        ("operator_tools/local/_probe.py", "import operator_tools.verbs.up\n", "operator tools' layers"),
        ("operator_tools/_probe.py", "import operator_tools.lib.errors\n", "operator tools' layers"),
        ("operator_tools/local/_probe.py", "import operator_tools.users.export\n", "operator tools' layers"),
        (
            "operator_tools/users/_probe.py",
            "import operator_tools.local.emulator\n",
            "operator tools' layers",
        ),
        ("operator_tools/lib/_probe.py", "import composition.main\n", "never aws_cdk"),
        # The layers, each broken from just above the layer it may not import:
        ("stacks/_probe.py", "from composition import app_builder\n", "layers import one way"),
        ("cdk_app/constructs/_probe.py", "from stacks import stage\n", "layers import one way"),
        ("cdk_app/config/_probe.py", "from cdk_app.constructs import nag\n", "layers import one way"),
        ("cdk_app/contracts.py", "from cdk_app.config import base\n", "layers import one way"),
    ],
)
def test_a_forbidden_import_breaks_its_contract(
    tree_copy: Path, module: str, source: str, contract: str
) -> None:
    probe = tree_copy / module
    # Appended, so an existing module (contracts.py) keeps what it defines and gains the import.
    probe.write_text((probe.read_text(encoding="utf-8") if probe.exists() else "") + source, encoding="utf-8")
    done = _lint_imports(tree_copy)
    assert done.returncode != 0
    # Each contract's name (wrapped across lines in the report) is followed by KEPT or BROKEN.
    text = " ".join(done.stdout.split()).partition("dependencies.")[2]
    parts = re.split(r" (KEPT|BROKEN)\b", text)
    broken = [name for name, verdict in zip(parts[::2], parts[1::2], strict=False) if verdict == "BROKEN"]
    assert len(broken) == 1, done.stdout[-3000:]
    assert contract in broken[0]


# --- Import cycles ----------------------------------------------------------------------------------
# The product's packages; functions/<name>/ are Lambda assets, not packages, and are checked per folder.
PRODUCT = ("cdk_app", "stacks", "composition", "change_review", "operator_tools", "dev_tools")
FUNCTIONS_DIR = ROOT / "functions"


def cycles(edges: dict[str, set[str]]) -> list[frozenset[str]]:
    """The strongly connected components with more than one member (Tarjan): each is one cycle, or
    several cycles through shared members."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[frozenset[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for target in sorted(edges.get(node, ())):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            members = {stack.pop()}
            while node not in members:
                members.add(stack.pop())
            if len(members) > 1:
                found.append(frozenset(members))

    for node in sorted(edges):
        if node not in index:
            visit(node)
    return found


@pytest.fixture(scope="module")
def module_imports() -> dict[str, set[str]]:
    """Every product module and the product modules it imports, as grimp reads them: imports inside
    functions and under ``if TYPE_CHECKING:`` count."""
    graph = grimp.build_graph(*PRODUCT, exclude_type_checking_imports=False, cache_dir=None)
    return {m: set(graph.find_modules_directly_imported_by(m)) for m in graph.modules}


def _package_of(module: str, modules: dict[str, set[str]]) -> str:
    """The package a module belongs to: a package itself, else its parent (``a.b.c`` -> ``a.b``)."""
    is_package = any(other.startswith(module + ".") for other in modules)
    return module if is_package or "." not in module else module.rpartition(".")[0]


def _collapsed(imports: dict[str, set[str]], unit: Callable[[str], str]) -> dict[str, set[str]]:
    edges: dict[str, set[str]] = {}
    for module, targets in imports.items():
        edges.setdefault(unit(module), set()).update(unit(t) for t in targets if unit(t) != unit(module))
    return edges


def test_no_import_cycle_between_top_level_packages(module_imports: dict[str, set[str]]) -> None:
    found = cycles(_collapsed(module_imports, lambda m: m.partition(".")[0]))
    assert found == [], found


def test_no_import_cycle_between_subpackages(module_imports: dict[str, set[str]]) -> None:
    # A package's own modules and each of its subpackages are units: a subpackage that imports its
    # parent's modules back, while they import it, is a cycle too.
    found = cycles(_collapsed(module_imports, lambda m: _package_of(m, module_imports)))
    assert found == [], found


def test_no_import_cycle_between_files(module_imports: dict[str, set[str]]) -> None:
    found = cycles(module_imports)
    assert found == [], found


def _function_imports(folder: Path) -> dict[str, set[str]]:
    """A function folder's modules and the sibling modules each imports (the folder is /var/task)."""
    names = {p.stem for p in folder.glob("*.py")}
    edges: dict[str, set[str]] = {}
    for path in folder.glob("*.py"):
        imported: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                imported |= {a.name.partition(".")[0] for a in node.names}
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                imported.add(node.module.partition(".")[0])
        edges[path.stem] = imported & names - {path.stem}
    return edges


@pytest.mark.parametrize("folder", sorted(p.name for p in FUNCTIONS_DIR.iterdir() if p.is_dir()))
def test_no_import_cycle_between_a_functions_files(folder: str) -> None:
    edges = _function_imports(FUNCTIONS_DIR / folder)
    assert edges, "a function folder with its modules"
    assert cycles(edges) == []


@pytest.mark.parametrize(
    ("edges", "expected"),
    [
        ({"a": {"b"}, "b": {"a"}}, [{"a", "b"}]),
        ({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}, [{"a", "b", "c"}]),
        ({"a": {"b"}, "b": {"c"}, "d": {"a"}}, []),
    ],
    ids=["two", "three-with-a-tail", "none"],
)
def test_a_cycle_is_found(edges: dict[str, set[str]], expected: list[set[str]]) -> None:
    assert cycles(edges) == expected


def test_a_cycle_through_an_import_under_type_checking_is_found(tree_copy: Path) -> None:
    (tree_copy / "stacks" / "_probe.py").write_text(
        "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    import composition._probe\n",
        encoding="utf-8",
    )
    (tree_copy / "composition" / "_probe.py").write_text("import stacks._probe\n", encoding="utf-8")
    # The copy's packages, in a process of their own (this one has imported the real ones).
    script = (
        "import sys, grimp\n"
        f"graph = grimp.build_graph(*{PRODUCT!r}, exclude_type_checking_imports=False, cache_dir=None)\n"
        "print(graph.direct_import_exists(importer='stacks._probe', imported='composition._probe'))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script],
        cwd=tree_copy,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.stdout.strip() == "True", done.stderr[-2000:]
    edges = {"stacks._probe": {"composition._probe"}, "composition._probe": {"stacks._probe"}}
    assert cycles(edges) == [{"stacks._probe", "composition._probe"}]

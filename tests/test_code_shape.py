"""The shape of the product's code, measured on its syntax trees: units a reader can hold in mind
(no function over 80 lines, no file over 300), and one place that builds a Lambda function."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
# The product: what ships or runs for a user. dev_tools (benchmarks, generators) is the project's own
# tooling, left out of the size limits; tests are not product.
PRODUCT = ("app.py", "cdk_app", "stacks", "composition", "change_review", "operator_tools", "functions")
MAX_FUNCTION_LINES = 80
MAX_FILE_LINES = 300
# The one construct that builds a Lambda function (runtime, arm64, tracing, log group, role, layer).
FUNCTION_CONSTRUCT = "cdk_app/constructs/python_function.py"
# aws_cdk.aws_lambda's function constructs: building any of them elsewhere bypasses that construct.
LAMBDA_FUNCTION_CLASSES = {"Function", "SingletonFunction", "DockerImageFunction"}
# Over a limit on this branch and fixed on another branch of the same change, merged with this one
# (file -> branch). An entry here turns its finding into an expected failure until the fix arrives;
# delete the entry then. Anything over a limit that is not listed fails.
FIXED_BY_MERGE = {"cdk_app/config/yaml_io.py": "config"}


def product_files(*roots: str) -> list[Path]:
    files: list[Path] = []
    for name in roots:
        path = ROOT / name
        files += [path] if path.is_file() else sorted(path.rglob("*.py"))
    return [f for f in files if "__pycache__" not in f.parts]


def _relative(path: Path) -> str:
    return str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else str(path)


def long_functions(path: Path) -> list[str]:
    """``file:line name (n lines)`` for each function or method longer than the limit (decorators
    and docstring included: it is what a reader scrolls through)."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            first = min([node.lineno, *(d.lineno for d in node.decorator_list)])
            length = (node.end_lineno or node.lineno) - first + 1
            if length > MAX_FUNCTION_LINES:
                found.append(f"{_relative(path)}:{node.lineno} {node.name} ({length} lines)")
    return found


def lambda_function_sites(path: Path) -> list[str]:
    """``file:line`` of every construction (or subclass) of an aws_cdk.aws_lambda function class,
    whatever the module or class is imported as."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    modules = {"aws_cdk.aws_lambda"}  # dotted names that refer to the aws_lambda module
    classes: set[str] = set()  # names that refer to one of its function classes
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            modules |= {a.asname for a in node.names if a.name == "aws_cdk.aws_lambda" and a.asname}
        elif isinstance(node, ast.ImportFrom):
            for alias in node.names:
                if node.module == "aws_cdk" and alias.name == "aws_lambda":
                    modules.add(alias.asname or alias.name)
                elif node.module == "aws_cdk.aws_lambda" and alias.name in LAMBDA_FUNCTION_CLASSES:
                    classes.add(alias.asname or alias.name)

    def is_function_class(expr: ast.expr) -> bool:
        if isinstance(expr, ast.Name):
            return expr.id in classes
        return (
            isinstance(expr, ast.Attribute)
            and expr.attr in LAMBDA_FUNCTION_CLASSES
            and ast.unparse(expr.value) in modules
        )

    sites = []
    for node in ast.walk(tree):
        if (isinstance(node, ast.Call) and is_function_class(node.func)) or (
            isinstance(node, ast.ClassDef) and any(is_function_class(b) for b in node.bases)
        ):
            sites.append(f"{_relative(path)}:{node.lineno}")
    return sites


def _assert_none_but_pending(found: list[str], advice: str) -> None:
    """``found`` (``file[:line] ...``) is empty, or holds only what another branch fixes (xfail)."""
    unexpected = [f for f in found if f.partition(" ")[0].partition(":")[0] not in FIXED_BY_MERGE]
    assert unexpected == [], advice + ":\n" + "\n".join(unexpected)
    if found:
        branches = sorted({FIXED_BY_MERGE[f.partition(" ")[0].partition(":")[0]] for f in found})
        pytest.xfail(f"fixed by the {', '.join(branches)} branch: {'; '.join(found)}")


def test_no_product_function_is_longer_than_80_lines() -> None:
    found = [f for path in product_files(*PRODUCT) for f in long_functions(path)]
    _assert_none_but_pending(found, "split these into well-named parts")


def test_no_product_file_is_longer_than_300_lines() -> None:
    found = [
        f"{_relative(path)} ({lines} lines)"
        for path in product_files(*PRODUCT)
        if (lines := len(path.read_text(encoding="utf-8").splitlines())) > MAX_FILE_LINES
    ]
    _assert_none_but_pending(found, "usually two units each")


def test_exactly_one_place_builds_a_lambda_function() -> None:
    sites = [s for path in product_files(*PRODUCT, "dev_tools") for s in lambda_function_sites(path)]
    assert [s.partition(":")[0] for s in sites] == [FUNCTION_CONSTRUCT], sites


@pytest.mark.parametrize(
    "source",
    [
        "from aws_cdk import aws_lambda as lambda_\nlambda_.Function(scope, 'F')\n",
        "import aws_cdk.aws_lambda as lam\nlam.SingletonFunction(scope, 'F')\n",
        "from aws_cdk.aws_lambda import Function as Fn\nFn(scope, 'F')\n",
        "import aws_cdk\naws_cdk.aws_lambda.DockerImageFunction(scope, 'F')\n",
        "from aws_cdk import aws_lambda\nclass Mine(aws_lambda.Function):\n    pass\n",
    ],
    ids=["module-alias", "import-as", "class-alias", "dotted", "subclass"],
)
def test_a_second_site_is_found_however_it_is_spelled(tmp_path: Path, source: str) -> None:
    probe = tmp_path / "probe.py"
    probe.write_text(source, encoding="utf-8")
    assert len(lambda_function_sites(probe)) == 1


def test_a_long_function_is_found(tmp_path: Path) -> None:
    probe = tmp_path / "probe.py"
    body = "".join(f"    x{i} = {i}\n" for i in range(MAX_FUNCTION_LINES))
    probe.write_text(
        f"class C:\n    @staticmethod\n    def long() -> None:\n{body.replace('    ', '        ')}"
    )
    (found,) = long_functions(probe)
    assert f" long ({MAX_FUNCTION_LINES + 2} lines)" in found  # the decorator, the def, the body

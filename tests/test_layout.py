"""The layout's import boundaries (README "Layout"), enforced by import-linter's contracts in
pyproject.toml: the CDK app never imports the tools, the tools never import aws_cdk, and the operator
tools' layers (verbs, local, lib) import one way."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("cdk_app", "stacks", "change_review", "operator_tools", "dev_tools")
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
    assert "Contracts: 4 kept, 0 broken." in done.stdout


@pytest.mark.parametrize(
    ("module", "source", "contract"),
    [
        ("operator_tools/lib/_probe.py", "import aws_cdk\n", "never import aws_cdk"),
        ("change_review/_probe.py", "from cdk_app.constructs import user_pool\n", "never import aws_cdk"),
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
    ],
)
def test_a_forbidden_import_breaks_its_contract(
    tree_copy: Path, module: str, source: str, contract: str
) -> None:
    (tree_copy / module).write_text(source, encoding="utf-8")
    done = _lint_imports(tree_copy)
    assert done.returncode != 0
    # Each contract's name (wrapped across lines in the report) is followed by KEPT or BROKEN.
    text = " ".join(done.stdout.split())
    verdicts = re.findall(r"([^.]*?) (KEPT|BROKEN)\b", text.partition("dependencies.")[2])
    broken = [name for name, verdict in verdicts if verdict == "BROKEN"]
    assert len(broken) == 1, done.stdout[-3000:]
    assert contract in broken[0]

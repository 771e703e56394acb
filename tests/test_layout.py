"""The layout's import boundaries (README "Layout"), enforced by import-linter's contracts in
pyproject.toml: the app's layers import one way, the CDK app never imports the tools, and the tools
import only the app's config and contracts (never aws_cdk)."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

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
    assert "Contracts: 4 kept, 0 broken." in done.stdout


@pytest.mark.parametrize(
    ("module", "source", "contract"),
    [
        ("operator_tools/_probe.py", "import aws_cdk\n", "never aws_cdk"),
        ("change_review/_probe.py", "from cdk_app.constructs import user_pool\n", "never aws_cdk"),
        ("operator_tools/_probe.py", "import composition.main\n", "never aws_cdk"),
        ("cdk_app/_probe.py", "import operator_tools.smoke\n", "never imports the review"),
        ("stacks/_probe.py", "import change_review\n", "never imports the review"),
        ("change_review/_probe.py", "import operator_tools.errors\n", "independent products"),
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

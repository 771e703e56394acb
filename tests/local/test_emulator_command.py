"""How the emulator's process is started and recognized as ours (without starting it)."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

from operator_tools.local.emulator import EMULATOR_PYTHON
from operator_tools.local.emulator_command import LAUNCHER, is_emulator_command, launcher_command


def test_the_emulator_is_started_as_the_launcher_run_by_the_emulators_own_interpreter() -> None:
    assert launcher_command(EMULATOR_PYTHON) == [str(EMULATOR_PYTHON), str(LAUNCHER)]
    assert LAUNCHER.is_file()
    assert LAUNCHER.is_absolute()


def test_our_launcher_and_an_emulator_started_before_it_are_recognized() -> None:
    assert is_emulator_command([str(EMULATOR_PYTHON), str(LAUNCHER)])
    assert is_emulator_command(["/usr/bin/python3", str(LAUNCHER)])
    # As emulators were started before the launcher: `make down` after an upgrade still stops one.
    assert is_emulator_command([str(EMULATOR_PYTHON), "-m", "ministack"])


def test_other_processes_are_not_taken_for_our_emulator() -> None:
    elsewhere = "/home/someone/other-checkout/operator_tools/local/emulator_launcher.py"
    assert not is_emulator_command([str(EMULATOR_PYTHON), elsewhere])  # another project's emulator
    assert not is_emulator_command([sys.executable, "-c", "import time; time.sleep(30)"])
    assert not is_emulator_command(["/usr/bin/vim", str(LAUNCHER)[:-3] + ".txt"])
    assert not is_emulator_command(["less", "-m", "notes.txt"])
    assert not is_emulator_command([])


def test_the_launcher_imports_only_the_standard_library_and_the_emulator() -> None:
    # It runs under the emulator's interpreter, where none of the project's packages is installed.
    tree = ast.parse(LAUNCHER.read_text(encoding="utf-8"))
    imported = {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names}
    imported |= {str(node.module) for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
    dynamic = {
        node.args[0].value
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id == "_module"
        and isinstance(node.args[0], ast.Constant)
    }
    assert {name.split(".")[0] for name in imported} <= set(sys.stdlib_module_names) | {"__future__"}
    assert dynamic == {
        "ministack.app",
        "ministack.services.cognito",
        "ministack.services.cloudformation.provisioners",
    }
    assert Path(LAUNCHER).suffix == ".py"

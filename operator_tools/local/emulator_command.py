"""The emulator's command line: how this project starts it, and how its process is recognized.

The emulator runs as ``<emulator's python> <this project's emulator_launcher.py>`` (the launcher adds
the CloudFormation provisioner MiniStack lacks, then serves in the same process). A process counts as
ours if its arguments name this project's launcher, or run ``-m ministack``, as the emulators started
before the launcher existed do (so ``make down`` after an upgrade still stops one).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

LAUNCHER = Path(__file__).resolve().with_name("emulator_launcher.py")
_LEGACY_MODULE = "ministack"


def launcher_command(python: Path) -> list[str]:
    """The emulator's command line, run by its own interpreter ``python``."""
    return [str(python), str(LAUNCHER)]


def is_emulator_command(cmdline: Sequence[str]) -> bool:
    """Whether a process's arguments (``/proc/<pid>/cmdline``) are an emulator this project starts."""
    arguments = list(cmdline[1:])
    if str(LAUNCHER) in arguments[:1]:
        return True
    return "-m" in arguments and _LEGACY_MODULE in arguments

"""What the loop's fixtures and steps share: the timing table's timer, and taking a deployment down with
the check that nothing is left behind."""

from __future__ import annotations

import os
import socket
from collections.abc import Callable
from contextlib import AbstractContextManager
from pathlib import Path

from cdk_app.config import EnvironmentConfig
from operator_tools.lib.errors import ToolError
from operator_tools.local import emulator
from operator_tools.local.lifecycle import take_down
from operator_tools.local.timing import Timer

PROJECT_ROOT = Path(__file__).resolve().parents[2]
# One table for the run: conftest.py prints it at the end.
TIMER = Timer()
Step = Callable[[str], AbstractContextManager[None]]


def down_and_leftovers(config: EnvironmentConfig, cdk: str) -> list[str]:
    """Take the deployment down (``make down``'s steps, timed as "down") and say what is left, if anything:
    the emulator still recorded or answering, its port still open, a process of its group alive."""
    running = emulator.find()
    port, group = (running.port, running.pid) if running else (emulator.DEFAULT_PORT, None)
    try:
        with TIMER.step("down"):
            take_down(config, cdk, TIMER)
    except ToolError as exc:
        emulator.stop()  # the stacks could not be destroyed: stopping the emulator still removes them
        return [f"make down failed: {exc}"]
    left = []
    if emulator.find() is not None or emulator.state_file().exists():
        left.append(f"the emulator is still recorded in {emulator.state_file()}")
    with socket.socket() as probe:
        probe.settimeout(1)
        if probe.connect_ex((emulator.HOST, port)) == 0:
            left.append(f"{emulator.HOST}:{port} still accepts connections")
    if group is not None and _group_alive(group):
        left.append(f"a process of the emulator's group {group} is still running")
    return left


def _group_alive(group: int) -> bool:
    try:
        os.killpg(group, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True

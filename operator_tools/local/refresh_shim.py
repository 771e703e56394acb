"""The emulator's refresh work-around for browser apps: loaded by ``make spa`` (and the browser test) for
an environment on the local emulator, never for AWS. What it works around: the file's own comment and
docs/local.md's gap table."""

from __future__ import annotations

from pathlib import Path

EMULATOR_SHIM = Path(__file__).resolve().parent / "emulator_refresh_shim.js"

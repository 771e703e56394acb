"""Make jsii run on the project's pinned Node, however the interpreter was started.

jsii starts ``$JSII_NODE`` (default: whatever ``node`` is first on PATH). The Makefile puts
``.venv/bin`` first, but ``npx cdk synth`` from a plain shell, an IDE's test runner or
``.venv/bin/pytest`` would otherwise pick up the system's end-of-life Node.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path


def prefer_project_node() -> None:
    """Point ``JSII_NODE`` at ``.venv/bin/node`` when it exists and nothing else was chosen."""
    node = Path(sys.executable).parent / "node"
    if "JSII_NODE" not in os.environ and node.exists():
        os.environ["JSII_NODE"] = str(node)

"""The errors the operator tools raise on purpose: each carries a message fit for a human, on one line.

``lib.cli.run_cli`` turns them into that line and an exit code; nothing else catches them for printing.
"""

from __future__ import annotations


class ToolError(Exception):
    """An expected failure (missing stack, refused token, bad redirect) with a message fit for a human.

    The message never contains a secret or a whole token: callers build it from names, URLs, status
    codes and OAuth error codes only.
    """


class UsageError(ToolError):
    """The command line is wrong: no environment, an unknown one, or a bad option (exit 2)."""

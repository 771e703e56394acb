"""The one error type the operational tools raise, and the CLI wrapper that turns it into one line."""

from __future__ import annotations

import sys
from collections.abc import Callable

from cdk_app.config import ConfigError


class ToolError(Exception):
    """An expected failure (missing stack, refused token, bad redirect) with a message fit for a human.

    The message never contains a secret or a whole token: callers build it from names, URLs, status
    codes and OAuth error codes only.
    """


EXIT_FAILED = 1
EXIT_INTERRUPTED = 130


def run_cli(prog: str, body: Callable[[], int]) -> int:
    """Run a tool's ``main`` body; expected failures become one line on stderr, never a traceback."""
    try:
        return body()
    except (ToolError, ConfigError) as exc:
        print(f"{prog}: {exc}", file=sys.stderr)
        return EXIT_FAILED
    except KeyboardInterrupt:
        print(f"{prog}: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED

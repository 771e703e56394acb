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


class UsageError(ToolError):
    """The command line is wrong: no environment, an unknown one, or a bad option (exit 2)."""


EXIT_FAILED = 1
EXIT_USAGE = 2
EXIT_INTERRUPTED = 130


def run_cli(prog: str, body: Callable[[], int]) -> int:
    """Run a tool's ``main`` body; expected failures become one line on stderr, never a traceback.

    A ``UsageError`` exits 2, any other expected failure 1.
    """
    try:
        return body()
    except UsageError as exc:
        print(f"{prog}: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except (ToolError, ConfigError) as exc:
        print(f"{prog}: {exc}", file=sys.stderr)
        return EXIT_FAILED
    except KeyboardInterrupt:
        print(f"{prog}: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED

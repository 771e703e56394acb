"""``run_cli``: how every operator verb ends. Every expected error goes through it, one way for all.

Guarantees: an expected failure is one line on stderr, ``<prog>: <reason>``, never a traceback, with
the exit codes every verb shares:

- 2: the input is wrong: a ``UsageError`` (no or an unknown ``ENV``, a bad option) or a
  ``ConfigError`` (a config file that does not load; docs/configuration.md documents exit 2);
- 1: any other ``ToolError`` (a refusal, a failed check, an unreachable endpoint);
- 130: interrupted (Ctrl-C).
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import TextIO

from cdk_app.config import ConfigError
from operator_tools.lib.errors import ToolError, UsageError

EXIT_FAILED = 1
EXIT_USAGE = 2
EXIT_INTERRUPTED = 130


def run_cli(prog: str, body: Callable[[], int], *, stderr: TextIO | None = None) -> int:
    """Run a verb's ``body`` and return its exit code; an expected failure becomes ``prog: reason``.

    ``prog`` is what the line starts with (``smoke``, ``make deploy``): the name the user typed.
    """
    err = stderr or sys.stderr
    try:
        return body()
    except (UsageError, ConfigError) as exc:
        err.write(f"{prog}: {exc}\n")
        return EXIT_USAGE
    except ToolError as exc:
        err.write(f"{prog}: {exc}\n")
        return EXIT_FAILED
    except KeyboardInterrupt:
        err.write(f"{prog}: interrupted\n")
        return EXIT_INTERRUPTED

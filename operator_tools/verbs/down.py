"""``make down [ENV=local]``: destroy an emulator environment's stacks and stop the emulator this
project started (``local.lifecycle.take_down``).

Guarantees: only an environment with ``deploy_target: emulator`` is accepted; only the emulator recorded
in this project's ``.local/`` is stopped (never one another checkout started); with none running it
says so and succeeds; a failure is one line (exit 1); every step's time is printed.
"""

from __future__ import annotations

import argparse
import sys

from operator_tools.lib.cli import run_cli
from operator_tools.lib.environment import choose_environment
from operator_tools.local.lifecycle import take_down
from operator_tools.local.timing import Timer


def main(argv: list[str] | None = None) -> int:
    """CLI entry point: take the environment down, then print the timing table."""
    parser = argparse.ArgumentParser(
        prog="down", description="Destroy the local stacks and stop the emulator this project started."
    )
    parser.add_argument("--env", default="local", help="an environment with deploy_target: emulator")
    parser.add_argument("--cdk", default="cdk", help="path of the CDK CLI")
    args = parser.parse_args(argv)
    timer = Timer()

    def body() -> int:
        take_down(choose_environment(args.env, "down"), args.cdk, timer)
        return 0

    code = run_cli("make down", body)
    if timer.steps:
        timer.print_table(sys.stdout, "down timings")
    return code


if __name__ == "__main__":
    sys.exit(main())

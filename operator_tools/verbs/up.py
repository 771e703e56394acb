"""``make up [ENV=local]``: deploy an emulator environment to the embedded AWS emulator, create its test
user, smoke-test it, and print where everything is (``local.lifecycle.bring_up``).

Guarantees: only an environment with ``deploy_target: emulator`` is deployed, and only to the emulator;
a second ``make up`` reuses the running emulator and deploys only what changed; a failed step is one
line naming it (exit 1); every step's time is printed, also after a failure; the test user's password
is never printed (its file is named).
"""

from __future__ import annotations

import argparse
import sys

from operator_tools.lib.cli import run_cli
from operator_tools.lib.environment import choose_environment
from operator_tools.local.lifecycle import bring_up, print_summary
from operator_tools.local.timing import Timer


def main(argv: list[str] | None = None) -> int:
    """CLI entry point: bring the environment up, then print the summary and the timing table."""
    parser = argparse.ArgumentParser(
        prog="up", description="Deploy an environment to the embedded AWS emulator and prove it works."
    )
    parser.add_argument("--env", default="local", help="an environment with deploy_target: emulator")
    parser.add_argument("--cdk", default="cdk", help="path of the CDK CLI")
    args = parser.parse_args(argv)
    timer = Timer()

    def body() -> int:
        config = choose_environment(args.env, "up")
        deployment = bring_up(config, args.cdk, timer)
        print_summary(config, deployment, sys.stdout)
        return 0

    code = run_cli("make up", body)
    if timer.steps:
        timer.print_table(sys.stdout, "up timings")
    return code


if __name__ == "__main__":
    sys.exit(main())

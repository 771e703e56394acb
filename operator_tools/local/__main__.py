"""``python -m operator_tools.local {up,down,status} --env local --cdk PATH``: the Makefile's verbs."""

from __future__ import annotations

import argparse
import sys

from cdk_app.config import ConfigError
from cdk_app.config.loading import load_environment
from operator_tools.errors import ToolError
from operator_tools.local import emulator
from operator_tools.local.timing import Timer
from operator_tools.local.up import down, print_summary, up


def main(argv: list[str] | None = None) -> int:
    """Run one verb; one line on stderr and exit 1 on an expected failure (2 on bad usage)."""
    parser = argparse.ArgumentParser(
        prog="local", description="Deploy an environment to the embedded AWS emulator, or remove it."
    )
    parser.add_argument("verb", choices=("up", "down", "status"))
    parser.add_argument("--env", default="local", help="an environment with deploy_target: emulator")
    parser.add_argument("--cdk", default="cdk", help="path of the CDK CLI")
    args = parser.parse_args(argv)
    if args.verb == "status":
        running = emulator.find()
        print(
            f"emulator running at {running.endpoint} (pid {running.pid})"
            if running
            else "emulator not running"
        )
        return 0
    timer = Timer()
    try:
        config = load_environment(args.env)
        if args.verb == "up":
            deployment = up(config, args.cdk, timer)
            print_summary(config, deployment, sys.stdout)
        else:
            down(config, args.cdk, timer)
    except ConfigError as exc:
        print(f"make {args.verb}: {exc}", file=sys.stderr)
        return 2
    except ToolError as exc:
        print(f"make {args.verb}: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print(f"make {args.verb}: interrupted", file=sys.stderr)
        return 130
    finally:
        if timer.steps:
            timer.print_table(sys.stdout, f"{args.verb} timings")
    return 0


if __name__ == "__main__":
    sys.exit(main())

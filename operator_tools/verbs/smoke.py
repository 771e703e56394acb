"""``make smoke ENV=<env>``: prove a deployed environment works end to end (``lib.smoke_checks``).

Guarantees: exit 0 only if every check passed; a missing or unknown ``ENV`` lists the environments
(exit 2); the m2m client's secret comes from the Cognito API, so AWS credentials are always needed
(checked first); secrets and tokens never reach the output.

Usage: ``make smoke ENV=dev``, or ``python -m operator_tools.verbs.smoke --env dev [--outputs-file FILE]
[--timeout 10]``
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from operator_tools.lib import http_json
from operator_tools.lib.cli import run_cli
from operator_tools.lib.environment import choose_environment
from operator_tools.lib.smoke_checks import smoke
from operator_tools.local.target import open_deployment


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="smoke", description="Check a deployed environment end to end (token, JWKS, API scopes)."
    )
    # Not argparse-required: a missing ENV gets the list of environments, as every make verb does.
    parser.add_argument("--env", default="", help="environment name (config/<env>.yaml)")
    parser.add_argument("--outputs-file", type=Path, help="read outputs from cdk deploy --outputs-file")
    parser.add_argument(
        "--timeout", type=float, default=http_json.DEFAULT_TIMEOUT_SECONDS, help="per call, s"
    )
    return parser


def main(argv: list[str] | None = None) -> int:
    """CLI entry point: opens the deployment (credentials, outputs) and runs the smoke checks."""
    args = _parser().parse_args(argv)

    def body() -> int:
        config = choose_environment(args.env, "smoke")
        deployed = open_deployment(config, verb="smoke", outputs_file=args.outputs_file)
        return smoke(config, deployed.outputs, deployed.client("cognito-idp"), timeout=args.timeout)

    return run_cli("smoke", body)


if __name__ == "__main__":
    sys.exit(main())

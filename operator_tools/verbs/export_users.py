"""``make export-users``: write every user of an environment's pool to a private local file.

The pool is the one the deployed ``<env>-Identity`` stack names in its outputs, as for ``make smoke``.
Each user's username, sub, attributes, status, enabled state, groups and provider identities go into
one JSON line (``functions/user_export/user_file.py`` defines the format); no password or token
exists to export, and none is written.

Guarantees: the file is mode 0600 from the moment it exists and appears only when complete; an
existing file is never overwritten; the output counts users and never shows one; Cognito's
request-rate quotas are kept (``operator_tools.users.cognito_calls``); every failure is one line.

Usage: ``make export-users ENV=dev [FILE=path]``, or ``python -m operator_tools.verbs.export_users
--env dev [--file PATH] [--outputs-file FILE]``
"""

from __future__ import annotations

import argparse
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import TextIO

from operator_tools.lib.cli import run_cli
from operator_tools.lib.deployment import Deployment
from operator_tools.lib.environment import choose_environment
from operator_tools.local.target import open_deployment
from operator_tools.users.cognito_calls import CognitoCalls, cognito_calls_for
from operator_tools.users.export import check_target, default_path, export_users
from operator_tools.users.pool_reader import describe_pool
from operator_tools.users.progress import Progress

PROG = "export-users"


def run_export(
    deployed: Deployment,
    path: Path,
    *,
    calls: CognitoCalls | None = None,
    now: datetime | None = None,
    out: TextIO = sys.stdout,
    err: TextIO = sys.stderr,
) -> int:
    """Export the deployed environment's users to ``path``; print one line saying how many."""
    if calls is None:
        calls = cognito_calls_for(deployed.session, deployed.endpoint_url)
    pool_id = deployed.outputs.user_pool_id
    estimate = describe_pool(calls, pool_id).get("EstimatedNumberOfUsers")
    progress = Progress(err, "export", "users read", total=estimate if isinstance(estimate, int) else None)
    count = export_users(
        calls, deployed.config.name, pool_id, path, now=now or datetime.now(UTC), counted=progress.counted
    )
    out.write(
        f"export: {count} users of {deployed.config.name} (pool {pool_id}) written to {path} (mode 0600)\n"
    )
    return 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=PROG,
        description=(
            "Write every user of an environment's user pool (attributes, status, groups, provider "
            "identities; never a password) to a private file, one JSON object a line."
        ),
    )
    # Not argparse-required: a missing ENV gets the list of environments, as every make verb does.
    parser.add_argument("--env", default="", help="environment name (config/<env>.yaml)")
    parser.add_argument(
        "--file",
        type=Path,
        default=None,
        help="where to write (default .local/exports/users-<env>-<time>.jsonl)",
    )
    parser.add_argument("--outputs-file", type=Path, default=None, help="a cdk deploy --outputs-file JSON")
    return parser


def main(argv: list[str] | None = None) -> int:
    """CLI entry point: checks the target file, then opens the environment and exports."""
    args = _parser().parse_args(argv)

    def body() -> int:
        config = choose_environment(args.env, PROG)
        path = args.file or default_path(config.name, datetime.now(UTC))
        if args.file is not None:
            check_target(path)  # before any AWS call; the default path's folder is made on write
        deployed = open_deployment(config, verb=PROG, outputs_file=args.outputs_file)
        return run_export(deployed, path, out=sys.stdout, err=sys.stderr)

    return run_cli(PROG, body)


if __name__ == "__main__":
    sys.exit(main())

"""``make restore-users``: re-create the users of an export file in an environment's (new) user pool.

In order, and stopping at the first refusal with one line:

1. the whole file is read and checked by the format (no AWS call yet);
2. a file exported from another environment is refused unless ``FROM_ENV=<that environment>``;
3. the environment is opened (credentials, stack outputs) and the pool read: its schema, groups,
   providers and current users; every line is checked against them (``restore_plan``), so a bad
   line changes nothing at all;
4. a production-tier environment needs its name typed back (or ``CONFIRM=<env>``), as ``make destroy``
   asks, before anything changes;
5. the plan is applied (``restore_apply``) and one line says what changed. A second run of the same
   file changes nothing and says so.

Native users are created without any invitation and asked to reset their password; federated users
come back at their next sign-in (docs/operating.md, "Disaster recovery").

Usage: ``make restore-users ENV=dev FILE=path [FROM_ENV=env] [CONFIRM=env] [DRY_RUN=1]``, or
``python -m operator_tools.verbs.restore_users --env dev --file PATH [--from-env ENV] [--confirm ENV]
[--dry-run] [--outputs-file FILE]``
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

from cdk_app.config import EnvironmentConfig
from functions.user_export.user_file import Header, UserRecord
from operator_tools.lib.cli import run_cli
from operator_tools.lib.deployment import Deployment
from operator_tools.lib.environment import choose_environment
from operator_tools.lib.errors import ToolError, UsageError
from operator_tools.local.target import open_deployment
from operator_tools.users.cognito_calls import CognitoCalls, cognito_calls_for
from operator_tools.users.file_reader import read_user_file
from operator_tools.users.pool_reader import pool_facts, read_users
from operator_tools.users.progress import Progress
from operator_tools.users.restore_apply import apply_plan
from operator_tools.users.restore_plan import Plan, plan_restore

PROG = "restore-users"


def check_source(header: Header, config: EnvironmentConfig, from_env: str | None, path: Path) -> None:
    """Refuse a file exported from another environment, unless ``from_env`` names that environment."""
    if header.environment == config.name and not from_env:
        return
    if from_env == header.environment:
        return
    if from_env:
        raise ToolError(
            f"FROM_ENV={from_env}, but {path} was exported from {header.environment}; nothing was restored"
        )
    raise ToolError(
        f"{path} was exported from {header.environment} (pool {header.user_pool_id}), not {config.name}; "
        f"to restore it into {config.name} anyway, add FROM_ENV={header.environment}"
    )


def confirm_production(
    config: EnvironmentConfig, plan: Plan, confirm: str | None, stdin: TextIO, stderr: TextIO
) -> None:
    """For a production-tier environment, the environment's name typed back (or given as ``confirm``)."""
    if config.tier != "production":
        return
    answer = confirm
    if answer is None:
        stderr.write(
            f"This restores users into {config.name} (tier production): {plan.count('create')} to create, "
            f"{plan.count('update')} to update.\nType the environment name ({config.name}) to confirm: "
        )
        stderr.flush()
        answer = stdin.readline().strip()
    if answer != config.name:
        raise ToolError(f"confirmation {answer!r} does not match {config.name!r}; nothing was restored")


def summary(plan: Plan, *, dry_run: bool = False) -> list[str]:
    """What the restore did (or, for a dry run, would do): counts only, never a user."""
    created, updated = ("to create", "to update") if dry_run else ("created", "updated")
    head = "restore (dry run, nothing changed)" if dry_run else "restore"
    first = f"{head}: {plan.count('create')} {created}, {plan.count('update')} {updated}, "
    first += f"{plan.count('unchanged')} unchanged"
    if plan.count("waiting"):
        first += f", {plan.count('waiting')} federated users come back at their next sign-in"
    lines = [first]
    if plan.resets:
        lines.append(f"{head}: {plan.resets} users must reset their password; Cognito sends each a code")
    if plan.invitations:
        lines.append(
            f"{head}: {plan.invitations} new users cannot reset a password themselves (disabled, never "
            "signed in, or no verified email or phone); see docs/operating.md to invite them"
        )
    return lines


def run_restore(
    deployed: Deployment,
    path: Path,
    header: Header,
    records: Sequence[tuple[int, UserRecord]],
    *,
    confirm: str | None = None,
    dry_run: bool = False,
    calls: CognitoCalls | None = None,
    stdin: TextIO = sys.stdin,
    out: TextIO = sys.stdout,
    err: TextIO = sys.stderr,
) -> int:
    """Check every line against the deployed pool, confirm production, apply, and say what changed."""
    if calls is None:
        calls = cognito_calls_for(deployed.session, deployed.endpoint_url)
    pool_id = deployed.outputs.user_pool_id
    facts = pool_facts(calls, pool_id)
    current = list(read_users(calls, pool_id, counted=Progress(err, "restore", "pool users read").counted))
    plan = plan_restore(str(path), header, records, facts, current)
    if not dry_run and plan.changes_anything:
        confirm_production(deployed.config, plan, confirm, stdin, err)
        total = plan.count("create") + plan.count("update")
        apply_plan(
            calls,
            pool_id,
            plan,
            source=str(path),
            counted=Progress(err, "restore", "users done", total=total).counted,
        )
    out.write("".join(line + "\n" for line in summary(plan, dry_run=dry_run)))
    return 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=PROG,
        description=(
            "Re-create the users of an export file in an environment's user pool: native users without "
            "an invitation, asked to reset their password; groups and enabled state kept; federated "
            "users back at their next sign-in. A second run changes nothing."
        ),
    )
    parser.add_argument("--env", default="", help="environment name (config/<env>.yaml)")
    parser.add_argument("--file", default="", help="the file make export-users wrote")
    parser.add_argument("--from-env", default=None, help="accept a file exported from this other environment")
    parser.add_argument(
        "--confirm", default=None, help="production: the environment's name, instead of typing it"
    )
    parser.add_argument("--dry-run", action="store_true", help="check the file and say what would change")
    parser.add_argument("--outputs-file", type=Path, default=None, help="a cdk deploy --outputs-file JSON")
    return parser


def main(argv: list[str] | None = None, *, stdin: TextIO = sys.stdin) -> int:
    """CLI entry point: reads and checks the file first, then opens the environment and restores."""
    args = _parser().parse_args(argv)

    def body() -> int:
        config = choose_environment(args.env, PROG)
        if not args.file:
            raise UsageError(
                f"FILE is required, e.g. make {PROG} ENV={config.name} FILE=.local/exports/<file>.jsonl"
            )
        path = Path(args.file)
        header, records = read_user_file(path, sys.stderr)
        check_source(header, config, args.from_env, path)
        deployed = open_deployment(config, verb=PROG, outputs_file=args.outputs_file)
        return run_restore(
            deployed,
            path,
            header,
            records,
            confirm=args.confirm,
            dry_run=args.dry_run,
            stdin=stdin,
            out=sys.stdout,
            err=sys.stderr,
        )

    return run_cli(PROG, body)


if __name__ == "__main__":
    sys.exit(main())

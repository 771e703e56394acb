"""``python -m change_review [--base REV] [--env ENV ...] [--format text|markdown]``."""

from __future__ import annotations

import argparse
import sys
import traceback
from pathlib import Path

from change_review.runner import EXIT_USAGE, review


def main(argv: list[str] | None = None) -> int:
    """Parse the command line and run the review; exit 0 (passes), 1 (blocked) or 2 (could not run:
    a usage error, a failed synth, or a bug in the review, which never passes for a verdict)."""
    parser = argparse.ArgumentParser(
        prog="python -m change_review",
        description="Review the CloudFormation changes between a git revision and the working tree.",
    )
    parser.add_argument(
        "--base", help="git revision to compare with (default: merge base with origin/main, else HEAD)"
    )
    parser.add_argument(
        "--env", action="append", dest="envs", metavar="ENV", help="only this environment (repeatable)"
    )
    parser.add_argument("--format", choices=("text", "markdown"), default="text", dest="fmt")
    parser.add_argument(
        "--allow-file", type=Path, help="allowed changes (default: review-allow.yaml at the repo root)"
    )
    parser.add_argument("--output", type=Path, help="write the report here instead of standard output")
    args = parser.parse_args(argv)
    envs = [e.strip() for value in args.envs or [] for e in value.split(",") if e.strip()] or None
    try:
        return review(args.base, envs, args.fmt, allow_file=args.allow_file, output=args.output)
    except KeyboardInterrupt:
        print("review: interrupted", file=sys.stderr)
        return 130
    except Exception:  # a bug must not pass for "blocked": exit 1 always means a verdict
        traceback.print_exc()
        print("review: internal error (a bug in the review, not in your change); exit 2", file=sys.stderr)
        return EXIT_USAGE


if __name__ == "__main__":
    sys.exit(main())

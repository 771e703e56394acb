"""``make audit``'s verdict on checkov's JSON report over prod's templates.

It prints checkov's totals (passed, failed, skipped) and every failed check, one line each, and exits
1 when a check the project promises to pass failed: ``CKV_AWS_158`` (a log group not encrypted with a
customer-managed key). A skip counts only with a comment (the reason a reviewer checks), and each
skip is printed with it. Exit 2 when the report cannot be read (checkov did not run).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any, TextIO

# The findings production must not have (issue 23): unencrypted log groups.
REQUIRED_CLEAN = ("CKV_AWS_158",)


def _reports(path: Path) -> list[dict[str, Any]]:
    data = json.loads(path.read_text())
    reports = data if isinstance(data, list) else [data]
    return [r for r in reports if isinstance(r, dict) and "results" in r]


def verdict(reports: list[dict[str, Any]], out: TextIO) -> int:
    """Print the totals and findings; 0 when none of ``REQUIRED_CLEAN`` failed and every skip has a reason."""
    failed = [c for r in reports for c in r["results"].get("failed_checks", [])]
    skipped = [c for r in reports for c in r["results"].get("skipped_checks", [])]
    passed = sum(len(r["results"].get("passed_checks", [])) for r in reports)
    print(f"audit: checkov {passed} passed, {len(failed)} failed, {len(skipped)} skipped", file=out)
    for check in failed:
        print(f"audit: failed {check['check_id']} on {check['resource']}", file=out)
    status = 0
    for check in skipped:
        reason = str(check.get("check_result", {}).get("suppress_comment") or "").strip()
        print(f"audit: skipped {check['check_id']} on {check['resource']}: {reason or 'NO REASON'}", file=out)
        if not reason:
            status = 1
    broken = sorted({c["check_id"] for c in failed if c["check_id"] in REQUIRED_CLEAN})
    if broken:
        print(f"audit: production must pass {', '.join(broken)}", file=out)
        status = 1
    if not reports:
        print("audit: checkov reported no CloudFormation results", file=out)
        status = 1
    return status


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("report", type=Path, help="checkov's --output json")
    args = parser.parse_args(argv)
    try:
        reports = _reports(args.report)
    except (OSError, ValueError) as exc:
        print(f"audit: cannot read {args.report}: {exc}", file=sys.stderr)
        return 2
    return verdict(reports, sys.stdout)


if __name__ == "__main__":
    sys.exit(main())

"""``make audit``'s verdict (dev_tools.audit) on checkov's JSON: an unencrypted log group fails it, and
so does a skip without a reason; other findings are reported and do not."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

from dev_tools.audit import main, verdict


def report(failed: tuple[str, ...] = (), skipped: tuple[tuple[str, str], ...] = ()) -> list[dict[str, Any]]:
    return [
        {
            "check_type": "cloudformation",
            "results": {
                "passed_checks": [{"check_id": "CKV_AWS_1", "resource": "AWS::X::Y.A"}],
                "failed_checks": [{"check_id": c, "resource": "AWS::Logs::LogGroup.G"} for c in failed],
                "skipped_checks": [
                    {
                        "check_id": c,
                        "resource": "AWS::Logs::LogGroup.C",
                        "check_result": {"suppress_comment": r},
                    }
                    for c, r in skipped
                ],
            },
        }
    ]


def test_an_unencrypted_log_group_fails_the_audit() -> None:
    out = io.StringIO()
    assert verdict(report(failed=("CKV_AWS_158", "CKV_AWS_116")), out) == 1
    assert "audit: checkov 1 passed, 2 failed, 0 skipped" in out.getvalue()
    assert out.getvalue().splitlines()[-1] == "audit: production must pass CKV_AWS_158"


def test_other_findings_are_listed_but_pass() -> None:
    out = io.StringIO()
    assert (
        verdict(report(failed=("CKV_AWS_116",), skipped=(("CKV_AWS_158", "Cognito refuses KMS"),)), out) == 0
    )
    assert "audit: skipped CKV_AWS_158 on AWS::Logs::LogGroup.C: Cognito refuses KMS" in out.getvalue()


def test_a_skip_without_a_reason_fails_the_audit() -> None:
    assert verdict(report(skipped=(("CKV_AWS_158", " "),)), io.StringIO()) == 1


def test_an_unreadable_report_is_exit_2(tmp_path: Path) -> None:
    bad = tmp_path / "checkov.json"
    bad.write_text("not json")
    assert main([str(bad)]) == 2
    good = tmp_path / "ok.json"
    good.write_text(json.dumps(report()[0]))
    assert main([str(good)]) == 0

"""cdk-nag: zero unacknowledged findings, and every acknowledgement justified and narrow."""

from __future__ import annotations

import json

from tests.synthesis import Synthesized, nag_violations

# Acknowledging these would defeat the project's purpose (Cognito authorization on the API).
NEVER_ACKNOWLEDGED = ("AwsSolutions-COG4", "AwsSolutions-APIG4")
NOT_IN_PROD = ("AwsSolutions-COG1", "AwsSolutions-COG2", "AwsSolutions-COG8")


def acknowledgements(synth: Synthesized) -> list[tuple[str, str, str]]:
    """(construct path, finding id, reason) for every acknowledgement CDK recorded in the assembly."""
    found: list[tuple[str, str, str]] = []
    for metadata_file in synth.outdir.glob("assembly-*/*.metadata.json"):
        for path, entries in json.loads(metadata_file.read_text()).items():
            for entry in entries:
                if entry["type"] == "aws:cdk:acknowledged-rules":
                    for finding, reason in entry["data"].items():
                        found.append((path.lstrip("/"), finding.split("::", 1)[-1], reason))
    return found


def test_nag_ran_both_packs_and_found_nothing_unacknowledged(synth: Synthesized) -> None:
    report = synth.validation_report
    assert report, "validation-report.json must exist: cdk-nag runs on every synth"
    assert nag_violations(report) == []


def test_every_acknowledgement_has_a_reason(synth: Synthesized) -> None:
    acks = acknowledgements(synth)
    assert acks, "expected the documented acknowledgements to be recorded in tree.json"
    for path, finding, reason in acks:
        assert len(reason.strip()) >= 20, (path, finding)


def test_forbidden_acknowledgements(synth: Synthesized) -> None:
    for path, finding, _ in acknowledgements(synth):
        assert not finding.startswith(NEVER_ACKNOWLEDGED), (path, finding)
        if path.startswith("prod/"):
            assert not finding.startswith(NOT_IN_PROD), (path, finding)


def test_acknowledgements_are_granular_and_narrow(synth: Synthesized) -> None:
    for path, finding, _ in acknowledgements(synth):
        if finding.startswith(("AwsSolutions-IAM5", "AwsSolutions-IAM4")):
            assert "[" in finding, f"{finding} on {path} must name the exact resource or policy"
        assert path.count("/") >= 2, f"{finding} is acknowledged on a whole stack or stage: {path}"

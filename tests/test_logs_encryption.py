"""Production's log groups are encrypted with the project's key (issue 23): cdk-nag's NIST 800-53 R5
pack, run over the synthesized prod and dev apps of config/, finds no unencrypted log group in prod
(and does in dev, where logs.kms is off, so the check is known to look)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import aws_cdk as cdk
import pytest
from aws_cdk.assertions import Match
from cdk_nag import NIST80053R5Checks

from cdk_app.config.loading import load_project
from composition.app_builder import build_app
from tests.synthesis import Synthesized, nag_violations

REPO = Path(__file__).resolve().parents[1]
RULE = "NIST.800.53.R5-CloudWatchLogGroupEncrypted"


@pytest.fixture(scope="module")
def nist_report(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    outdir = tmp_path_factory.mktemp("nist")
    app, _ = build_app(load_project(REPO / "config", ["prod", "dev"]), outdir=str(outdir))
    cdk.Validations.of(app).add_plugins(NIST80053R5Checks(app))
    try:
        app.synth()
    except RuntimeError as exc:  # the NIST pack's other findings (not acknowledged by this project)
        if not str(exc).startswith("ValidationFailed"):
            raise
    report: dict[str, Any] = json.loads((outdir / "validation-report.json").read_text())
    return report


def _unencrypted_log_groups(report: dict[str, Any], env: str) -> list[str]:
    paths = [
        str(c.get("constructPath", ""))
        for v in nag_violations(report)
        if v.get("ruleName") == RULE
        for c in v.get("violatingConstructs", [])
    ]
    return [p for p in paths if p.startswith(f"{env}/")]


def test_nist_pack_finds_no_unencrypted_log_group_in_prod(nist_report: dict[str, Any]) -> None:
    assert _unencrypted_log_groups(nist_report, "prod") == []


def test_nist_pack_does_find_them_where_logs_kms_is_off(nist_report: dict[str, Any]) -> None:
    assert _unencrypted_log_groups(nist_report, "dev")


@pytest.mark.parametrize("stack", ["Identity", "Api"])
def test_prod_logs_key_rotates_and_only_cloudwatch_logs_of_this_stack_may_use_it(
    synth: Synthesized, stack: str
) -> None:
    template = synth.template("prod", stack)
    template.has_resource(
        "AWS::KMS::Key",
        {
            "DeletionPolicy": "Retain",
            "Properties": Match.object_like(
                {
                    "EnableKeyRotation": True,
                    "KeyPolicy": Match.object_like(
                        {
                            "Statement": Match.array_with(
                                [
                                    Match.object_like(
                                        {
                                            "Principal": {"Service": "logs.eu-west-1.amazonaws.com"},
                                            "Condition": {
                                                "ArnLike": {
                                                    "kms:EncryptionContext:aws:logs:arn": Match.any_value()
                                                }
                                            },
                                        }
                                    )
                                ]
                            )
                        }
                    ),
                }
            ),
        },
    )


def _cognito_delivered(group: dict[str, Any]) -> bool:
    return str(group["Properties"].get("LogGroupName", "")).startswith("/aws/vendedlogs/cognito/")


@pytest.mark.parametrize("stack", ["Identity", "Api"])
def test_prod_encrypts_every_log_group_but_cognitos_and_the_key_names_exactly_those(
    synth: Synthesized, stack: str
) -> None:
    template = synth.template("prod", stack)
    logs_key = {"Properties": {"Description": Match.string_like_regexp("logs$")}}
    (key_id,) = template.find_resources("AWS::KMS::Key", logs_key)
    groups = template.find_resources("AWS::Logs::LogGroup")
    encrypted = {k: g for k, g in groups.items() if not _cognito_delivered(g)}
    assert encrypted
    for logical_id, group in encrypted.items():
        assert group["Properties"]["KmsKeyId"] == {"Fn::GetAtt": [key_id, "Arn"]}, logical_id
    (statement,) = [
        s
        for s in template.find_resources("AWS::KMS::Key")[key_id]["Properties"]["KeyPolicy"]["Statement"]
        if s.get("Sid") == "CloudWatchLogsForThisStacksLogGroups"
    ]
    patterns = statement["Condition"]["ArnLike"]["kms:EncryptionContext:aws:logs:arn"]
    # One pattern per encrypted group, and a generated name only matches the group it was made for.
    assert len(patterns) == len(encrypted)
    rendered = json.dumps(patterns)
    for logical_id, group in encrypted.items():
        if "LogGroupName" not in group["Properties"]:
            assert f"-{stack}-{logical_id}-*" in rendered, logical_id
    assert f'-{stack}-*"' not in rendered


def test_cognitos_log_groups_stay_unencrypted_and_say_why_to_both_auditors(synth: Synthesized) -> None:
    groups = synth.template("prod", "Identity").find_resources("AWS::Logs::LogGroup")
    cognito = [g for g in groups.values() if _cognito_delivered(g)]
    assert len(cognito) == 2  # user-notification and user-activity
    for group in cognito:
        assert "KmsKeyId" not in group["Properties"]
        (skip,) = group["Metadata"]["checkov"]["skip"]
        assert skip["id"] == "CKV_AWS_158"
        assert "must not be encrypted with AWS Key Management Service" in skip["comment"]

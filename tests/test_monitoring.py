"""Detection and alerting: Cognito's log delivery, its risk response, the alert topic and the alarms."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import aws_cdk as cdk
import pytest
from aws_cdk import aws_cognito as cognito
from aws_cdk.assertions import Template

from cdk_app.config.risk_response import RiskResponseConfig
from cdk_app.constructs.risk_response import RiskResponse
from composition.app_settings import APP_SETTINGS
from tests.fixtures import FIXTURE_CONFIG_DIR
from tests.synthesis import Synthesized
from tests.test_api_stack import only

ALERT_TOPIC_ARN = "arn:aws:sns:eu-west-1:123456789012:cognito-sso-prod-alerts"
PAGER = "arn:aws:sns:eu-west-1:111111111111:ops-pager"


def alarms(template: Template) -> dict[str, dict[str, Any]]:
    """Alarm properties by AlarmName."""
    found = template.find_resources("AWS::CloudWatch::Alarm")
    return {a["Properties"]["AlarmName"]: a["Properties"] for a in found.values()}


def log_groups(template: Template) -> dict[str, dict[str, Any]]:
    return {k: v["Properties"] for k, v in template.find_resources("AWS::Logs::LogGroup").items()}


def delivered(template: Template) -> dict[str, tuple[str, dict[str, Any]]]:
    """Cognito event source -> (log level, the log group it goes to)."""
    (_, delivery) = only(template, "AWS::Cognito::LogDeliveryConfiguration")
    assert delivery["Properties"]["UserPoolId"] == {"Ref": "UserPool"}
    groups = log_groups(template)
    out = {}
    for config in delivery["Properties"]["LogConfigurations"]:
        *_, prefix, ref = config["CloudWatchLogsConfiguration"]["LogGroupArn"]["Fn::Join"][1]
        # Cognito refuses the Arn attribute's trailing ":*"; the ARN ends at the group's name.
        assert prefix.endswith(":log-group:")
        out[config["EventSource"]] = (config["LogLevel"], groups[ref["Ref"]])
    return out


def test_prod_exports_notification_errors_and_user_activity_with_retention(synth: Synthesized) -> None:
    retention = synth.configs["prod"].monitoring.sign_in_log_retention_days
    assert retention == 365
    found = delivered(synth.template("prod", "Identity"))
    assert set(found) == {"userNotification", "userAuthEvents"}
    assert found["userNotification"][0] == "ERROR"
    assert found["userAuthEvents"][0] == "INFO"
    for _, group in found.values():
        assert group["RetentionInDays"] == retention
        assert group["LogGroupName"].startswith("/aws/vendedlogs/cognito/cognito-sso-prod/")
        assert "KmsKeyId" not in group  # Cognito cannot deliver to a KMS-encrypted group


def test_without_threat_protection_only_notification_errors_are_exported(synth: Synthesized) -> None:
    assert not synth.configs["dev"].user_pool.threat_protection_active
    found = delivered(synth.template("dev", "Identity"))
    assert set(found) == {"userNotification"}
    assert found["userNotification"][1]["RetentionInDays"] == 90


def test_prod_risk_response_blocks_high_risk_and_leaked_passwords_and_notifies_through_ses(
    synth: Synthesized,
) -> None:
    identity = synth.template("prod", "Identity")
    (_, risk) = only(identity, "AWS::Cognito::UserPoolRiskConfigurationAttachment")
    props = risk["Properties"]
    assert props["UserPoolId"] == {"Ref": "UserPool"}
    assert props["ClientId"] == "ALL"
    takeover = props["AccountTakeoverRiskConfiguration"]
    assert takeover["Actions"] == {
        "HighAction": {"EventAction": "BLOCK", "Notify": True},
        "MediumAction": {"EventAction": "MFA_IF_CONFIGURED", "Notify": True},
        "LowAction": {"EventAction": "NO_ACTION", "Notify": False},
    }
    pool_email = only(identity, "AWS::Cognito::UserPool")[1]["Properties"]["EmailConfiguration"]
    assert takeover["NotifyConfiguration"] == {
        "From": "no-reply@auth.example.com",
        "SourceArn": pool_email["SourceArn"],
    }
    assert props["CompromisedCredentialsRiskConfiguration"] == {
        "Actions": {"EventAction": "BLOCK"},
        "EventFilter": ["SIGN_IN", "PASSWORD_CHANGE", "SIGN_UP"],
    }
    assert "RiskExceptionConfiguration" not in props


def test_without_ses_the_risk_response_notifies_no_one() -> None:
    # Every fixture environment with threat protection now has SES, so the construct is built directly.
    stack = cdk.Stack(cdk.App(**APP_SETTINGS), "Risk")
    pool = cognito.UserPool(stack, "Pool", feature_plan=cognito.FeaturePlan.PLUS)
    RiskResponse(stack, "RiskResponse", user_pool=pool, config=RiskResponseConfig(), sender=None)
    (_, risk) = only(Template.from_stack(stack), "AWS::Cognito::UserPoolRiskConfigurationAttachment")
    takeover = risk["Properties"]["AccountTakeoverRiskConfiguration"]
    assert "NotifyConfiguration" not in takeover
    assert not any(action["Notify"] for action in takeover["Actions"].values())


def test_dev_without_threat_protection_has_no_risk_configuration(synth: Synthesized) -> None:
    synth.template("dev", "Identity").resource_count_is(
        "AWS::Cognito::UserPoolRiskConfigurationAttachment", 0
    )


def test_prod_alert_topic_is_encrypted_tls_only_and_mails_the_configured_address(synth: Synthesized) -> None:
    identity = synth.template("prod", "Identity")
    topic_id, topic = only(identity, "AWS::SNS::Topic")
    assert topic["Properties"]["TopicName"] == "cognito-sso-prod-alerts"
    key_id = topic["Properties"]["KmsMasterKeyId"]["Fn::GetAtt"][0]
    key = identity.find_resources("AWS::KMS::Key")[key_id]
    assert key["Properties"]["EnableKeyRotation"] is True
    cloudwatch_may_encrypt = [
        s
        for s in key["Properties"]["KeyPolicy"]["Statement"]
        if s.get("Principal") == {"Service": "cloudwatch.amazonaws.com"}
    ]
    assert len(cloudwatch_may_encrypt) == 1
    assert set(cloudwatch_may_encrypt[0]["Action"]) == {"kms:Decrypt", "kms:GenerateDataKey*"}
    assert cloudwatch_may_encrypt[0]["Condition"]["StringEquals"] == {"aws:SourceAccount": "123456789012"}

    (_, policy) = only(identity, "AWS::SNS::TopicPolicy")
    statements = policy["Properties"]["PolicyDocument"]["Statement"]
    deny = [s for s in statements if s["Effect"] == "Deny"]
    assert len(deny) == 1
    assert deny[0]["Condition"] == {"Bool": {"aws:SecureTransport": "false"}}
    publish = [s for s in statements if s.get("Principal") == {"Service": "cloudwatch.amazonaws.com"}]
    assert publish[0]["Action"] == "sns:Publish"
    assert publish[0]["Resource"] == {"Ref": topic_id}
    assert publish[0]["Condition"]["StringEquals"] == {"aws:SourceAccount": "123456789012"}

    identity.has_resource_properties(
        "AWS::SNS::Subscription",
        {"Protocol": "email", "Endpoint": "security-alerts@example.com", "TopicArn": {"Ref": topic_id}},
    )


def test_prod_alarms_cover_the_front_door_and_the_api_and_notify_the_topic(synth: Synthesized) -> None:
    thresholds = synth.configs["prod"].monitoring.alarms
    identity, api = synth.template("prod", "Identity"), synth.template("prod", "Api")
    topic_id, _ = only(identity, "AWS::SNS::Topic")
    # The scheduled functions' alarms (export, certificate check) have tests of their own.
    sign_in = {name: props for name, props in alarms(identity).items() if "-sign-in-" in name}
    api_alarms = alarms(api)
    assert set(sign_in) == {
        "cognito-sso-prod-sign-in-waf-blocked",
        "cognito-sso-prod-sign-in-high-risk-sign-ins",
        "cognito-sso-prod-sign-in-compromised-credentials",
    }
    assert set(api_alarms) == {
        "cognito-sso-prod-api-function-errors",
        "cognito-sso-prod-api-function-throttles",
        "cognito-sso-prod-api-5xx",
        "cognito-sso-prod-api-latency-p99",
        "cognito-sso-prod-api-waf-blocked",
    }
    for props in sign_in.values():
        # In the topic's own stack the alarms reference it, so CloudFormation creates the topic first.
        assert props["AlarmActions"] == props["OKActions"] == [{"Ref": topic_id}]
    for props in api_alarms.values():
        # The API stack addresses it by name, not through a cross-stack export.
        assert props["AlarmActions"] == props["OKActions"] == [ALERT_TOPIC_ARN]
    for props in [*sign_in.values(), *api_alarms.values()]:
        assert props["ComparisonOperator"] == "GreaterThanOrEqualToThreshold"
        assert props["TreatMissingData"] == "notBreaching"
        assert len(props["AlarmDescription"]) > 40

    def metric(props: dict[str, Any]) -> tuple[str, str, str]:
        return props["Namespace"], props["MetricName"], props.get("Statistic") or props["ExtendedStatistic"]

    expected = {
        "cognito-sso-prod-api-function-errors": (("AWS/Lambda", "Errors", "Sum"), thresholds.function_errors),
        "cognito-sso-prod-api-function-throttles": (
            ("AWS/Lambda", "Throttles", "Sum"),
            thresholds.function_throttles,
        ),
        "cognito-sso-prod-api-5xx": (("AWS/ApiGateway", "5XXError", "Sum"), thresholds.api_5xx_errors),
        "cognito-sso-prod-api-latency-p99": (
            ("AWS/ApiGateway", "Latency", "p99"),
            thresholds.api_latency_p99_ms,
        ),
        "cognito-sso-prod-api-waf-blocked": (
            ("AWS/WAFV2", "BlockedRequests", "Sum"),
            thresholds.waf_blocked_requests,
        ),
    }
    for name, (expected_metric, threshold) in expected.items():
        assert (metric(api_alarms[name]), api_alarms[name]["Threshold"]) == (expected_metric, threshold), name
        assert api_alarms[name]["Period"] == 300
    dimensions = {d["Name"]: d["Value"] for d in api_alarms["cognito-sso-prod-api-waf-blocked"]["Dimensions"]}
    assert dimensions == {"WebACL": "cognito-sso-prod-api", "Region": "eu-west-1", "Rule": "ALL"}
    waf = {d["Name"]: d["Value"] for d in sign_in["cognito-sso-prod-sign-in-waf-blocked"]["Dimensions"]}
    assert waf["WebACL"] == "cognito-sso-prod-sign-in"


@pytest.mark.parametrize(
    ("alarm", "metric", "threshold"),
    [
        ("high-risk-sign-ins", "AccountTakeoverRisk", "high_risk_sign_ins"),
        ("compromised-credentials", "CompromisedCredentialRisk", "compromised_credential_sign_ins"),
    ],
)
def test_risk_alarms_sum_cognitos_metric_for_this_pool(
    synth: Synthesized, alarm: str, metric: str, threshold: str
) -> None:
    props = alarms(synth.template("prod", "Identity"))[f"cognito-sso-prod-sign-in-{alarm}"]
    (query,) = props["Metrics"]
    assert query["ReturnData"] is True
    assert query["Period"] == 300
    parts = query["Expression"]["Fn::Join"][1]
    assert parts[0] == f'SELECT SUM({metric}) FROM "AWS/Cognito" WHERE UserPoolId = \''  # noqa: S608
    assert parts[1] == {"Ref": "UserPool"}
    assert props["Threshold"] == getattr(synth.configs["prod"].monitoring.alarms, threshold)


def test_without_a_destination_alarms_exist_but_notify_no_one(synth: Synthesized) -> None:
    assert not synth.configs["dev"].monitoring.alerts.has_destination
    synth.template("dev", "Identity").resource_count_is("AWS::SNS::Topic", 0)
    for props in alarms(synth.template("dev", "Api")).values():
        assert "AlarmActions" not in props
        assert "OKActions" not in props
    # Without threat protection or WAF in dev, only the API's own alarms remain.
    assert set(alarms(synth.template("dev", "Api"))) == {
        "cognito-sso-dev-api-function-errors",
        "cognito-sso-dev-api-function-throttles",
        "cognito-sso-dev-api-5xx",
        "cognito-sso-dev-api-latency-p99",
    }
    assert alarms(synth.template("dev", "Identity")) == {}


def test_latency_alarm_needs_two_slow_periods_in_a_row(synth: Synthesized) -> None:
    props = alarms(synth.template("prod", "Api"))["cognito-sso-prod-api-latency-p99"]
    assert (props["EvaluationPeriods"], props["DatapointsToAlarm"]) == (2, 2)
    assert json.dumps(props["Dimensions"]).count("cognito-sso-prod-api") == 1


def test_prod_alert_subscription_redrives_to_an_encrypted_tls_only_queue(synth: Synthesized) -> None:
    identity = synth.template("prod", "Identity")
    topic_id, topic = only(identity, "AWS::SNS::Topic")
    queue_id, queue = only(identity, "AWS::SQS::Queue")
    (_, subscription) = only(identity, "AWS::SNS::Subscription")
    assert subscription["Properties"]["RedrivePolicy"] == {
        "deadLetterTargetArn": {"Fn::GetAtt": [queue_id, "Arn"]}
    }
    assert queue["Properties"]["KmsMasterKeyId"] == topic["Properties"]["KmsMasterKeyId"]
    assert queue["Properties"]["MessageRetentionPeriod"] == 14 * 24 * 3600
    (_, policy) = only(identity, "AWS::SQS::QueuePolicy")
    statements = policy["Properties"]["PolicyDocument"]["Statement"]
    assert [s["Condition"] for s in statements if s["Effect"] == "Deny"] == [
        {"Bool": {"aws:SecureTransport": "false"}}
    ]
    (send,) = [s for s in statements if s.get("Principal") == {"Service": "sns.amazonaws.com"}]
    assert send["Action"] == "sqs:SendMessage"
    assert send["Condition"] == {"ArnEquals": {"aws:SourceArn": {"Ref": topic_id}}}
    key_id = topic["Properties"]["KmsMasterKeyId"]["Fn::GetAtt"][0]
    key_statements = identity.find_resources("AWS::KMS::Key")[key_id]["Properties"]["KeyPolicy"]["Statement"]
    (sns_may_encrypt,) = [s for s in key_statements if s.get("Principal") == {"Service": "sns.amazonaws.com"}]
    assert set(sns_may_encrypt["Action"]) == {"kms:Decrypt", "kms:GenerateDataKey*"}
    assert "cognito-sso-prod-alerts" in json.dumps(sns_may_encrypt["Condition"]["ArnEquals"])


def test_an_extra_alert_topic_receives_every_identity_alarm(tmp_path: Path) -> None:
    # Each extra topic is imported once per stack: the sign-in alarms, the certificate check and the
    # user export share those actions (a second import of the same topic failed the synth).
    from cdk_app.config.loading import load_project
    from composition.app_builder import build_app

    shutil.copytree(FIXTURE_CONFIG_DIR, tmp_path / "config")
    prod = tmp_path / "config" / "prod.yaml"
    text = prod.read_text(encoding="utf-8")
    emails = "    emails: [security-alerts@example.com]\n"
    assert text.count(emails) == 1
    prod.write_text(text.replace(emails, emails + f'    topic_arns: ["{PAGER}"]\n'), encoding="utf-8")
    app, stages = build_app(
        load_project(tmp_path / "config", ["prod"]), outdir=str(tmp_path / "out"), with_checks=False
    )
    app.synth()
    found = alarms(Template.from_stack(stages["prod"].identity))
    assert found
    assert {name for name, alarm in found.items() if PAGER not in json.dumps(alarm["AlarmActions"])} == set()

"""Prod's scheduled SAML certificate check (issue 21): daily, least privilege, alarmed to the alert topic."""

from __future__ import annotations

from aws_cdk.assertions import Match

from tests.synthesis import Synthesized


def test_prod_checks_certificates_daily(synth: Synthesized) -> None:
    synth.template("prod", "Identity").has_resource_properties(
        "AWS::Events::Rule", {"ScheduleExpression": "rate(1 day)", "State": "ENABLED"}
    )


def test_the_check_may_only_list_and_describe_the_pool_s_providers(synth: Synthesized) -> None:
    template = synth.template("prod", "Identity")
    template.has_resource_properties(
        "AWS::IAM::Role",
        {
            "Policies": Match.array_with(
                [
                    {
                        "PolicyName": "CallsAws",
                        "PolicyDocument": {
                            "Statement": [
                                {
                                    "Action": [
                                        "cognito-idp:DescribeIdentityProvider",
                                        "cognito-idp:ListIdentityProviders",
                                    ],
                                    "Effect": "Allow",
                                    "Resource": {
                                        "Fn::GetAtt": [Match.string_like_regexp("^UserPool"), "Arn"]
                                    },
                                }
                            ],
                            "Version": "2012-10-17",
                        },
                    }
                ]
            )
        },
    )


def test_errors_and_days_left_alarm_to_the_alert_topic(synth: Synthesized) -> None:
    template = synth.template("prod", "Identity")
    template.has_resource_properties(
        "AWS::CloudWatch::Alarm",
        {
            "MetricName": "Errors",
            "Namespace": "AWS/Lambda",
            "Period": 86400,
            "Threshold": 1,
            "ComparisonOperator": "GreaterThanOrEqualToThreshold",
            "AlarmActions": [{"Ref": Match.string_like_regexp("^AlertsTopic")}],
        },
    )
    template.has_resource_properties(
        "AWS::CloudWatch::Alarm",
        {
            "MetricName": "MinimumSigningCertificateDaysLeft",
            "Threshold": 30,
            "ComparisonOperator": "LessThanOrEqualToThreshold",
            # prod has a SAML provider: a day with no reading (no run, nothing read) alarms.
            "TreatMissingData": "breaching",
            "AlarmActions": [{"Ref": Match.string_like_regexp("^AlertsTopic")}],
        },
    )


def test_the_function_reads_the_pool_and_warning_days(synth: Synthesized) -> None:
    synth.template("prod", "Identity").has_resource_properties(
        "AWS::Lambda::Function",
        {
            "Environment": {
                "Variables": Match.object_like(
                    {
                        "USER_POOL_ID": {"Ref": Match.string_like_regexp("^UserPool")},
                        "WARNING_DAYS": "30",
                        "POWERTOOLS_METRICS_NAMESPACE": "CognitoSso/IdpCertCheck",
                    }
                )
            }
        },
    )


def test_dev_has_no_scheduled_check(synth: Synthesized) -> None:
    synth.template("dev", "Identity").resource_count_is("AWS::Events::Rule", 0)

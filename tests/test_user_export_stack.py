"""Prod's scheduled user export (issue 23 item 3): a private, versioned, encrypted bucket, least
privilege, a schedule and alarms to the alert topic."""

from __future__ import annotations

from aws_cdk.assertions import Match

from tests.synthesis import Synthesized


def test_the_export_bucket_is_versioned_encrypted_private_and_expires_old_files(synth: Synthesized) -> None:
    synth.template("prod", "Identity").has_resource(
        "AWS::S3::Bucket",
        {
            "DeletionPolicy": "Retain",
            "Properties": Match.object_like(
                {
                    "VersioningConfiguration": {"Status": "Enabled"},
                    "BucketEncryption": {
                        "ServerSideEncryptionConfiguration": [
                            Match.object_like(
                                {
                                    "ServerSideEncryptionByDefault": Match.object_like(
                                        {"SSEAlgorithm": "aws:kms"}
                                    )
                                }
                            )
                        ]
                    },
                    "PublicAccessBlockConfiguration": {
                        "BlockPublicAcls": True,
                        "BlockPublicPolicy": True,
                        "IgnorePublicAcls": True,
                        "RestrictPublicBuckets": True,
                    },
                    "LifecycleConfiguration": {
                        "Rules": [
                            Match.object_like(
                                {
                                    "ExpirationInDays": 35,
                                    "NoncurrentVersionExpiration": {"NoncurrentDays": 35},
                                }
                            )
                        ]
                    },
                }
            ),
        },
    )


def test_the_export_bucket_refuses_plain_http(synth: Synthesized) -> None:
    synth.template("prod", "Identity").has_resource_properties(
        "AWS::S3::BucketPolicy",
        {
            "PolicyDocument": Match.object_like(
                {
                    "Statement": Match.array_with(
                        [
                            Match.object_like(
                                {"Effect": "Deny", "Condition": {"Bool": {"aws:SecureTransport": "false"}}}
                            )
                        ]
                    )
                }
            )
        },
    )


def test_a_failed_or_missing_export_alarms(synth: Synthesized) -> None:
    template = synth.template("prod", "Identity")
    template.has_resource_properties(
        "AWS::CloudWatch::Alarm",
        {"MetricName": "UsersExported", "TreatMissingData": "breaching", "Period": 86400},
    )
    template.has_resource_properties(
        "AWS::CloudWatch::Alarm",
        {"AlarmName": "cognito-sso-prod-user-export-errors", "MetricName": "Errors", "Threshold": 1},
    )


def test_dev_has_no_export_bucket(synth: Synthesized) -> None:
    synth.template("dev", "Identity").resource_count_is("AWS::S3::Bucket", 0)

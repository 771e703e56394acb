"""Synth-time checks: cdk-nag 3.x packs registered as CDK validation plugins."""

from __future__ import annotations

import aws_cdk as cdk
from cdk_nag import AwsSolutionsChecks, ServerlessChecks
from constructs import IConstruct


def register(scope: cdk.App | cdk.Stage) -> None:
    """Run AwsSolutions and Serverless on every synth; any unacknowledged finding fails it."""
    cdk.Validations.of(scope).add_plugins(AwsSolutionsChecks(scope), ServerlessChecks(scope))


def acknowledge(construct: IConstruct, finding: str, reason: str) -> None:
    """Acknowledge one granular finding on the narrowest construct, with a checkable reason."""
    if not reason.strip():
        raise ValueError(f"acknowledging {finding} needs a reason")
    cdk.Validations.of(construct).acknowledge(cdk.Acknowledgment(id=finding, reason=reason))

"""The cdk-nag 3.x packs every synth of this app runs, registered as CDK validation plugins.

Acknowledging a finding is the constructs' business (``cdk_app.constructs.nag.acknowledge``, on the
narrowest construct); which packs run is the app's, and is decided here only.
"""

from __future__ import annotations

import aws_cdk as cdk
from cdk_nag import AwsSolutionsChecks, ServerlessChecks


def register(scope: cdk.App | cdk.Stage) -> None:
    """Run AwsSolutions and Serverless on every synth; any unacknowledged finding fails it."""
    cdk.Validations.of(scope).add_plugins(AwsSolutionsChecks(scope), ServerlessChecks(scope))

"""The one way a construct acknowledges a cdk-nag 3.x finding: granular, narrow, with a reason.

Which packs run is decided above the stacks (``composition.nag.register``).
"""

from __future__ import annotations

import aws_cdk as cdk
from constructs import IConstruct


def acknowledge(construct: IConstruct, finding: str, reason: str) -> None:
    """Acknowledge one granular finding on the narrowest construct, with a checkable reason."""
    if not reason.strip():
        raise ValueError(f"acknowledging {finding} needs a reason")
    cdk.Validations.of(construct).acknowledge(cdk.Acknowledgment(id=finding, reason=reason))

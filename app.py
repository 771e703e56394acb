#!/usr/bin/env python3
"""CDK entry point: read the environment name(s), load typed config, build one Stage each.

``cdk synth`` synthesizes every ``config/*.yaml``; ``cdk synth -c env=dev`` (or ``env=dev,prod``)
only those. No AWS calls and no lookups happen here, so synth needs no credentials.
"""

from __future__ import annotations

import sys

from composition.node_runtime import prefer_project_node

if __name__ == "__main__":
    prefer_project_node()  # before anything imports aws_cdk and starts jsii
    from composition.main import run

    sys.exit(run())

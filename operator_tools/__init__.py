"""Operator tools: run against a deployed environment (deploy guard, smoke test, sign-in).

They read typed config from ``cdk_app.config`` and the stack contracts from ``cdk_app.contracts``
but never import aws_cdk or constructs: they start fast and need no jsii.
"""

"""Operator tools: the make verbs that run against a deployed environment or the local emulator.

Layers, imported one way only (an import-linter ``layers`` contract in pyproject.toml):

- ``verbs/``: one module per make verb, named after it (``make smoke`` is ``verbs/smoke.py``), each run
  as ``python -m operator_tools.verbs.<verb>``;
- ``local/``: the embedded AWS emulator (MiniStack) library: its process, deploying to it, its URLs,
  the local identity providers;
- ``users/``: exporting a pool's users and restoring them (beside ``local/``: neither imports the other);
- ``lib/``: what every verb shares: choosing and opening an environment, stack outputs, HTTP, tokens,
  the CDK CLI's commands, and ``run_cli``, through which every error goes.

They read typed config from ``cdk_app.config`` and the stack contracts from ``cdk_app.contracts``
but never import aws_cdk or constructs: they start fast and need no jsii.
"""

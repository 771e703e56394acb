"""What every operator verb shares; it imports neither ``local/`` nor ``verbs/``.

Names used throughout the operator tools, each for one thing:

- an *environment* is one ``config/<name>.yaml`` (an ``EnvironmentConfig``, held in a variable named
  ``config``), chosen by name with ``environment.choose_environment``;
- a *deployment* is that environment as deployed: its stack outputs and an AWS session that reaches
  it (``deployment.Deployment``);
- an *environ* is a process's environment variables (``os.environ`` or a dict of the same shape),
  such as the one a CDK CLI command runs with.
"""

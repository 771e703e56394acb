"""Where an environment's AWS calls go: the one home of the rule that keeps AWS and the emulator apart.

- ``deploy_target: emulator`` (config/local.yaml): every call goes to the emulator this project
  started, with its dummy keys; the caller's profile, keys and endpoint are removed. With no
  emulator running it is refused rather than sent anywhere else.
- ``deploy_target: aws``: the caller's own credentials, and any endpoint override
  (``AWS_ENDPOINT_URL*`` in the environment or ``endpoint_url`` in the AWS profile) is refused, so a
  real environment is never sent to the emulator or to any other stand-in.

The account is the second lock: an emulator environment is pinned to the emulator's account, which
no real AWS account has, and a real environment may not use it (``cdk_app.config.environment``).
"""

from __future__ import annotations

import os
from collections.abc import Mapping

from cdk_app.config import EnvironmentConfig
from operator_tools.errors import ToolError
from operator_tools.local import emulator

ENDPOINT_VARIABLE = "AWS_ENDPOINT_URL"


def command_environment(
    config: EnvironmentConfig, verb: str, environ: Mapping[str, str] | None = None
) -> dict[str, str]:
    """The process environment in which ``verb`` may run for ``config``; ``ToolError`` if none is safe."""
    environ = dict(os.environ if environ is None else environ)
    if config.deploy_target == "emulator":
        running = emulator.find()
        if running is None:
            raise ToolError(
                f"{config.name} deploys to the local emulator, which is not running; "
                f"start it (and deploy) with make up ENV={config.name}"
            )
        return emulator.client_env(running, environ)
    overrides = sorted(k for k, v in environ.items() if k.startswith(ENDPOINT_VARIABLE) and v)
    profile_endpoint = _profile_endpoint(environ)
    if overrides or profile_endpoint:
        where = ", ".join(overrides) or f"endpoint_url in AWS profile {environ.get('AWS_PROFILE', 'default')}"
        raise ToolError(
            f"{config.name} is a real environment (deploy_target: aws), but {where} redirects AWS calls "
            f"elsewhere; refusing to send it to an emulator or stand-in. Unset it, or use ENV=local"
        )
    return environ


def _profile_endpoint(environ: Mapping[str, str]) -> str | None:
    """``endpoint_url`` from the selected profile of the AWS config file, read without any AWS call."""
    import botocore.session  # only when needed: importing botocore costs ~100 ms

    session = botocore.session.Session()
    profile = environ.get("AWS_PROFILE")
    if profile:
        session.set_config_variable("profile", profile)
    config_file = environ.get("AWS_CONFIG_FILE")
    if config_file:
        session.set_config_variable("config_file", config_file)
    try:
        value = session.get_scoped_config().get("endpoint_url")
    except Exception:  # a missing or broken profile is the credential check's to report
        return None
    return str(value) if value else None

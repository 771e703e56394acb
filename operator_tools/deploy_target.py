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
from operator_tools.credentials import require_credentials
from operator_tools.errors import ToolError
from operator_tools.local import emulator

ENDPOINT_VARIABLE = "AWS_ENDPOINT_URL"


def running_emulator(config: EnvironmentConfig) -> emulator.Emulator:
    """The emulator an emulator environment's calls go to; ``ToolError`` when none is running."""
    running = emulator.find()
    if running is None:
        raise ToolError(
            f"{config.name} deploys to the local emulator, which is not running; "
            f"start it (and deploy) with make up ENV={config.name}"
        )
    return running


def command_environment(
    config: EnvironmentConfig, command: str, environ: Mapping[str, str] | None = None
) -> dict[str, str]:
    """The process environment ``command`` (``make deploy ENV=dev``) may run in for ``config``.

    Raises ``ToolError`` when none is safe: no emulator for an emulator environment; an endpoint
    override or no credentials for a real one.
    """
    environ = dict(os.environ if environ is None else environ)
    if config.deploy_target == "emulator":
        return emulator.client_env(running_emulator(config), environ)
    return aws_environment(f"{config.name} is a real environment (deploy_target: aws)", command, environ)


def aws_environment(what: str, command: str, environ: Mapping[str, str]) -> dict[str, str]:
    """``environ`` once it is sure to reach AWS itself with credentials; ``what`` names the target."""
    overrides = sorted(k for k, v in environ.items() if k.startswith(ENDPOINT_VARIABLE) and v)
    profile_endpoint = _profile_endpoint(environ)
    if overrides or profile_endpoint:
        where = ", ".join(overrides) or f"endpoint_url in AWS profile {environ.get('AWS_PROFILE', 'default')}"
        raise ToolError(
            f"{what}, but {where} redirects AWS calls elsewhere; refusing to send it to an emulator or "
            "stand-in. Unset it, or use an environment with deploy_target: emulator (ENV=local)"
        )
    require_credentials(command, environ)
    return dict(environ)


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

"""The rule for an environment with ``deploy_target: aws``: its calls reach AWS itself, with credentials.

- Any endpoint override (``AWS_ENDPOINT_URL*`` in the environ, or ``endpoint_url`` in the AWS
  profile) is refused, so a real environment is never sent to the emulator or to any other stand-in.
- Then credentials must be found (``credentials.require_credentials``).

The other target, ``deploy_target: emulator``, is ``operator_tools.local.target``'s to handle: it has
to find the running emulator, and lib/ never imports local/. The account is the second lock: an
emulator environment is pinned to the emulator's account, which no real AWS account has, and a real
environment may not use it (``cdk_app.config.environment``).
"""

from __future__ import annotations

from collections.abc import Mapping

from operator_tools.lib.credentials import require_credentials
from operator_tools.lib.errors import ToolError

ENDPOINT_VARIABLE = "AWS_ENDPOINT_URL"


def aws_environ(what: str, command: str, environ: Mapping[str, str]) -> dict[str, str]:
    """``environ``, once it is sure to reach AWS itself with credentials; ``what`` names the target in
    the refusal and ``command`` (``make diff ENV=dev``) is repeated in the credentials hint."""
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

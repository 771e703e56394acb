"""Whether AWS credentials are available, asked before a verb does anything that needs them.

Guarantees: ``require_credentials`` makes no AWS API call (it walks botocore's credential chain:
environment variables, ``AWS_PROFILE`` and ``~/.aws``, SSO, a credential process, container and
instance roles) and turns "none found" into one line naming the verb, instead of a synth followed by
the CDK CLI's own message twice. It answers only whether there are credentials; whether a verb needs
them is decided where its calls are sent (``deploy_target.aws_environ``, called by
``deployment.open_on_aws`` and by ``local.target``).
"""

from __future__ import annotations

from collections.abc import Mapping

import botocore.session
from botocore.exceptions import BotoCoreError, ProfileNotFound

from operator_tools.lib.errors import ToolError


def require_credentials(command: str, environ: Mapping[str, str]) -> None:
    """Return if the credential chain finds credentials, else raise a one-line ``ToolError`` whose
    hint repeats ``command`` (``make diff ENV=dev``) with a profile.

    Emulator environments never come here: ``local.target`` gives them the emulator's own keys, and
    ``deploy_target.aws_environ`` refuses an endpoint override for a real environment before asking.
    """
    try:
        # botocore reads the process's environ itself; ``environ`` is that same mapping.
        credentials = botocore.session.Session().get_credentials()
    except ProfileNotFound:
        raise ToolError(
            f"AWS_PROFILE={environ.get('AWS_PROFILE')} is not a profile in your AWS config; "
            "`aws configure list-profiles` lists the profiles you have"
        ) from None
    except BotoCoreError as exc:
        raise ToolError(f"cannot load AWS credentials: {exc}") from None
    if credentials is None:
        raise ToolError(
            "no AWS credentials found; sign in (e.g. `aws sso login --profile NAME`) and run "
            f"AWS_PROFILE=NAME {command}, or set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY"
        )

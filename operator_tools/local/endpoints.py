"""Where the local emulator serves what AWS serves at a given URL: the one home of that mapping.

Stack outputs name AWS's hosts (the templates are the same as on AWS). The emulator answers all of
them on its own gateway instead:

- the hosted sign-in (``https://<prefix>.auth.<region>.amazoncognito.com/<path>``) at the gateway's
  root: ``/oauth2/authorize``, ``/login``, ``/oauth2/token``, ``/logout``;
- the pool's discovery document and JWKS (``https://cognito-idp.<region>.amazonaws.com/<pool>/...``)
  at ``/<pool>/.well-known/...``. The issuer itself is unchanged: tokens carry AWS's issuer URL;
- a REST API stage (``https://<api id>.execute-api.<region>.amazonaws.com/<stage>/<path>``) at
  ``/restapis/<api id>/<stage>/_user_request_/<path>``.

Anything else has no local equivalent and is a ``ToolError`` rather than a silent pass-through to AWS.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit, urlunsplit

from operator_tools.lib.errors import ToolError

_HOSTED_UI = re.compile(r"^[a-z0-9-]+\.auth\.[a-z0-9-]+\.amazoncognito\.com$")
_COGNITO_IDP = re.compile(r"^cognito-idp\.[a-z0-9-]+\.amazonaws\.com$")
_EXECUTE_API = re.compile(r"^(?P<api>[a-z0-9]+)\.execute-api\.[a-z0-9-]+\.amazonaws\.com$")


def emulator_url(url: str, gateway: str) -> str:
    """``url`` (an AWS endpoint from a stack output) as the emulator at ``gateway`` serves it."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    base = urlsplit(gateway.rstrip("/"))
    if parts.scheme != "https":
        raise ToolError(f"{url!r} is not an AWS endpoint (https) that the emulator stands in for")
    if _HOSTED_UI.match(host) or _COGNITO_IDP.match(host):
        path = parts.path
    elif (m := _EXECUTE_API.match(host)) is not None:
        stage, _, rest = parts.path.lstrip("/").partition("/")
        if not stage:
            raise ToolError(f"{url!r} names no API stage")
        path = f"/restapis/{m.group('api')}/{stage}/_user_request_/{rest}"
    else:
        raise ToolError(
            f"{host!r} has no stand-in in the local emulator (a custom domain?); local environments "
            "use a Cognito prefix domain and the API's execute-api URL"
        )
    return urlunsplit((base.scheme, base.netloc, path, parts.query, ""))

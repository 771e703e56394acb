"""A browser app's configuration document, built from the deployed stacks (``make outputs`` and ``make spa``).

The one place a front end learns where it signs in and what it calls. The document is built from the
stack outputs as ``open_deployment`` reads them (so a local environment gets the emulator's URLs)
and from the client's config (its redirect and sign-out URLs, its scopes), and written as JSON to
``examples/spa/config/<env>.json``. Its ``oidc`` part is what ``oidc-client-ts`` (and wrappers of it
such as ``react-oidc-context``) take as settings, with the provider's ``metadata`` given outright,
so the app needs no discovery request.

Guarantees:

- only a browser (``spa``) client is accepted: a ``web`` client has a secret that stays on a server,
  and an ``m2m`` client signs in no one;
- the document holds no secret (stack outputs and config never hold one), and the output keys it
  reads are ``FRONT_END_OUTPUTS``, which the change review's consumer table lists;
- the file is written whole or not at all (a temporary file renamed into place);
- every failure is a ``ToolError`` naming the environment, the client or the file.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any

from cdk_app.config import EnvironmentConfig
from cdk_app.config.clients import ClientConfig
from cdk_app.contracts import ApiOutputs, IdentityOutputs
from operator_tools.lib.errors import ToolError
from operator_tools.lib.stack_outputs import StackOutputs

PROJECT_ROOT = Path(__file__).resolve().parents[2]
SPA_DIR = PROJECT_ROOT / "examples" / "spa"
# Where the documents go (gitignored: they are derived from the deployed stacks).
DOCUMENT_DIR = SPA_DIR / "config"

# The stack outputs this document is made of (besides the client's ``<Construct>ClientId``). The
# change review's table of consumers (change_review/policy/outputs.py) names `make outputs` for each.
FRONT_END_OUTPUTS = (
    IdentityOutputs.USER_POOL_ID,
    IdentityOutputs.ISSUER_URL,
    IdentityOutputs.DOMAIN_BASE_URL,
    IdentityOutputs.AUTHORIZE_ENDPOINT,
    IdentityOutputs.TOKEN_ENDPOINT,
    IdentityOutputs.JWKS_URL,
    IdentityOutputs.LOGOUT_ENDPOINT,
    ApiOutputs.API_BASE_URL,
)


def choose_browser_client(config: EnvironmentConfig, name: str | None) -> ClientConfig:
    """The named client, or the environment's first ``spa`` client; refuses any other kind."""
    client = config.client("spa") if name is None else config.named_client(name)
    if client is None:
        spas = ", ".join(c.name for c in config.clients if c.kind == "spa") or "none"
        raise ToolError(
            f"environment {config.name!r} has no {'spa client' if name is None else f'client {name!r}'}; "
            f"its spa clients: {spas}"
        )
    if client.kind != "spa":
        why = "its secret must stay on a server" if client.kind == "web" else "it signs in no user"
        raise ToolError(
            f"client {client.name!r} in {config.name!r} is a {client.kind} client ({why}); "
            "a browser app's config is only written for spa clients"
        )
    return client


def frontend_config(config: EnvironmentConfig, outputs: StackOutputs, client: ClientConfig) -> dict[str, Any]:
    """The front end's configuration document (JSON-ready) for ``client``.

    ``oidc`` holds oidc-client-ts settings; the app picks, from ``redirect_uris`` and
    ``post_logout_redirect_uris``, the one on its own origin. ``logout`` is Cognito's sign-out
    endpoint, which takes ``client_id`` and ``logout_uri`` (not OpenID's ``end_session_endpoint``
    parameters), so it is kept out of the OpenID metadata for the app to call explicitly.
    """
    if outputs.logout_endpoint is None or outputs.domain_base_url is None:
        raise ToolError(
            f"the {config.name!r} Identity stack has no {IdentityOutputs.LOGOUT_ENDPOINT} or "
            f"{IdentityOutputs.DOMAIN_BASE_URL} output (a browser app signs in and out through the "
            "hosted domain); redeploy with the current stacks"
        )
    if not client.callback_urls:
        raise ToolError(f"client {client.name!r} in {config.name!r} has no callback_urls to return to")
    return {
        "environment": config.name,
        "client": client.name,
        "oidc": {
            # Tokens carry this issuer in ``iss``; it is also the key the library stores the user under.
            "authority": outputs.issuer_url,
            "client_id": outputs.client_id(client),
            "scope": " ".join(client.scopes),
            "metadata": {
                "issuer": outputs.issuer_url,
                "authorization_endpoint": outputs.authorize_endpoint,
                "token_endpoint": outputs.token_endpoint,
                "jwks_uri": outputs.jwks_url,
            },
        },
        "redirect_uris": list(client.callback_urls),
        "post_logout_redirect_uris": list(client.logout_urls),
        "logout": {"endpoint": outputs.logout_endpoint},
        "cognito": {"user_pool_id": outputs.user_pool_id, "domain": outputs.domain_base_url},
        "api": {"base_url": outputs.api_base_url, "allowed_origins": list(config.api.cors.allow_origins)},
    }


def config_path(name: str, document_dir: Path = DOCUMENT_DIR) -> Path:
    """Where ``make outputs`` writes environment ``name``'s document."""
    return document_dir / f"{name}.json"


def write_config(document: dict[str, Any], path: Path) -> None:
    """Write ``document`` to ``path`` whole: a temporary file beside it, then renamed into place."""
    text = json.dumps(document, indent=2) + "\n"
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                handle.write(text)
            os.replace(temporary, path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
    except OSError as exc:
        raise ToolError(f"cannot write {path}: {exc.strerror or exc}") from None


def write_frontend_config(
    config: EnvironmentConfig, outputs: StackOutputs, client: ClientConfig, path: Path | None = None
) -> tuple[Path, dict[str, Any]]:
    """Build ``client``'s document from the deployed ``outputs`` and write it (default: ``config_path``)."""
    document = frontend_config(config, outputs, client)
    target = path or config_path(config.name)
    write_config(document, target)
    return target, document

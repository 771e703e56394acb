"""The local identity providers an emulator environment's config names, wired to its deployment: what
``local.lifecycle.bring_up`` and ``take_down`` call around the deploy.

Before the deploy: the IdPs are started (or reused) for the SAML providers whose ``metadata_url`` and
the OIDC providers whose ``issuer`` is a loopback HTTPS URL (``https://127.0.0.1:<port>``), and each
OIDC provider's client secret is put into the emulator's Secrets Manager under the config's
``secret_name``/``json_key``, where the template's dynamic reference reads it. After the deploy: the
pool's SP metadata (``operator_tools.lib.saml_sp_metadata``, the document ``make sp-metadata`` writes)
goes where the SAML IdP reads it, so a new pool needs no IdP restart.

Guarantees: an environment without such providers starts nothing; only one local SAML and one local
OIDC IdP exist, so a second provider of a kind on a loopback URL is refused in one line; the client
secret is never printed or returned.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from cdk_app.config import EnvironmentConfig
from cdk_app.config.federation import OidcConfig, SamlConfig
from operator_tools.lib.errors import ToolError
from operator_tools.lib.saml_sp_metadata import ACS_PATH, ENTITY_ID_PREFIX, ServiceProvider, sp_metadata
from operator_tools.lib.stack_outputs import StackOutputs
from operator_tools.local.idps import lifecycle as idps
from operator_tools.local.idps.errors import IdpError
from operator_tools.local.idps.layout import STATE_DIR

SP_METADATA_FILE = STATE_DIR / "saml" / "sp-metadata.xml"
_LOOPBACK = "127.0.0.1"


@dataclass(frozen=True)
class LocalProviders:
    """The providers of an environment that the local IdPs serve (at most one of each kind)."""

    saml: SamlConfig | None
    oidc: OidcConfig | None

    @property
    def any(self) -> bool:
        return self.saml is not None or self.oidc is not None


def local_providers(config: EnvironmentConfig) -> LocalProviders:
    """The SAML and OIDC providers of ``config`` on loopback URLs; ``ToolError`` for two of a kind."""
    providers = config.identity_providers
    saml = [p for p in providers.saml if p.metadata_url is not None and _loopback(str(p.metadata_url))]
    oidc = [p for p in providers.oidc if _loopback(str(p.issuer))]
    for kind, found in (("saml", saml), ("oidc", oidc)):
        if len(found) > 1:
            names = ", ".join(p.name for p in found)
            raise ToolError(
                f"config/{config.name}.yaml: identity_providers.{kind}: {names} all name a loopback URL, "
                f"but `make up` runs one local {kind.upper()} IdP"
            )
    return LocalProviders(saml[0] if saml else None, oidc[0] if oidc else None)


def hosted_domain(config: EnvironmentConfig) -> str:
    """The pool's prefix domain as Cognito names it (``<prefix>.auth.<region>.amazoncognito.com``)."""
    return f"{config.domain.prefix}.auth.{config.region}.amazoncognito.com"


def start_idps(config: EnvironmentConfig, gateway: str) -> list[idps.RunningIdp]:
    """Start (or reuse) the local IdPs ``config`` names; none when it names none."""
    found = local_providers(config)
    if not found.any:
        return []
    domain = hosted_domain(config)
    saml = idps.SamlIdpSpec(str(found.saml.metadata_url), SP_METADATA_FILE, gateway) if found.saml else None
    oidc = (
        idps.OidcIdpSpec(
            str(found.oidc.issuer).rstrip("/"),
            found.oidc.client_id,
            (f"https://{domain}/oauth2/idpresponse",),
            gateway,
        )
        if found.oidc
        else None
    )
    try:
        return idps.start(saml, oidc)
    except IdpError as exc:
        raise ToolError(str(exc)) from None


def put_client_secret(config: EnvironmentConfig, secretsmanager: Any) -> str | None:
    """Put the local OIDC client's secret where the config's reference names it; returns the secret's
    name (``None`` without a local OIDC provider). The value is never printed."""
    oidc = local_providers(config).oidc
    if oidc is None:
        return None
    ref = oidc.client_secret
    secret = idps.oidc_client_secret()
    value = json.dumps({ref.json_key: secret}) if ref.json_key else secret
    try:
        secretsmanager.put_secret_value(SecretId=ref.secret_name, SecretString=value)
    except secretsmanager.exceptions.ResourceNotFoundException:
        secretsmanager.create_secret(Name=ref.secret_name, SecretString=value)
    return ref.secret_name


def write_sp_metadata(
    config: EnvironmentConfig, outputs: StackOutputs, path: Path = SP_METADATA_FILE
) -> bool:
    """Write the pool's SP metadata where the SAML IdP reads it; False without a local SAML provider."""
    if local_providers(config).saml is None:
        return False
    sp = ServiceProvider(
        entity_id=f"{ENTITY_ID_PREFIX}{outputs.user_pool_id}",
        acs_url=f"https://{hosted_domain(config)}{ACS_PATH}",
    )
    document = sp_metadata(sp)
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.is_file() or path.read_text(encoding="utf-8") != document:
        path.write_text(document, encoding="utf-8")
    return True


def stop_idps() -> list[str]:
    """Stop the local IdPs this checkout started; the kinds that were running."""
    return list(idps.stop())


def _loopback(url: str) -> bool:
    parts = urlsplit(url)
    return parts.scheme == "https" and parts.hostname == _LOOPBACK

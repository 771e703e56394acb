"""The local IdPs, started once for this package on free ports in a temporary state directory, with
a Cognito-shaped SP metadata file (the document `make sp-metadata` writes), and always stopped."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from operator_tools.local.idps import lifecycle, processes
from operator_tools.local.idps.layout import IdpFiles

POOL_ID = "eu-west-1_IdpTest01"
SP_ENTITY_ID = f"urn:amazon:cognito:sp:{POOL_ID}"
DOMAIN = "sso-local.auth.eu-west-1.amazoncognito.com"
ACS_URL = f"https://{DOMAIN}/saml2/idpresponse"
OIDC_REDIRECT_URI = f"https://{DOMAIN}/oauth2/idpresponse"
OIDC_CLIENT_ID = "cognito-local"


def sp_metadata(entity_id: str = SP_ENTITY_ID, acs_url: str = ACS_URL) -> str:
    """A Cognito user pool's SP metadata: entity ID, NameID format, HTTP-POST ACS, unsigned requests."""
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="{entity_id}">
  <md:SPSSODescriptor AuthnRequestsSigned="false" WantAssertionsSigned="true"
      protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">
    <md:NameIDFormat>urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified</md:NameIDFormat>
    <md:AssertionConsumerService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST"
        Location="{acs_url}" index="1"/>
  </md:SPSSODescriptor>
</md:EntityDescriptor>
"""


@dataclass(frozen=True)
class LocalIdps:
    state_dir: Path
    files: IdpFiles
    saml: lifecycle.RunningIdp
    oidc: lifecycle.RunningIdp
    saml_spec: lifecycle.SamlIdpSpec
    oidc_spec: lifecycle.OidcIdpSpec

    @property
    def ca_file(self) -> Path:
        return self.files.ca_cert


def specs(state_dir: Path) -> tuple[lifecycle.SamlIdpSpec, lifecycle.OidcIdpSpec]:
    sp_file = state_dir.parent / "sp-metadata.xml"
    sp_file.write_text(sp_metadata(), encoding="utf-8")
    saml = lifecycle.SamlIdpSpec(f"https://127.0.0.1:{processes.free_port()}/saml/idp", sp_file)
    oidc = lifecycle.OidcIdpSpec(
        f"https://127.0.0.1:{processes.free_port()}", OIDC_CLIENT_ID, (OIDC_REDIRECT_URI,)
    )
    return saml, oidc


@pytest.fixture(scope="package")
def idps(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalIdps]:
    state_dir = tmp_path_factory.mktemp("local") / "idps"
    saml_spec, oidc_spec = specs(state_dir)
    try:
        saml, oidc = lifecycle.start(saml_spec, oidc_spec, state_dir=state_dir)
        yield LocalIdps(state_dir, IdpFiles(state_dir), saml, oidc, saml_spec, oidc_spec)
    finally:
        lifecycle.stop(state_dir)

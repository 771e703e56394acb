"""The project's own Identity stack, synthesized from config/local.yaml with one SAML and one OIDC
provider added, deployed by the real CDK CLI to an emulator started through the launcher: the
unchanged template's providers exist as written, and the hosted UI sends a sign-in to the SAML one."""

from __future__ import annotations

import io
import json
import urllib.error
import urllib.request
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
import yaml

from cdk_app.contracts import IDENTITY_STACK, IdentityOutputs, client_id_output, stack_name
from operator_tools.local import aws, emulator
from operator_tools.local.endpoints import emulator_url
from tests.operator_tools.conftest import free_port

pytestmark = pytest.mark.emulator

ENV = "local"
CDK = str(emulator.PROJECT_ROOT / "node_modules" / ".bin" / "cdk")
OIDC_SECRET = "cognito-sso/local/launcher-test-oidc"  # its name; the value is made up below
EMAIL_CLAIM = "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress"
PROVIDERS = {
    "saml": [
        {
            "name": "LocalSaml",
            # Its HTTP-Redirect SingleSignOnService is where the hosted UI sends a sign-in.
            "metadata_file": "config/saml/acme-corp.xml",
            "identifiers": ["acme.example.com"],
            "attribute_mapping": {"email": EMAIL_CLAIM},
        }
    ],
    "oidc": [
        {
            "name": "LocalOidc",
            "issuer": "https://127.0.0.1:9443/issuer",
            "client_id": "local-oidc-client",
            "client_secret": {"secret_name": OIDC_SECRET, "json_key": "client_secret"},
            "identifiers": ["partner.example.com"],
            "attribute_mapping": {"email": "email", "name": "name"},
        }
    ],
}


def federated_config_dir(tmp: Path) -> Path:
    """config/ copied, with ``local`` given PROVIDERS and its spa client offering them."""
    config_dir = tmp / "config"
    config_dir.mkdir()
    for path in (emulator.PROJECT_ROOT / "config").glob("*.yaml"):
        (config_dir / path.name).write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    local = yaml.safe_load((config_dir / f"{ENV}.yaml").read_text(encoding="utf-8"))
    local["identity_providers"] = PROVIDERS
    spa = next(c for c in local["clients"] if c["name"] == "spa")
    spa["identity_providers"] = ["COGNITO", "LocalSaml", "LocalOidc"]
    (config_dir / f"{ENV}.yaml").write_text(yaml.safe_dump(local, sort_keys=False), encoding="utf-8")
    return config_dir


@dataclass(frozen=True)
class Deployed:
    emulator: emulator.Emulator
    outputs: dict[str, str]


def _placeholder_layer(running: emulator.Emulator, parameter: str) -> None:
    """The Powertools layer parameter the stack resolves, naming an empty layer: this test invokes
    no function, so it does not build the real one (``make up`` does)."""
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as built:
        built.writestr("python/placeholder.py", "")
    published = aws.client(running, "lambda").publish_layer_version(
        LayerName="launcher-test-placeholder", Content={"ZipFile": archive.getvalue()}
    )
    aws.client(running, "ssm").put_parameter(
        Name=parameter, Value=published["LayerVersionArn"], Type="String"
    )


@pytest.fixture(scope="module")
def deployed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Deployed]:
    tmp = tmp_path_factory.mktemp("federated")
    config_dir = federated_config_dir(tmp)
    local = yaml.safe_load((config_dir / f"{ENV}.yaml").read_text(encoding="utf-8"))
    state = tmp / "local"
    running, _ = emulator.start(local["region"], state_dir=state, port=free_port())
    try:
        aws.run_cdk(
            running, [CDK, "bootstrap", f"aws://{emulator.ACCOUNT}/{running.region}"], cwd=state, quiet=True
        )
        _placeholder_layer(running, local["functions"]["powertools_layer"]["ssm_parameter"])
        aws.client(running, "secretsmanager").create_secret(
            Name=OIDC_SECRET, SecretString=json.dumps({"client_secret": "local-only-value"})
        )
        command = [CDK, "deploy", f"{ENV}/{IDENTITY_STACK}", "--exclusively", "-c", f"env={ENV}"]
        command += [
            "-c",
            f"config_dir={config_dir}",
            "-o",
            str(tmp / "cdk.out"),
            "--require-approval",
            "never",
        ]
        aws.run_cdk(running, command, cwd=emulator.PROJECT_ROOT, quiet=True)
        stack = aws.client(running, "cloudformation").describe_stacks(
            StackName=stack_name(ENV, IDENTITY_STACK)
        )
        outputs = {o["OutputKey"]: o["OutputValue"] for o in stack["Stacks"][0]["Outputs"]}
        yield Deployed(running, outputs)
    finally:
        emulator.stop(state)


def _provider(deployed: Deployed, name: str) -> dict[str, Any]:
    cognito = aws.client(deployed.emulator, "cognito-idp")
    pool = deployed.outputs[IdentityOutputs.USER_POOL_ID]
    found: dict[str, Any] = cognito.describe_identity_provider(UserPoolId=pool, ProviderName=name)
    return found["IdentityProvider"]


def test_the_real_cdk_deploy_creates_the_saml_and_oidc_providers_of_the_unchanged_template(
    deployed: Deployed,
) -> None:
    saml = _provider(deployed, "LocalSaml")
    metadata = (emulator.PROJECT_ROOT / "config" / "saml" / "acme-corp.xml").read_text(encoding="utf-8")
    assert saml["ProviderDetails"]["MetadataFile"] == metadata
    assert saml["ProviderDetails"]["IDPSignout"] == "false"  # a boolean in the template
    assert saml["AttributeMapping"] == {"email": EMAIL_CLAIM}
    assert saml["IdpIdentifiers"] == ["acme.example.com"]
    oidc = _provider(deployed, "LocalOidc")
    assert oidc["ProviderType"] == "OIDC"
    assert oidc["ProviderDetails"]["oidc_issuer"] == "https://127.0.0.1:9443/issuer"
    # The template holds a Secrets Manager reference; the provider holds its value.
    assert oidc["ProviderDetails"]["client_secret"] == "local-only-value"
    assert oidc["IdpIdentifiers"] == ["partner.example.com"]


def test_the_hosted_ui_sends_a_sign_in_with_the_deployed_saml_provider_to_its_sso_endpoint(
    deployed: Deployed,
) -> None:
    query = {
        "client_id": deployed.outputs[client_id_output("SpaClient")],
        "response_type": "code",
        "redirect_uri": "http://localhost:8765/callback",
        "scope": "openid email",
        "identity_provider": "LocalSaml",
        "state": "s-1",
    }
    authorize = deployed.outputs[IdentityOutputs.AUTHORIZE_ENDPOINT] + "?" + urlencode(query)
    location = _redirect(emulator_url(authorize, deployed.emulator.endpoint))
    parts = urlsplit(location)
    assert f"{parts.scheme}://{parts.netloc}{parts.path}" == "https://idp.acme.example.com/saml/sso"
    assert "SAMLRequest" in parse_qs(parts.query)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


def _redirect(url: str) -> str:
    opener = urllib.request.build_opener(_NoRedirect)
    with pytest.raises(urllib.error.HTTPError) as raised:
        opener.open(url, timeout=10)
    assert raised.value.code in (302, 303), raised.value.read()[:500]
    return str(raised.value.headers["Location"])

"""`make sp-metadata`: the SAML service-provider metadata an IdP administrator imports, with the pool's
entity ID, its ACS URL (HTTP-POST), the NameID format and, when the provider needs them, the pool's
signing certificate and the provider's encryption certificate.

pysaml2 is not in this branch's lock, so each document is checked here against the structure of the
OASIS metadata schema (saml-schema-metadata-2.0.xsd) for the elements it uses: order, required
attributes, value types. The e2e configures the pysaml2 IdP from the verb's own file as well.
"""

from __future__ import annotations

import base64
import json
import xml.etree.ElementTree as ET
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from botocore.stub import Stubber
from cryptography import x509

from cdk_app.config import EnvironmentConfig
from cdk_app.config.loading import load_environment
from cdk_app.contracts import client_id_output
from operator_tools.lib.errors import ToolError, UsageError
from operator_tools.lib.saml_sp_metadata import DS, MD, ServiceProvider, sp_metadata
from operator_tools.lib.stack_outputs import StackOutputs, outputs_from_mapping
from operator_tools.verbs import sp_metadata as verb
from tests.fixtures import FIXTURE_CONFIG_DIR
from tests.idp_metadata import certificate

POOL = "eu-west-1_AbCdEf123"
DOMAIN = "auth.example.com"
ENTITY_ID = f"urn:amazon:cognito:sp:{POOL}"
ACS = f"https://{DOMAIN}/saml2/idpresponse"
PERSISTENT = "urn:oasis:names:tc:SAML:2.0:nameid-format:persistent"
HTTP_POST = "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST"
# The SPSSODescriptor's sequence, in schema order (SSODescriptorType, then SPSSODescriptorType).
SP_SEQUENCE = ("KeyDescriptor", "SingleLogoutService", "NameIDFormat", "AssertionConsumerService")


def md(name: str) -> str:
    return f"{{{MD}}}{name}"


def assert_schema_valid(document: str) -> ET.Element:
    """The document parsed, after checking it as saml-schema-metadata-2.0.xsd would."""
    assert document.startswith('<?xml version="1.0" encoding="UTF-8"?>\n')
    root = ET.fromstring(document.encode("utf-8"))  # noqa: S314 (the tool's own output, under test)
    assert root.tag == md("EntityDescriptor")
    assert 0 < len(root.get("entityID", "")) <= 1024  # entityIDType: anyURI, at most 1024 characters
    (sp,) = list(root)
    assert sp.tag == md("SPSSODescriptor")
    assert "urn:oasis:names:tc:SAML:2.0:protocol" in sp.get("protocolSupportEnumeration", "").split()
    for flag in ("AuthnRequestsSigned", "WantAssertionsSigned"):
        assert sp.get(flag) in (None, "true", "false")
    ranks = [SP_SEQUENCE.index(child.tag.removeprefix(f"{{{MD}}}")) for child in sp]
    assert ranks == sorted(ranks), [c.tag for c in sp]
    assert ranks.count(SP_SEQUENCE.index("AssertionConsumerService")) >= 1
    for key in sp.findall(md("KeyDescriptor")):
        assert key.get("use") in ("signing", "encryption")
        text = key.findtext(f"{{{DS}}}KeyInfo/{{{DS}}}X509Data/{{{DS}}}X509Certificate")
        assert text is not None
        x509.load_der_x509_certificate(base64.b64decode(text, validate=True))
    for endpoint in [*sp.findall(md("SingleLogoutService")), *sp.findall(md("AssertionConsumerService"))]:
        assert endpoint.get("Binding")
        assert endpoint.get("Location", "").startswith("https://")
    for acs in sp.findall(md("AssertionConsumerService")):
        assert 0 <= int(acs.get("index", "-1")) <= 65535  # unsignedShort, required
        assert acs.get("isDefault") in (None, "true", "false")
    return root


def descriptor(document: str) -> ET.Element:
    sp = assert_schema_valid(document).find(md("SPSSODescriptor"))
    assert sp is not None
    return sp


def test_the_document_names_the_pool_its_acs_and_a_persistent_name_id() -> None:
    document = sp_metadata(ServiceProvider(ENTITY_ID, ACS))

    root = assert_schema_valid(document)
    assert root.get("entityID") == ENTITY_ID
    sp = descriptor(document)
    assert (sp.get("AuthnRequestsSigned"), sp.get("WantAssertionsSigned")) == ("false", "true")
    (acs,) = sp.findall(md("AssertionConsumerService"))
    assert (acs.get("Binding"), acs.get("Location"), acs.get("index")) == (HTTP_POST, ACS, "0")
    assert [e.text for e in sp.findall(md("NameIDFormat"))] == [PERSISTENT]
    # Nothing signed, nothing encrypted, no IdP sign-out: no key and no logout endpoint to publish.
    assert sp.findall(md("KeyDescriptor")) == sp.findall(md("SingleLogoutService")) == []


def fixture_prod() -> EnvironmentConfig:
    return load_environment("prod", FIXTURE_CONFIG_DIR)


def outputs_for(config: EnvironmentConfig, **saml: str) -> dict[str, dict[str, str]]:
    """The two stacks' outputs as `cdk deploy --outputs-file` writes them (SAML ones as given)."""
    base = f"https://{DOMAIN}"
    issuer = f"https://cognito-idp.eu-west-1.amazonaws.com/{POOL}"
    identity = {
        "UserPoolId": POOL,
        "IssuerUrl": issuer,
        "JwksUrl": f"{issuer}/.well-known/jwks.json",
        "DomainBaseUrl": base,
        "AuthorizeEndpoint": f"{base}/oauth2/authorize",
        "TokenEndpoint": f"{base}/oauth2/token",
        **{client_id_output(c.construct_id): f"{c.name}clientid0123456789" for c in config.clients},
        **saml,
    }
    api = "https://abc123.execute-api.eu-west-1.amazonaws.com/prod/"
    routes = {"ApiBaseUrl": api, "MeRouteUrl": f"{api}me", "AdminRouteUrl": f"{api}admin"}
    return {f"{config.name}-Identity": identity, f"{config.name}-Api": routes}


def stack_outputs(config: EnvironmentConfig, **saml: str) -> StackOutputs:
    return outputs_from_mapping(config, outputs_for(config, **saml))


SAML_OUTPUTS = {"SamlSpEntityId": ENTITY_ID, "SamlAcsUrl": ACS}


def test_a_provider_that_signs_and_encrypts_gets_both_certificates_and_the_logout_endpoint(
    cognito: tuple[Any, Stubber],
) -> None:
    client, stubber = cognito
    config = fixture_prod()
    saml = verb.choose_provider(config, "AcmeCorp")  # sign_requests, encrypted_assertions, idp_signout
    expires = datetime.now(UTC) + timedelta(days=3650)
    signing, encryption = certificate("pool signing", expires), certificate("AcmeCorp encryption", expires)
    pem = "-----BEGIN CERTIFICATE-----\n" + "\n".join(signing[i : i + 64] for i in range(0, len(signing), 64))
    stubber.add_response(
        "get_signing_certificate",
        {"Certificate": pem + "\n-----END CERTIFICATE-----\n"},
        {"UserPoolId": POOL},
    )
    stubber.add_response(
        "describe_identity_provider",
        {
            "IdentityProvider": {
                "ProviderName": "AcmeCorp",
                "ProviderType": "SAML",
                "ProviderDetails": {"ActiveEncryptionCertificate": encryption},
            }
        },
        {"UserPoolId": POOL, "ProviderName": "AcmeCorp"},
    )

    sp = verb.service_provider(config, saml, stack_outputs(config, **SAML_OUTPUTS), client, "persistent")
    document = sp_metadata(sp)

    stubber.assert_no_pending_responses()
    root = descriptor(document)
    assert root.get("AuthnRequestsSigned") == "true"
    keys = {
        k.get("use"): k.findtext(f".//{{{DS}}}X509Certificate") for k in root.findall(md("KeyDescriptor"))
    }
    assert keys == {"signing": signing, "encryption": encryption}
    (logout,) = root.findall(md("SingleLogoutService"))
    assert (logout.get("Binding"), logout.get("Location")) == (HTTP_POST, f"https://{DOMAIN}/saml2/logout")


def test_the_name_id_format_can_be_unspecified() -> None:
    document = sp_metadata(
        ServiceProvider(
            ENTITY_ID, ACS, name_id_format="urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified"
        )
    )
    assert [e.text for e in descriptor(document).findall(md("NameIDFormat"))] == [
        "urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified"
    ]


def test_a_stack_deployed_without_the_saml_outputs_is_one_line() -> None:
    config = fixture_prod()
    saml = verb.choose_provider(config, "AcmeCorp")
    with pytest.raises(ToolError) as raised:
        verb.service_provider(config, saml, stack_outputs(config), None, "persistent")
    assert str(raised.value) == (
        "stack prod-Identity has no output 'SamlSpEntityId'; deploy prod with its SAML providers first "
        "(make deploy ENV=prod)"
    )


def test_choosing_the_provider() -> None:
    prod = fixture_prod()
    assert verb.choose_provider(prod, "").name == "AcmeCorp"  # the only one
    with pytest.raises(
        UsageError, match=r"^prod has no SAML provider named 'Okta'; SAML providers: AcmeCorp$"
    ):
        verb.choose_provider(prod, "Okta")
    second = prod.identity_providers.saml[0].model_copy(update={"name": "Beta"})
    both = prod.model_copy(
        update={
            "identity_providers": prod.identity_providers.model_copy(
                update={"saml": (*prod.identity_providers.saml, second)}
            )
        }
    )
    with pytest.raises(UsageError, match=r"choose one with PROVIDER= \(AcmeCorp, Beta\)$"):
        verb.choose_provider(both, "")
    dev = load_environment("dev", FIXTURE_CONFIG_DIR)
    with pytest.raises(ToolError, match=r"^environment 'dev' has no SAML provider"):
        verb.choose_provider(dev, "")


def test_the_verb_writes_the_file_from_the_outputs_alone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # A provider that neither signs nor encrypts: the document needs nothing from Cognito, so the verb
    # reads the outputs file and makes no AWS call (a call would fail on the closed proxy port).
    prod = fixture_prod()
    plain = prod.identity_providers.saml[0].model_copy(
        update={"sign_requests": False, "encrypted_assertions": False, "idp_signout": False}
    )
    config = prod.model_copy(
        update={"identity_providers": prod.identity_providers.model_copy(update={"saml": (plain,)})}
    )
    monkeypatch.setattr(verb, "choose_environment", lambda name, command: config)
    outputs = tmp_path / "outputs.json"
    outputs.write_text(json.dumps(outputs_for(config, **SAML_OUTPUTS)))
    target = tmp_path / "acme-sp.xml"

    status = verb.main(
        [
            "--env",
            "prod",
            "--outputs-file",
            str(outputs),
            "--file",
            str(target),
            "--name-id-format",
            "emailAddress",
        ]
    )

    assert status == 0
    assert capsys.readouterr().out == (
        f"wrote {target}: SAML SP metadata for AcmeCorp in prod\n  entity ID {ENTITY_ID}, ACS {ACS}\n"
    )
    sp = descriptor(target.read_text(encoding="utf-8"))
    assert sp.findtext(md("NameIDFormat")) == "urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress"
    assert sp.find(md("AssertionConsumerService")).get("Location") == ACS  # type: ignore[union-attr]


def test_an_environment_without_saml_providers_is_refused_in_one_line(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(
        verb, "choose_environment", lambda name, command: load_environment("dev", FIXTURE_CONFIG_DIR)
    )
    assert verb.main(["--env", "dev"]) == 1
    assert capsys.readouterr().err == (
        "sp-metadata: environment 'dev' has no SAML provider (identity_providers.saml), so there is no SAML "
        "service-provider metadata to write\n"
    )

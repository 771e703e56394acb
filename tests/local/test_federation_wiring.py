"""What `make up` does around the deploy for config/local.yaml's identity providers, without the
emulator: which providers the local IdPs serve, the OIDC secret put where the template reads it, and the
SP metadata the SAML IdP reads."""

from __future__ import annotations

import json
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from cdk_app.config import EnvironmentConfig
from cdk_app.config.loading import load_environment
from operator_tools.lib.errors import ToolError
from operator_tools.local import federation
from operator_tools.local.idps import lifecycle as idps

PROJECT_CONFIG_DIR = Path(__file__).resolve().parents[2] / "config"


def _hosted_domain(config: EnvironmentConfig) -> str:
    """The Cognito prefix domain the config names (adopted copies rename the prefix: not pinned)."""
    assert config.domain is not None
    assert config.domain.prefix is not None
    return f"{config.domain.prefix}.auth.{config.region}.amazoncognito.com"


class _NotFoundError(Exception):
    pass


class FakeSecrets:
    def __init__(self, existing: bool) -> None:
        self.exceptions = SimpleNamespace(ResourceNotFoundException=_NotFoundError)
        self.existing = existing
        self.calls: list[tuple[str, dict[str, Any]]] = []

    def put_secret_value(self, **kwargs: Any) -> None:
        if not self.existing:
            raise _NotFoundError
        self.calls.append(("put", kwargs))

    def create_secret(self, **kwargs: Any) -> None:
        self.calls.append(("create", kwargs))


def test_local_config_names_one_local_saml_and_one_local_oidc_provider() -> None:
    config = load_environment("local", PROJECT_CONFIG_DIR)
    found = federation.local_providers(config)

    assert found.saml is not None
    assert found.saml.name == "LocalSaml"
    assert found.oidc is not None
    assert found.oidc.name == "LocalOidc"
    assert federation.hosted_domain(config) == _hosted_domain(config)


def test_an_environment_without_local_providers_starts_nothing() -> None:
    dev = load_environment("dev", PROJECT_CONFIG_DIR)  # Google only
    assert not federation.local_providers(dev).any
    assert federation.start_idps(dev, "http://127.0.0.1:4566") == []
    assert federation.put_client_secret(dev, FakeSecrets(existing=False)) is None


@pytest.mark.parametrize("existing", [False, True])
def test_the_oidc_secret_goes_where_the_config_s_reference_names_it(
    existing: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = load_environment("local", PROJECT_CONFIG_DIR)
    monkeypatch.setattr(idps, "oidc_client_secret", lambda: "s3cret")
    secrets = FakeSecrets(existing)

    reference = config.identity_providers.oidc[0].client_secret
    assert reference is not None
    assert federation.put_client_secret(config, secrets) == reference.secret_name
    (call, args), *_ = secrets.calls
    assert call == ("put" if existing else "create")
    assert json.loads(args["SecretString"]) == {"client_secret": "s3cret"}


def test_the_sp_metadata_names_the_pool_and_its_acs(tmp_path: Path) -> None:
    config = load_environment("local", PROJECT_CONFIG_DIR)
    path = tmp_path / "sp.xml"
    outputs: Any = SimpleNamespace(user_pool_id="eu-west-1_Abc")

    assert federation.write_sp_metadata(config, outputs, path)
    text = path.read_text(encoding="utf-8")
    assert 'entityID="urn:amazon:cognito:sp:eu-west-1_Abc"' in text
    assert f"https://{_hosted_domain(config)}/saml2/idpresponse" in text


def test_two_local_providers_of_a_kind_are_refused_in_one_line() -> None:
    config = load_environment("local", PROJECT_CONFIG_DIR)
    providers = config.identity_providers.model_copy(
        update={"oidc": (*config.identity_providers.oidc, config.identity_providers.oidc[0])}
    )
    with pytest.raises(ToolError, match=r"^config/local.yaml: identity_providers.oidc: LocalOidc, LocalOidc"):
        federation.local_providers(config.model_copy(update={"identity_providers": providers}))

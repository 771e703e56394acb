"""Fixtures for the operational tools: stand-in provider and API, fake AWS, a scripted browser.

Every test here runs with fake AWS credentials and no config files, so no test can reach a real
account; AWS calls are answered by ``botocore.stub.Stubber`` on real boto3 clients.
"""

from __future__ import annotations

import json
import socket
import threading
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest
from botocore.stub import Stubber

from cdk_app.config import EnvironmentConfig
from cdk_app.config.loading import load_environment
from operator_tools.lib.environment import choose_environment
from operator_tools.lib.stack_outputs import StackOutputs, outputs_from_mapping
from operator_tools.verbs import login, smoke
from tests.aws_env import isolate_aws
from tests.fixtures import FIXTURE_CONFIG_DIR
from tests.standins.api_gateway import ApiGatewayStandIn
from tests.standins.keys import SigningKey, new_signing_key
from tests.standins.oidc_provider import BrowserClient, ConfidentialClient, OidcProvider

REGION = "eu-west-1"
SPA_CLIENT_ID = "spa1234567890abcdefghijkl"
MACHINE_CLIENT_ID = "m2m1234567890abcdefghijkl"
MACHINE_SECRET = "s3cr3t-m2m-value-never-printed-0123456789abcdef"
HTTP_TIMEOUT = 3.0


@pytest.fixture(autouse=True)
def fake_aws(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    isolate_aws(monkeypatch, tmp_path, credentials=True)
    monkeypatch.setenv("AWS_DEFAULT_REGION", REGION)
    # Should a call ever miss its stub, it fails at once on a closed local port instead of reaching AWS.
    # (A proxy, not AWS_ENDPOINT_URL: the tools refuse to send a real environment to an endpoint override.)
    monkeypatch.setenv("HTTPS_PROXY", "http://127.0.0.1:9")
    monkeypatch.setenv("https_proxy", "http://127.0.0.1:9")
    monkeypatch.setenv("AWS_MAX_ATTEMPTS", "1")
    # The stand-ins are on 127.0.0.1; a proxy from the environment must not intercept them.
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    monkeypatch.setenv("no_proxy", "127.0.0.1,localhost")


@pytest.fixture(autouse=True)
def fixture_environments(monkeypatch: pytest.MonkeyPatch) -> None:
    """``make smoke`` and ``make login`` choose among the fixture environments, not config/'s, so a
    user's renamed or edited environment changes no test here."""
    for tool in (login, smoke):
        monkeypatch.setattr(
            tool, "choose_environment", lambda name, verb: choose_environment(name, verb, FIXTURE_CONFIG_DIR)
        )


@pytest.fixture(scope="session")
def pool_key() -> SigningKey:
    return new_signing_key("standin-key-1")


@pytest.fixture(scope="session")
def foreign_key() -> SigningKey:
    """Another key claiming the pool key's ``kid``: what a forger would sign with."""
    return new_signing_key("standin-key-1")


@pytest.fixture(scope="session")
def dev_config() -> EnvironmentConfig:
    return load_environment("dev", FIXTURE_CONFIG_DIR)


@pytest.fixture
def provider(pool_key: SigningKey, dev_config: EnvironmentConfig) -> Iterator[OidcProvider]:
    spa, machine = dev_config.client("spa"), dev_config.client("m2m")
    assert spa is not None
    assert machine is not None
    standin = OidcProvider(
        pool_key,
        browser_clients={SPA_CLIENT_ID: BrowserClient(frozenset(), frozenset(spa.scopes))},
        confidential_clients={
            MACHINE_CLIENT_ID: ConfidentialClient(MACHINE_SECRET, frozenset(machine.scopes))
        },
    )
    with standin.running():
        yield standin


@pytest.fixture
def api(provider: OidcProvider, pool_key: SigningKey) -> Iterator[ApiGatewayStandIn]:
    with ApiGatewayStandIn(pool_key, provider.issuer).running() as standin:
        yield standin


def standin_output_values(
    config: EnvironmentConfig, provider: OidcProvider, api: ApiGatewayStandIn
) -> dict[str, dict[str, str]]:
    """What the two stacks would output (as ``cdk deploy --outputs-file`` writes them) if Cognito and
    API Gateway lived at the stand-ins' addresses."""
    identity = {
        "UserPoolId": provider.pool_id,
        "UserPoolArn": f"arn:aws:cognito-idp:{REGION}:111111111111:userpool/{provider.pool_id}",
        "IssuerUrl": provider.issuer,
        "JwksUrl": f"{provider.issuer}/.well-known/jwks.json",
        "DomainBaseUrl": provider.base_url,
        "AuthorizeEndpoint": provider.authorize_endpoint,
        "TokenEndpoint": provider.token_endpoint,
        "LogoutEndpoint": f"{provider.base_url}/logout",
        "SpaClientId": SPA_CLIENT_ID,
        "MachineClientId": MACHINE_CLIENT_ID,
    }
    routes = {
        "ApiBaseUrl": api.base_url,
        "MeRouteUrl": f"{api.base_url}me",
        "ItemsRouteUrl": f"{api.base_url}items",
        "AdminRouteUrl": f"{api.base_url}admin",
    }
    return {f"{config.name}-Identity": identity, f"{config.name}-Api": routes}


@pytest.fixture
def output_values(
    dev_config: EnvironmentConfig, provider: OidcProvider, api: ApiGatewayStandIn
) -> dict[str, dict[str, str]]:
    return standin_output_values(dev_config, provider, api)


@pytest.fixture
def outputs_file(output_values: dict[str, dict[str, str]], tmp_path: Path) -> Path:
    path = tmp_path / "cdk-outputs.json"
    path.write_text(json.dumps(output_values))
    return path


@pytest.fixture
def outputs(dev_config: EnvironmentConfig, output_values: dict[str, dict[str, str]]) -> StackOutputs:
    return outputs_from_mapping(dev_config, output_values)


@pytest.fixture(scope="session")
def boto_session() -> boto3.session.Session:
    """One session for the run, so service models load once; not boto3's default session, whose cached
    credentials would leak between tests."""
    return boto3.session.Session(region_name=REGION)


def stubbed_client(session: boto3.session.Session, service: str) -> Any:
    """A real boto3 client with explicit fake credentials; callers answer its calls with a Stubber."""
    return session.client(
        service, region_name=REGION, aws_access_key_id="AKIDSTANDIN", aws_secret_access_key="fake"
    )


@pytest.fixture
def cognito(boto_session: boto3.session.Session) -> Iterator[tuple[Any, Stubber]]:
    """A real ``cognito-idp`` client whose calls are answered by a Stubber (no network, no account)."""
    client = stubbed_client(boto_session, "cognito-idp")
    with Stubber(client) as stubber:
        yield client, stubber


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class ScriptedBrowser:
    """Plays the user's browser: fetches the sign-in URL in the background and follows the redirect
    to the login tool's loopback listener, as a real browser would after the user signed in."""

    def __init__(self) -> None:
        self.urls: list[str] = []
        self.final_status: list[int] = []
        self._threads: list[threading.Thread] = []

    def __call__(self, url: str) -> None:
        self.urls.append(url)
        thread = threading.Thread(target=self._visit, args=(url,), daemon=True)
        thread.start()
        self._threads.append(thread)

    def _visit(self, url: str) -> None:
        try:
            with urllib.request.urlopen(url, timeout=HTTP_TIMEOUT) as response:
                self.final_status.append(response.status)
        except urllib.error.HTTPError as err:
            self.final_status.append(err.code)
        except OSError:
            self.final_status.append(0)

    def join(self) -> None:
        for thread in self._threads:
            thread.join(timeout=HTTP_TIMEOUT + 1)


@pytest.fixture
def browser() -> Iterator[ScriptedBrowser]:
    scripted = ScriptedBrowser()
    yield scripted
    scripted.join()

"""The smoke test, run for real against the stand-in Cognito and API: it passes only a working deployment."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from botocore.stub import Stubber

from cdk_app.config import EnvironmentConfig, available_environments
from operator_tools.lib.smoke_checks import smoke
from operator_tools.lib.stack_outputs import StackOutputs
from operator_tools.verbs.smoke import main
from tests.fixtures import FIXTURE_CONFIG_DIR
from tests.operator_tools.conftest import HTTP_TIMEOUT, MACHINE_CLIENT_ID, MACHINE_SECRET
from tests.standins.api_gateway import ApiGatewayStandIn
from tests.standins.oidc_provider import OidcProvider

CHECKS = (
    "discovery issuer", "JWKS keys", "m2m client secret", "GET /me without token", "token (read write)",
    "access token claims", "GET /me with read", "GET /me without read",
)  # fmt: skip

# Every fixture environment, as the tools list them (see conftest.fixture_environments).
LISTED = ", ".join(available_environments(FIXTURE_CONFIG_DIR))


def _secret_answer(secret: str = MACHINE_SECRET) -> dict[str, Any]:
    return {
        "UserPoolClient": {"ClientId": MACHINE_CLIENT_ID, "ClientName": "machine", "ClientSecret": secret}
    }


def _run(
    config: EnvironmentConfig,
    outputs: StackOutputs,
    cognito: tuple[Any, Stubber],
    secret: str = MACHINE_SECRET,
) -> tuple[int, dict[str, str]]:
    """Run the smoke test; return its exit code and ``{check name: "PASS ..." / "FAIL ..."}``."""
    client, stubber = cognito
    stubber.add_response(
        "describe_user_pool_client",
        _secret_answer(secret),
        {"UserPoolId": outputs.user_pool_id, "ClientId": MACHINE_CLIENT_ID},
    )
    out = io.StringIO()
    code = smoke(config, outputs, client, timeout=HTTP_TIMEOUT, out=out)
    stubber.assert_no_pending_responses()
    print(out.getvalue())  # visible with -s, and in capsys for the no-secret tests
    rows = {}
    for line in out.getvalue().splitlines()[1:-1]:
        status, rest = line.strip().split("  ", 1)
        name = next(n for n in CHECKS if rest.startswith(n))
        rows[name] = f"{status} {rest[len(name) :].strip()}"
    return code, rows


def test_working_deployment_passes_every_check(
    dev_config: EnvironmentConfig, outputs: StackOutputs, cognito: tuple[Any, Stubber]
) -> None:
    code, rows = _run(dev_config, outputs, cognito)

    assert code == 0
    assert list(rows) == list(CHECKS)
    assert all(row.startswith("PASS") for row in rows.values()), rows
    assert rows["GET /me without token"] == "PASS HTTP 401"


@pytest.mark.parametrize("status", [401, 403])
def test_missing_scope_may_be_denied_with_401_or_403(
    status: int,
    dev_config: EnvironmentConfig,
    outputs: StackOutputs,
    api: ApiGatewayStandIn,
    cognito: tuple[Any, Stubber],
) -> None:
    api.denied_scope_status = status

    code, rows = _run(dev_config, outputs, cognito)

    assert code == 0
    assert rows["GET /me without read"] == f"PASS HTTP {status}"


def test_api_answering_200_without_a_token_fails(
    dev_config: EnvironmentConfig, outputs: StackOutputs, api: ApiGatewayStandIn, cognito: tuple[Any, Stubber]
) -> None:
    api.enforce_auth = False

    code, rows = _run(dev_config, outputs, cognito)

    assert code == 1
    assert rows["GET /me without token"] == "FAIL expected HTTP 401/403, got 200"
    assert rows["GET /me with read"].startswith("FAIL HTTP 200 but client_id is None")


def test_api_ignoring_scopes_fails(
    dev_config: EnvironmentConfig, outputs: StackOutputs, api: ApiGatewayStandIn, cognito: tuple[Any, Stubber]
) -> None:
    api.enforce_scopes = False

    code, rows = _run(dev_config, outputs, cognito)

    assert code == 1
    assert rows["GET /me without read"] == "FAIL expected HTTP 401/403, got 200"


def test_discovery_naming_another_issuer_fails(
    dev_config: EnvironmentConfig, outputs: StackOutputs, provider: OidcProvider, cognito: tuple[Any, Stubber]
) -> None:
    provider.discovery_issuer = "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Other"

    code, rows = _run(dev_config, outputs, cognito)

    assert code == 1
    assert rows["discovery issuer"].startswith("FAIL discovery says issuer 'https://cognito-idp")
    assert "eu-west-1_Other" in rows["discovery issuer"]


def test_rejected_client_secret_fails_with_the_oauth_error(
    dev_config: EnvironmentConfig,
    outputs: StackOutputs,
    cognito: tuple[Any, Stubber],
    capsys: pytest.CaptureFixture[str],
) -> None:
    rotated = "an-old-secret-that-the-token-endpoint-rejects"

    code, rows = _run(dev_config, outputs, cognito, secret=rotated)

    assert code == 1
    expected = f"FAIL token endpoint refused client {MACHINE_CLIENT_ID}: HTTP 400 invalid_client"
    assert rows["token (read write)"] == expected
    assert rows["access token claims"] == "FAIL not run: no token"
    assert rotated not in capsys.readouterr().out


def test_secret_and_tokens_never_reach_the_output(
    dev_config: EnvironmentConfig,
    outputs: StackOutputs,
    provider: OidcProvider,
    api: ApiGatewayStandIn,
    cognito: tuple[Any, Stubber],
    capsys: pytest.CaptureFixture[str],
) -> None:
    api.leaky_error = True  # the API's error body echoes the bearer token back

    code, rows = _run(dev_config, outputs, cognito)

    printed = capsys.readouterr()
    assert code == 1
    assert rows["GET /me with read"].startswith("FAIL expected HTTP 200, got 500")
    assert "Bearer <redacted>" in rows["GET /me with read"]
    assert provider.issued_tokens
    # Not even a part: the payload (second segment) would reveal the claims.
    for secret in (MACHINE_SECRET, *(token.split(".")[1][:24] for token in provider.issued_tokens)):
        assert secret not in printed.out
        assert secret not in printed.err


def test_cli_runs_from_an_outputs_file_and_reports_failures_without_traceback(
    outputs_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # No stub here: the real client's DescribeUserPoolClient hits the closed local endpoint and fails.
    code = main(["--env", "dev", "--outputs-file", str(outputs_file), "--timeout", str(HTTP_TIMEOUT)])

    printed = capsys.readouterr()
    assert code == 1
    assert "PASS  discovery issuer" in printed.out
    assert "FAIL  m2m client secret" in printed.out
    assert "Traceback" not in printed.out + printed.err


def test_cli_with_an_unknown_environment_says_so_in_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["--env", "nosuch"])

    err = capsys.readouterr().err
    assert code == 2
    assert err == f"smoke: no environment named 'nosuch'; environments: {LISTED}\n"

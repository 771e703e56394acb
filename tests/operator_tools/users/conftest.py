"""Fixtures for export and restore: an in-memory pool, the calls to it, and a deployed environment
whose outputs name that pool."""

from __future__ import annotations

import boto3
import pytest

from cdk_app.config import EnvironmentConfig
from operator_tools.lib.deployment import Deployment
from operator_tools.lib.stack_outputs import outputs_from_mapping
from operator_tools.users.cognito_calls import CognitoCalls
from tests.operator_tools.users.fake_cognito import FakeCognito


@pytest.fixture
def fake() -> FakeCognito:
    return FakeCognito()


def calls_to(fake: FakeCognito) -> CognitoCalls:
    """Unpaced: the fake has no quota, and the pacing has its own tests."""
    return CognitoCalls(fake, paced=False)


def deployed(
    config: EnvironmentConfig,
    pool_id: str,
    session: boto3.session.Session | None = None,
    endpoint_url: str | None = None,
) -> Deployment:
    """``config`` deployed with ``pool_id`` as its pool (the other outputs are never called), reached
    through ``session`` at ``endpoint_url`` (an emulator's), if given."""
    identity = {
        "UserPoolId": pool_id,
        "IssuerUrl": f"https://cognito-idp.eu-west-1.amazonaws.com/{pool_id}",
        "JwksUrl": f"https://cognito-idp.eu-west-1.amazonaws.com/{pool_id}/.well-known/jwks.json",
        "AuthorizeEndpoint": "https://sso.example.com/oauth2/authorize",
        "TokenEndpoint": "https://sso.example.com/oauth2/token",
        **{f"{c.construct_id}Id": f"{c.name}client" for c in config.clients},
    }
    api = {
        "ApiBaseUrl": "https://api.example.com/",
        "MeRouteUrl": "https://api.example.com/me",
        "AdminRouteUrl": "https://api.example.com/admin",
    }
    outputs = outputs_from_mapping(config, {f"{config.name}-Identity": identity, f"{config.name}-Api": api})
    session = session or boto3.session.Session(region_name="eu-west-1")
    return Deployment(config, outputs, session, endpoint_url)

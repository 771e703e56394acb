"""The contracts in cdk_app/contracts.py hold on both sides: what the stacks create is what the
operator tools read, and what config accepts is what the tools can serve."""

from __future__ import annotations

import pytest

from cdk_app.config.clients import check_redirect_url
from cdk_app.contracts import (
    API_STACK,
    CERTIFICATE_STACK,
    IDENTITY_STACK,
    LOOPBACK_HOSTS,
    LOOPBACK_HOSTS_WITH_IPV6,
    ApiOutputs,
    IdentityOutputs,
    stack_name,
)
from operator_tools.lib import http_json
from operator_tools.lib.errors import ToolError
from operator_tools.lib.loopback import loopback_parts
from operator_tools.lib.stack_outputs import outputs_from_mapping
from tests.synthesis import Synthesized

CERTIFICATE_ARN = "arn:aws:acm:us-east-1:123456789012:certificate/12345678-1234-1234-1234-123456789012"


def test_deployed_stack_names_are_the_names_the_tools_read(synth: Synthesized, env: str) -> None:
    for stack in synth.stacks_of(env):
        assert stack in {IDENTITY_STACK, API_STACK, CERTIFICATE_STACK}
        assert synth.stack_names[(env, stack)] == stack_name(env, stack)


def test_every_output_the_tools_read_is_one_the_stacks_create(synth: Synthesized, env: str) -> None:
    by_stack = {
        stack_name(env, stack): {key: f"value of {key}" for key in synth.templates[(env, stack)]["Outputs"]}
        for stack in (IDENTITY_STACK, API_STACK)
    }

    outputs = outputs_from_mapping(synth.configs[env], by_stack)  # raises on any key it cannot find

    assert outputs.token_endpoint == "value of TokenEndpoint"
    assert set(outputs.client_ids.values()) == {
        f"value of {c.construct_id}Id" for c in synth.configs[env].clients
    }
    # Not read by a tool today, but promised to tests and samples: still created, still readable.
    assert outputs.domain_base_url == f"value of {IdentityOutputs.DOMAIN_BASE_URL}"
    assert outputs.logout_endpoint == f"value of {IdentityOutputs.LOGOUT_ENDPOINT}"
    assert outputs.items_route_url == f"value of {ApiOutputs.ITEMS_ROUTE_URL}"


@pytest.mark.parametrize("host", sorted(LOOPBACK_HOSTS))
def test_every_http_callback_config_accepts_is_one_login_can_listen_on(host: str) -> None:
    url = f"http://{host}:8765/callback"
    assert check_redirect_url(url) == url
    assert loopback_parts(url) == (host, 8765, "/callback")
    assert http_json.require_safe_url(url, "test") == url


def test_ipv6_loopback_is_only_for_the_tools_own_http_calls() -> None:
    url = "http://[::1]:8765/callback"
    assert {"::1"} == LOOPBACK_HOSTS_WITH_IPV6 - LOOPBACK_HOSTS
    assert http_json.is_loopback(url)
    with pytest.raises(ValueError, match=r"http is only allowed for localhost or 127\.0\.0\.1"):
        check_redirect_url(url)
    with pytest.raises(ToolError, match="is not a loopback callback URL"):
        loopback_parts(url)
    with pytest.raises(ToolError, match="must be an https URL"):
        http_json.require_safe_url("http://app.example.com/token", "token endpoint")


def test_one_rule_decides_the_certificate_stack(synth: Synthesized) -> None:
    prod = synth.configs["prod"]
    custom = prod.domain.custom
    assert custom is not None
    assert prod.domain.needs_certificate_stack
    assert CERTIFICATE_STACK in synth.stacks_of("prod")
    given = custom.model_copy(update={"certificate_arn": CERTIFICATE_ARN})
    assert not prod.domain.model_copy(update={"custom": given}).needs_certificate_stack
    dev = synth.configs["dev"]
    assert dev.domain.custom is None
    assert not dev.domain.needs_certificate_stack
    assert CERTIFICATE_STACK not in synth.stacks_of("dev")

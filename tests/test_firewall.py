"""Two web ACLs where config enables WAF: the API stage's, and the user pool's sized for sign-in."""

from __future__ import annotations

import json
from typing import Any

import pytest
from aws_cdk.assertions import Template

from tests.synthesis import Synthesized
from tests.test_api_stack import only, refs
from tests.waf_model import Request, evaluate

MANAGED_GROUPS = {
    "AWSManagedRulesCommonRuleSet",
    "AWSManagedRulesKnownBadInputsRuleSet",
    "AWSManagedRulesAmazonIpReputationList",
}
# A signed and encrypted SAML response with a few group claims is easily over WAF's 8 KB body rule.
LARGE_BODY = 20 * 1024


def web_acl(synth: Synthesized, env: str, stack: str) -> tuple[str, dict[str, Any]]:
    logical_id, acl = only(synth.template(env, stack), "AWS::WAFv2::WebACL")
    return logical_id, acl["Properties"]


def rules(props: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {r["Name"]: r for r in props["Rules"]}


@pytest.mark.parametrize("env", ["staging", "prod"])
@pytest.mark.parametrize("stack", ["Api", "Identity"])
def test_each_web_acl_has_the_managed_groups_and_a_per_ip_rate_limit(
    synth: Synthesized, env: str, stack: str
) -> None:
    waf = synth.configs[env].waf
    _, props = web_acl(synth, env, stack)
    assert props["Scope"] == "REGIONAL"
    assert props["DefaultAction"] == {"Allow": {}}
    found = rules(props)
    managed = {
        r["Statement"]["ManagedRuleGroupStatement"]["Name"]
        for r in found.values()
        if "ManagedRuleGroupStatement" in r["Statement"] and r["OverrideAction"] == {"None": {}}
    }
    assert managed == MANAGED_GROUPS
    rate = found["RateLimitPerIp"]
    assert rate["Action"] == {"Block": {}}
    assert rate["Statement"]["RateBasedStatement"]["Limit"] == waf.rate_limit
    assert rate["Statement"]["RateBasedStatement"]["AggregateKeyType"] == "IP"
    assert "ScopeDownStatement" not in rate["Statement"]["RateBasedStatement"]
    for rule in [*found.values(), props]:
        assert rule["VisibilityConfig"]["CloudWatchMetricsEnabled"] is True
    assert len({r["Priority"] for r in props["Rules"]}) == len(props["Rules"])


@pytest.mark.parametrize("env", ["staging", "prod"])
def test_the_api_acl_guards_the_stage_and_the_sign_in_acl_guards_the_pool(
    synth: Synthesized, env: str
) -> None:
    api = synth.template(env, "Api")
    api_acl_id, api_acl = web_acl(synth, env, "Api")
    (stage_id, _) = only(api, "AWS::ApiGateway::Stage")
    (_, association) = only(api, "AWS::WAFv2::WebACLAssociation")
    assert association["Properties"]["WebACLArn"] == {"Fn::GetAtt": [api_acl_id, "Arn"]}
    # The stage's ARN references the stage itself, so CloudFormation creates the stage first.
    target = json.dumps(association["Properties"]["ResourceArn"])
    assert f'{{"Ref": "{stage_id}"}}' in target
    assert "/restapis/" in target
    assert api_acl["Name"] == f"cognito-sso-{env}-api"

    identity = synth.template(env, "Identity")
    sign_in_acl_id, sign_in_acl = web_acl(synth, env, "Identity")
    (_, association) = only(identity, "AWS::WAFv2::WebACLAssociation")
    assert association["Properties"] == {
        "ResourceArn": {"Fn::GetAtt": ["UserPool", "Arn"]},
        "WebACLArn": {"Fn::GetAtt": [sign_in_acl_id, "Arn"]},
    }
    assert sign_in_acl["Name"] == f"cognito-sso-{env}-sign-in"


@pytest.mark.parametrize("env", ["staging", "prod"])
def test_a_large_saml_response_passes_the_sign_in_acl_and_other_large_bodies_do_not(
    synth: Synthesized, env: str
) -> None:
    _, sign_in = web_acl(synth, env, "Identity")
    _, api = web_acl(synth, env, "Api")
    saml = Request("/saml2/idpresponse", body_bytes=LARGE_BODY)
    assert evaluate(sign_in, saml).action == "ALLOW"
    # The 8 KB rule still labels it (visible in WAF's logs); only the block is lifted, only there.
    assert "awswaf:managed:aws:core-rule-set:SizeRestrictions_Body" in evaluate(sign_in, saml).labels
    for path in ("/login", "/oauth2/token", "/SAML2/idpresponse-not", "/"):
        verdict = evaluate(sign_in, Request(path, body_bytes=LARGE_BODY))
        assert (verdict.action, verdict.terminating_rule) == ("BLOCK", "LargeBodyOutsideSamlResponse"), path
    assert evaluate(sign_in, Request("/login", body_bytes=2000)).action == "ALLOW"
    # The API has no SAML: the common rule set's body rule applies as AWS ships it.
    verdict = evaluate(api, Request("/v1/items", body_bytes=LARGE_BODY))
    assert (verdict.action, verdict.terminating_rule) == ("BLOCK", "AWSManagedRulesCommonRuleSet")


@pytest.mark.parametrize("env", ["staging", "prod"])
def test_sign_in_endpoints_have_their_own_per_ip_rate_limit(synth: Synthesized, env: str) -> None:
    waf = synth.configs[env].waf
    _, sign_in = web_acl(synth, env, "Identity")
    rate = rules(sign_in)["SignInRateLimitPerIp"]
    assert rate["Action"] == {"Block": {}}
    assert rate["Statement"]["RateBasedStatement"]["Limit"] == waf.sign_in_rate_limit < waf.rate_limit
    sign_in_requests = [
        Request("/oauth2/token"),
        Request("/login"),
        Request("/LOGIN"),
        Request("/saml2/idpresponse"),
        Request("/forgotPassword"),
        Request("/", headers={"X-Amz-Target": "AWSCognitoIdentityProviderService.InitiateAuth"}),
        Request("/", headers={"x-amz-target": "AWSCognitoIdentityProviderService.RespondToAuthChallenge"}),
        Request("/", headers={"X-Amz-Target": "AWSCognitoIdentityProviderService.SignUp"}),
    ]
    for request in sign_in_requests:
        assert "SignInRateLimitPerIp" in evaluate(sign_in, request).rate_counted_by, request
        assert "RateLimitPerIp" in evaluate(sign_in, request).rate_counted_by, request
    others = [
        Request("/oauth2/authorize"),
        Request("/", headers={"X-Amz-Target": "AWSCognitoIdentityProviderService.GetUser"}),
    ]
    for request in others:
        assert evaluate(sign_in, request).rate_counted_by == ["RateLimitPerIp"], request


@pytest.mark.parametrize("env", ["staging", "prod"])
@pytest.mark.parametrize("stack", ["Api", "Identity"])
def test_each_firewall_logs_to_an_aws_waf_logs_group_without_tokens(
    synth: Synthesized, env: str, stack: str
) -> None:
    template = synth.template(env, stack)
    acl_id, acl = web_acl(synth, env, stack)
    (_, logging) = only(template, "AWS::WAFv2::LoggingConfiguration")
    props = logging["Properties"]
    assert props["ResourceArn"] == {"Fn::GetAtt": [acl_id, "Arn"]}
    (destination,) = props["LogDestinationConfigs"]
    groups = template.find_resources("AWS::Logs::LogGroup")
    (log_group_id,) = refs(destination, groups)
    *_, before, last = destination["Fn::Join"][1]
    # WAF wants the ARN without the trailing ":*" of the log group's Arn attribute.
    assert before.endswith(":log-group:")
    assert last == {"Ref": log_group_id}
    group = groups[log_group_id]["Properties"]
    assert group["LogGroupName"] == f"aws-waf-logs-{acl['Name']}"
    assert group["RetentionInDays"] == synth.configs[env].waf.log_retention_days
    assert {"SingleHeader": {"Name": "authorization"}} in props["RedactedFields"]
    assert {"SingleHeader": {"Name": "cookie"}} in props["RedactedFields"]


def test_dev_has_no_firewall(synth: Synthesized) -> None:
    assert synth.configs["dev"].waf.enabled is False
    for stack in ("Api", "Identity"):
        template: Template = synth.template("dev", stack)
        for resource_type in ("WebACL", "WebACLAssociation", "LoggingConfiguration"):
            template.resource_count_is(f"AWS::WAFv2::{resource_type}", 0)

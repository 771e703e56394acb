"""The web ACL in front of the API stage and the user pool, where config enables WAF."""

from __future__ import annotations

import json

import pytest
from aws_cdk.assertions import Template

from tests.synthesis import Synthesized
from tests.test_api_stack import only, refs

MANAGED_GROUPS = {
    "AWSManagedRulesCommonRuleSet",
    "AWSManagedRulesKnownBadInputsRuleSet",
    "AWSManagedRulesAmazonIpReputationList",
}


@pytest.fixture
def api(synth: Synthesized, env: str) -> Template:
    return synth.template(env, "Api")


@pytest.mark.parametrize("env", ["staging", "prod"])
def test_firewall_guards_the_stage_and_the_user_pool(api: Template, synth: Synthesized, env: str) -> None:
    waf = synth.configs[env].waf
    assert waf.enabled
    (acl_id, acl) = only(api, "AWS::WAFv2::WebACL")
    props = acl["Properties"]
    assert props["Scope"] == "REGIONAL"
    assert props["DefaultAction"] == {"Allow": {}}
    rules = {r["Name"]: r for r in props["Rules"]}
    managed = {
        r["Statement"]["ManagedRuleGroupStatement"]["Name"]
        for r in rules.values()
        if "ManagedRuleGroupStatement" in r["Statement"] and r["OverrideAction"] == {"None": {}}
    }
    assert managed == MANAGED_GROUPS
    (rate,) = [r for r in rules.values() if "RateBasedStatement" in r["Statement"]]
    assert rate["Action"] == {"Block": {}}
    assert rate["Statement"]["RateBasedStatement"]["Limit"] == waf.rate_limit
    assert rate["Statement"]["RateBasedStatement"]["AggregateKeyType"] == "IP"
    for rule in [*rules.values(), props]:
        assert rule["VisibilityConfig"]["CloudWatchMetricsEnabled"] is True

    (stage_id, _) = only(api, "AWS::ApiGateway::Stage")
    associations = [a["Properties"] for a in api.find_resources("AWS::WAFv2::WebACLAssociation").values()]
    assert len(associations) == 2
    assert all(a["WebACLArn"] == {"Fn::GetAtt": [acl_id, "Arn"]} for a in associations)
    targets = sorted(json.dumps(a["ResourceArn"]) for a in associations)
    # The stage's ARN references the stage itself, so CloudFormation creates the stage first.
    assert sum(f'{{"Ref": "{stage_id}"}}' in t and "/restapis/" in t for t in targets) == 1
    assert sum(f"{env}-Identity" in t and "UserPool" in t for t in targets) == 1


@pytest.mark.parametrize("env", ["staging", "prod"])
def test_firewall_logs_to_an_aws_waf_logs_group_without_tokens(
    api: Template, synth: Synthesized, env: str
) -> None:
    (_, logging) = only(api, "AWS::WAFv2::LoggingConfiguration")
    props = logging["Properties"]
    (destination,) = props["LogDestinationConfigs"]
    groups = api.find_resources("AWS::Logs::LogGroup")
    (log_group_id,) = refs(destination, groups)
    *_, before, last = destination["Fn::Join"][1]
    # WAF wants the ARN without the trailing ":*" of the log group's Arn attribute.
    assert before.endswith(":log-group:")
    assert last == {"Ref": log_group_id}
    group = groups[log_group_id]["Properties"]
    assert group["LogGroupName"].startswith("aws-waf-logs-")
    assert group["RetentionInDays"] == synth.configs[env].waf.log_retention_days
    assert {"SingleHeader": {"Name": "authorization"}} in props["RedactedFields"]


def test_dev_has_no_firewall(synth: Synthesized) -> None:
    assert synth.configs["dev"].waf.enabled is False
    dev = synth.template("dev", "Api")
    for resource_type in ("WebACL", "WebACLAssociation", "LoggingConfiguration"):
        dev.resource_count_is(f"AWS::WAFv2::{resource_type}", 0)

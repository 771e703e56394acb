"""The pre token generation trigger in the synthesized identity stacks: wired with the LambdaVersion its
config implies (dev V2_0, staging V3_0, prod none), invocable by its own pool only, configured from the
environment's config, with a role that can do nothing but log and trace."""

from __future__ import annotations

import json
from typing import Any

import pytest
from aws_cdk.assertions import Template

from cdk_app.constructs import pre_token_trigger, python_function
from tests.synthesis import Synthesized


def trigger_function(template: Template) -> tuple[str, dict[str, Any]]:
    found = {
        k: v
        for k, v in template.find_resources("AWS::Lambda::Function").items()
        if v["Properties"].get("Handler") == python_function.HANDLER
    }
    assert len(found) == 1, sorted(found)
    return next(iter(found.items()))


def test_each_environment_wires_the_version_its_config_implies(synth: Synthesized) -> None:
    versions = {}
    for env in ("dev", "staging", "prod"):
        props = synth.template(env, "Identity").find_resources("AWS::Cognito::UserPool")["UserPool"][
            "Properties"
        ]
        config = props.get("LambdaConfig", {}).get("PreTokenGenerationConfig")
        versions[env] = config["LambdaVersion"] if config else None

    # dev maps groups to scopes only (V2_0); staging also adds a client-credentials claim (V3_0).
    assert versions == {"dev": "V2_0", "staging": "V3_0", "prod": None}


@pytest.mark.parametrize("env", ["dev", "staging"])
def test_the_pool_invokes_its_own_trigger_and_only_it_may(synth: Synthesized, env: str) -> None:
    template = synth.template(env, "Identity")
    function_id, _ = trigger_function(template)
    props = template.find_resources("AWS::Cognito::UserPool")["UserPool"]["Properties"]
    assert props["LambdaConfig"]["PreTokenGenerationConfig"]["LambdaArn"] == {
        "Fn::GetAtt": [function_id, "Arn"]
    }
    (permission,) = template.find_resources("AWS::Lambda::Permission").values()
    assert permission["Properties"] == {
        "Action": "lambda:InvokeFunction",
        "FunctionName": {"Fn::GetAtt": [function_id, "Arn"]},
        "Principal": "cognito-idp.amazonaws.com",
        "SourceArn": {"Fn::GetAtt": ["UserPool", "Arn"]},
    }


@pytest.mark.parametrize("env", ["dev", "staging"])
def test_the_trigger_is_configured_from_the_environments_config(synth: Synthesized, env: str) -> None:
    config = synth.configs[env]
    assert config.token_customization is not None
    _, function = trigger_function(synth.template(env, "Identity"))
    props = function["Properties"]

    variables = props["Environment"]["Variables"]
    assert json.loads(variables["GROUP_SCOPES"]) == {
        g: list(s) for g, s in config.token_customization.group_scopes.items()
    }
    assert (
        json.loads(variables["CLIENT_CREDENTIALS_CLAIMS"])
        == config.token_customization.client_credentials_claims
    )
    assert variables["POWERTOOLS_SERVICE_NAME"] == f"cognito-sso-{env}-pre-token"
    assert props["Runtime"] == python_function.RUNTIME.name
    assert props["Architectures"] == ["arm64"]
    assert props["Layers"] == [python_function.powertools_layer_arn(config.functions.powertools_layer)]
    # Cognito waits 5 seconds for a trigger, then fails the sign-in.
    assert props["Timeout"] == pre_token_trigger.TIMEOUT_SECONDS == 5
    assert props["TracingConfig"] == {"Mode": "Active"}


@pytest.mark.parametrize("env", ["dev", "staging"])
def test_the_triggers_role_may_only_write_its_own_log_group_and_send_traces(
    synth: Synthesized, env: str
) -> None:
    template = synth.template(env, "Identity")
    _, function = trigger_function(template)
    role_id = function["Properties"]["Role"]["Fn::GetAtt"][0]
    role = template.find_resources("AWS::IAM::Role")[role_id]["Properties"]
    log_group_id = function["Properties"]["LoggingConfig"]["LogGroup"]["Ref"]

    assert "ManagedPolicyArns" not in role
    statements = {p["PolicyName"]: p["PolicyDocument"]["Statement"] for p in role["Policies"]}
    assert statements == {
        "WriteOwnLogs": [
            {
                "Action": ["logs:CreateLogStream", "logs:PutLogEvents"],
                "Effect": "Allow",
                "Resource": {"Fn::GetAtt": [log_group_id, "Arn"]},
            }
        ],
        "SendTraces": [
            {
                "Action": ["xray:PutTelemetryRecords", "xray:PutTraceSegments"],
                "Effect": "Allow",
                "Resource": "*",
            }
        ],
    }
    # Nothing may attach a second policy to it.
    assert not [
        p
        for p in template.find_resources("AWS::IAM::Policy").values()
        if {"Ref": role_id} in p["Properties"]["Roles"]
    ]
    log_group = template.find_resources("AWS::Logs::LogGroup")[log_group_id]["Properties"]
    tc = synth.configs[env].token_customization
    assert tc is not None
    assert log_group["RetentionInDays"] == tc.log_retention_days


def test_the_trigger_ships_only_its_own_code() -> None:
    shipped = sorted(p.name for p in pre_token_trigger.CODE_DIR.iterdir() if p.suffix == ".py")
    assert shipped == ["handler.py", "pre_token_variables.py", "token_rules.py"]

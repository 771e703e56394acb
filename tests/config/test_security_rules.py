"""Config rules that keep attributes unforgeable, recovery possible and alarms addressed.

The forging scenario starts from the fixture prod config, where the SAML and Entra ID providers map
their group claim to ``custom:idp_groups`` and the spa and web clients sign users in through them.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from cdk_app.config import ConfigError, EnvironmentConfig
from cdk_app.config.loading import load_environment
from cdk_app.config.yaml_io import read_yaml_file
from tests.config.conftest import WriteConfig
from tests.fixtures import FIXTURE_CONFIG_DIR

Raw = dict[str, Any]
REASON = "The kiosk app signs users in with its own screens through the Amplify SDK."


@pytest.fixture(scope="module")
def prod_raw() -> Raw:
    raw: Raw = read_yaml_file(FIXTURE_CONFIG_DIR / "prod.yaml").data
    return raw


@pytest.fixture
def write_prod(tmp_path: Path, prod_raw: Raw) -> Callable[[Callable[[Raw], object]], Path]:
    def write(edit: Callable[[Raw], object]) -> Path:
        raw = copy.deepcopy(prod_raw)
        edit(raw)
        path = tmp_path / "bad.yaml"
        path.write_text(yaml.safe_dump(raw, sort_keys=False))
        return path

    return write


def spa(raw: Raw) -> Raw:
    result: Raw = raw["clients"][0]
    assert result["name"] == "spa"
    return result


def refused(tmp_path: Path) -> ConfigError:
    with pytest.raises(ConfigError) as info:
        load_environment("bad", tmp_path)
    return info.value


FORGING = [
    (
        "direct sign-in on a federating client",
        lambda r: spa(r).update(auth_flows=["user_srp"], auth_flows_reason=REASON),
        "clients[0].auth_flows",
        ["custom:idp_groups", "AcmeCorp", "EntraId", "aws.cognito.signin.user.admin", "UpdateUserAttributes"],
    ),
    (
        "admin scope on a federating client",
        lambda r: spa(r)["scopes"].append("aws.cognito.signin.user.admin"),
        "clients[0].scopes",
        ["custom:idp_groups", "UpdateUserAttributes"],
    ),
    (
        "self sign-up with a federating client",
        lambda r: r["user_pool"].update(self_sign_up=True),
        "clients[0].write_attributes",
        ["custom:idp_groups", "SignUp"],
    ),
]


@pytest.mark.parametrize(("case", "edit", "field", "words"), FORGING, ids=[c[0] for c in FORGING])
def test_config_refuses_every_way_a_user_could_set_an_asserted_attribute(
    tmp_path: Path, write_prod: Callable[..., Path], case: str, edit: Any, field: str, words: list[str]
) -> None:
    write_prod(edit)
    error = refused(tmp_path)
    assert error.field == field, f"{case}: {error}"
    for word in words:
        assert word in error.reason, f"{case}: {error}"


def test_direct_sign_in_is_accepted_on_a_client_that_federates_nothing(
    tmp_path: Path, write_prod: Callable[..., Path]
) -> None:
    native = {
        "name": "kiosk",
        "kind": "spa",
        "callback_urls": ["https://kiosk.example.com/callback"],
        "scopes": ["openid", "api/read"],
        "auth_flows": ["user_srp"],
        "auth_flows_reason": REASON,
    }
    write_prod(lambda r: r["clients"].append(native))
    config = load_environment("bad", tmp_path)
    kiosk = config.clients[-1]
    assert "custom:idp_groups" not in config.client_attributes(kiosk).write
    assert "custom:idp_groups" in config.client_attributes(kiosk).read


CASES: list[tuple[str, Callable[[Raw], object], str, str]] = [
    ("federation needs the mapped attribute writable", lambda r: spa(r).update(write_attributes=["email", "name"]), "clients[0].write_attributes", "signs users in through 'AcmeCorp', which maps ['custom:idp_groups']"),
    ("a client may not write a verified flag", lambda r: spa(r).update(read_attributes=["email", "email_verified", "name", "custom:idp_groups"], write_attributes=["email", "email_verified", "name", "custom:idp_groups"]), "clients[0].write_attributes", "mark any address as verified"),
    ("write but not read", lambda r: spa(r).update(read_attributes=["email"]), "clients[0].write_attributes", "must also be in read_attributes"),
    ("unknown attribute", lambda r: spa(r).update(read_attributes=["email", "custom:team"]), "clients[0].read_attributes", "['custom:team']"),
    ("direct sign-in without a reason", lambda r: spa(r).update(auth_flows=["user_srp"]), "clients[0].auth_flows", "auth_flows_reason"),
    ("a reason without direct sign-in", lambda r: spa(r).update(auth_flows_reason=REASON), "clients[0].auth_flows_reason", "only together with auth_flows"),
    ("m2m with attributes", lambda r: r["clients"][2].update(write_attributes=["email"]), "clients[2]", "no read/write_attributes"),
    ("mapped attribute immutable", lambda r: r["user_pool"]["custom_attributes"]["idp_groups"].update(mutable=False), "identity_providers.attribute_mapping", "immutable"),
    ("email mfa with email-only recovery", lambda r: r["user_pool"]["mfa"].update(factors=["totp", "email"]), "user_pool.account_recovery", "without a password reset"),
    ("email mfa with phone recovery but no phone", lambda r: (r["user_pool"]["mfa"].update(factors=["totp", "email"]), r["user_pool"].update(account_recovery="email_and_phone_without_mfa")), "user_pool.account_recovery", "phone_number collected"),
    ("production without an alert destination", lambda r: r.pop("monitoring"), "monitoring.alerts", "production must name where alarms go"),
    ("production logs without the project's key", lambda r: r["logs"].update(kms="off"), "logs.kms", "production needs 'managed' or an existing key's ARN"),
    ("production without the scheduled user export", lambda r: r["backup"].update(enabled=False), "backup.enabled", "cannot be turned off in production"),
    ("production without the certificate check", lambda r: r["idp_cert_check"].update(enabled=False), "idp_cert_check.enabled", "cannot be turned off in production"),
    ("alert address repeated", lambda r: r["monitoring"]["alerts"].update(emails=["a@example.com", "A@example.com"]), "monitoring.alerts.emails", "must not repeat"),
    ("alert topic not an SNS ARN", lambda r: r["monitoring"]["alerts"].update(topic_arns=["arn:aws:sqs:eu-west-1:123456789012:q"]), "monitoring.alerts.topic_arns[0]", "must match the pattern"),
    ("risk response without threat protection", lambda r: (r.update(tier="staging"), r["user_pool"].update(feature_plan="essentials", threat_protection={"risk_response": {"high": "mfa_required"}})), "user_pool.threat_protection.risk_response", "threat protection on"),
    ("ip range both blocked and allowed", lambda r: r["user_pool"]["threat_protection"].update(risk_response={"blocked_ip_ranges": ["203.0.113.0/24"], "always_allow_ip_ranges": ["203.0.113.0/24"]}), "user_pool.threat_protection.risk_response", "both blocked and always allowed"),
]  # fmt: skip


@pytest.mark.parametrize(("case", "edit", "field", "reason"), CASES, ids=[c[0] for c in CASES])
def test_constraint(
    tmp_path: Path, write_prod: Callable[..., Path], case: str, edit: Any, field: str, reason: str
) -> None:
    write_prod(edit)
    error = refused(tmp_path)
    assert error.field == field, f"{case}: {error}"
    assert reason in error.reason, f"{case}: {error}"
    # One line per finding (a file with several faults lists each).
    assert all(line.startswith("config error in ") for line in str(error).strip().splitlines()), case


def test_email_mfa_is_accepted_with_a_phone_recovery_channel(
    tmp_path: Path, write_prod: Callable[..., Path]
) -> None:
    def edit(raw: Raw) -> None:
        pool = raw["user_pool"]
        pool["mfa"]["factors"] = ["totp", "email"]
        pool["account_recovery"] = "email_and_phone_without_mfa"
        pool["standard_attributes"]["phone_number"] = {"required": False, "mutable": True}

    write_prod(edit)
    assert "email" in load_environment("bad", tmp_path).user_pool.mfa.factors


def test_a_client_that_names_no_validity_gets_15_minute_access_tokens(
    write_config: WriteConfig, load: Callable[..., EnvironmentConfig]
) -> None:
    write_config(lambda r: r["clients"][0].pop("access_token_validity_minutes", None))
    assert load().clients[0].access_token_validity_minutes == 15


def test_default_write_attributes_are_what_federation_and_sign_up_need(
    write_config: WriteConfig, load: Callable[..., EnvironmentConfig]
) -> None:
    # dev: self sign-up (email is required) and Google, which maps email and name.
    write_config()
    config = load()
    spa_client = config.clients[0]
    assert config.client_attributes(spa_client).write == ("email", "name")
    assert config.client_attributes(spa_client).read == (
        "custom:idp_groups",
        "email",
        "email_verified",
        "name",
    )

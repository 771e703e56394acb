"""The emulator and everything that talks to it can never use the caller's AWS set-up."""

from __future__ import annotations

from pathlib import Path

import pytest

from operator_tools.local import emulator
from operator_tools.local.emulator import Emulator, client_env, emulator_process_env

CALLER = {
    "PATH": "/usr/bin",
    "HOME": "/home/someone",
    "AWS_PROFILE": "production-admin",
    "AWS_ACCESS_KEY_ID": "AKIAREALKEY",
    "AWS_SECRET_ACCESS_KEY": "real-secret",
    "AWS_SESSION_TOKEN": "real-session",
    "AWS_ENDPOINT_URL_S3": "https://s3.example.com",
    "AWS_ROLE_ARN": "arn:aws:iam::123456789012:role/deploy",
    "AWS_WEB_IDENTITY_TOKEN_FILE": "/var/run/token",
    "AWS_CONTAINER_CREDENTIALS_FULL_URI": "http://169.254.170.23/creds",
    "CDK_DEFAULT_ACCOUNT": "123456789012",
}
RUNNING = Emulator(pid=1, port=4567, region="eu-west-1", log_file="/dev/null")


def test_clients_reach_only_the_emulator_with_its_dummy_keys() -> None:
    env = client_env(RUNNING, CALLER)
    assert env["AWS_ENDPOINT_URL"] == "http://127.0.0.1:4567"
    assert (env["AWS_ACCESS_KEY_ID"], env["AWS_SECRET_ACCESS_KEY"]) == ("test", "test")
    leaked = {k for k in CALLER if k.startswith(("AWS_", "CDK_"))} - {
        "AWS_ACCESS_KEY_ID",
        "AWS_SECRET_ACCESS_KEY",
    }
    assert not leaked & set(env)
    # No file outside the project can add a profile, a role or another endpoint.
    assert env["AWS_CONFIG_FILE"] == env["AWS_SHARED_CREDENTIALS_FILE"] == "/dev/null"
    assert env["PATH"] == "/usr/bin"  # everything unrelated to AWS is kept


def test_the_emulator_listens_on_loopback_only_and_never_sees_the_callers_credentials(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for key, value in CALLER.items():
        monkeypatch.setenv(key, value)
    env = emulator_process_env(4567, "eu-west-1", tmp_path)
    assert env["BIND_HOST"] == "127.0.0.1"
    assert env["GATEWAY_PORT"] == "4567"
    # These listeners bind every interface whatever BIND_HOST says, so they are off.
    assert env["IOT_MTLS_ENABLED"] == env["SFTP_ENABLED"] == "0"
    assert (env["AWS_ACCESS_KEY_ID"], env["AWS_SECRET_ACCESS_KEY"]) == ("test", "test")
    assert not {k for k in env if k.startswith(("AWS_", "CDK_"))} - {
        "AWS_ACCESS_KEY_ID",
        "AWS_SECRET_ACCESS_KEY",
        "AWS_DEFAULT_REGION",
    }
    assert env["HOME"] == "/home/someone"
    assert Path(env["STATE_DIR"]).is_relative_to(tmp_path)


def test_a_failing_token_trigger_fails_the_token_request_in_the_emulator(tmp_path: Path) -> None:
    # By default the emulator ignores a broken pre token generation trigger and issues the token anyway;
    # AWS fails the request. The loop must see what AWS would do.
    env = emulator_process_env(4567, "eu-west-1", tmp_path)

    assert env["MINISTACK_COGNITO_PRETOKEN_STRICT"] == "1"


def test_the_emulator_trusts_the_local_idps_ca_when_it_exists_and_nothing_else_of_the_callers(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SSL_CERT_FILE", "/etc/ssl/callers-bundle.pem")
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", "/etc/ssl/callers-bundle.pem")
    ca = tmp_path / "idps" / "ca.pem"
    assert "SSL_CERT_FILE" not in emulator_process_env(4567, "eu-west-1", tmp_path, ca_bundle=ca)
    ca.parent.mkdir()
    ca.write_text("-----BEGIN CERTIFICATE-----\n", encoding="utf-8")
    env = emulator_process_env(4567, "eu-west-1", tmp_path, ca_bundle=ca)
    assert env["SSL_CERT_FILE"] == str(ca)
    assert "REQUESTS_CA_BUNDLE" not in env  # the scrubbed environment otherwise
    assert emulator.IDP_CA_FILE.as_posix() == "idps/ca.pem"  # the path the local IdPs write

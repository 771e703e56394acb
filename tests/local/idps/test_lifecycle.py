"""Starting, reusing and stopping the local IdPs as `make up`/`make down` do, and what they must never
show: the test users' passwords."""

from __future__ import annotations

import json
import os
import socket
import stat
import subprocess
import sys
import urllib.parse
from pathlib import Path

import pytest

from operator_tools.local.idps import lifecycle, processes
from operator_tools.local.idps.errors import IdpError
from operator_tools.local.idps.layout import IdpFiles
from operator_tools.local.idps.private_files import write_private_json
from tests.local.idps.conftest import OIDC_REDIRECT_URI, LocalIdps, specs
from tests.local.idps.http_client import Browser, first_form
from tests.local.idps.oidc_rp import authorize_url, follow
from tests.local.idps.saml_sp import cognito_request, open_login, password, submit

ROOT = Path(__file__).resolve().parents[3]

pytestmark = pytest.mark.idps


def test_a_second_start_reuses_both_and_a_changed_spec_restarts_only_that_one(idps: LocalIdps) -> None:
    again = lifecycle.start(idps.saml_spec, idps.oidc_spec, state_dir=idps.state_dir)
    assert [(i.kind, i.pid, i.started_now) for i in again] == [
        ("saml", idps.saml.pid, False),
        ("oidc", idps.oidc.pid, False),
    ]
    gateway = "http://127.0.0.1:4566"
    with_gateway = lifecycle.OidcIdpSpec(
        idps.oidc.url, idps.oidc_spec.client_id, (OIDC_REDIRECT_URI,), gateway
    )
    try:
        saml, oidc = lifecycle.start(idps.saml_spec, with_gateway, state_dir=idps.state_dir)
        assert (saml.pid, saml.started_now) == (idps.saml.pid, False)
        assert oidc.started_now
        assert oidc.pid != idps.oidc.pid
        # With a gateway, the browser's last hop goes there: the emulator serves Cognito's host names.
        assert _final_redirect(idps).startswith(f"{gateway}/oauth2/idpresponse?code=")
    finally:
        lifecycle.start(idps.saml_spec, idps.oidc_spec, state_dir=idps.state_dir)
    assert _final_redirect(idps).startswith(f"{OIDC_REDIRECT_URI}?code=")


def _final_redirect(idps: LocalIdps) -> str:
    browser = Browser(idps.ca_file)
    url, page = follow(browser, authorize_url(idps, "relay-gw"))
    login = first_form(page, url)
    reply = browser.post(login.action, {"username": idps.oidc.username, "password": password(idps, "oidc")})
    url, page = follow(browser, urllib.parse.urljoin(login.action, reply.location))
    consent = first_form(page, url)
    reply = browser.post(consent.action, consent.fields)
    url = urllib.parse.urljoin(consent.action, reply.location)
    for _ in range(4):
        reply = browser.get(url)
        if reply.status not in (302, 303):
            break
        url = urllib.parse.urljoin(url, reply.location)
        if not url.startswith(idps.oidc.url):
            return url
    raise AssertionError(f"no redirect away from the IdP: {url}")


def test_stop_signals_only_a_process_its_own_record_names(idps: LocalIdps, tmp_path: Path) -> None:
    before = [(i.kind, i.pid) for i in lifecycle.status(idps.state_dir)]
    other = tmp_path / "idps"
    assert lifecycle.stop(other) == []
    # A record whose PID is not an IdP of this state directory (a recycled PID, say) is never signalled.
    stranger = subprocess.Popen(["sleep", "30"], start_new_session=True)
    try:
        files = IdpFiles(other)
        files.saml.directory.mkdir(parents=True)
        record = {
            "kind": "saml", "pid": stranger.pid, "url": "https://127.0.0.1:1/x", "port": 1,
            "log_file": "x", "settings_file": str(files.saml.settings), "settings_digest": "x",
        }  # fmt: skip
        files.saml.record.write_text(json.dumps(record))
        assert lifecycle.stop(other) == []
        assert stranger.poll() is None
        assert not files.saml.record.exists()
    finally:
        stranger.kill()
        stranger.wait()
    assert [(i.kind, i.pid) for i in lifecycle.status(idps.state_dir)] == before
    assert [kind for kind, _ in before] == ["saml", "oidc"]


def test_a_taken_port_is_one_line_naming_the_port_and_the_log(tmp_path: Path) -> None:
    state_dir = tmp_path / "idps"
    saml_spec, _ = specs(state_dir)
    port = urllib.parse.urlsplit(saml_spec.url).port
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", port or 0))
        taken.listen()
        with pytest.raises(IdpError) as refused:
            lifecycle.start(saml_spec, state_dir=state_dir)
    message = str(refused.value)
    assert "\n" not in message
    assert f"cannot listen on 127.0.0.1:{port}" in message
    assert str(IdpFiles(state_dir).saml.log) in message
    assert lifecycle.status(state_dir) == []


def test_a_port_left_in_time_wait_by_a_stopped_idp_is_free_for_the_next_start(tmp_path: Path) -> None:
    # `make down` then `make up` (or the e2e's second deployment): the stopped IdP's closed
    # connections sit in TIME_WAIT on its port, which a bind without SO_REUSEADDR calls taken.
    state_dir = tmp_path / "idps"
    saml_spec, _ = specs(state_dir)
    port = urllib.parse.urlsplit(saml_spec.url).port or 0
    with socket.socket() as server:
        server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        server.bind(("127.0.0.1", port))
        server.listen()
        with socket.create_connection(("127.0.0.1", port)):
            accepted, _ = server.accept()
            accepted.close()  # the server's side closes first: its end of the connection is in TIME_WAIT
    with socket.socket() as strict, pytest.raises(OSError, match="in use"):
        strict.bind(("127.0.0.1", port))  # the control: without SO_REUSEADDR the port looks taken
    try:
        (started,) = lifecycle.start(saml_spec, state_dir=state_dir)
        assert (started.kind, started.started_now) == ("saml", True)
    finally:
        lifecycle.stop(state_dir)


def test_an_idp_that_exits_at_start_is_one_line_with_its_reason_port_and_log(tmp_path: Path) -> None:
    state_dir = tmp_path / "idps"
    _, oidc_spec = specs(state_dir)
    # A signing key oidc-provider cannot use.
    write_private_json(
        IdpFiles(state_dir).oidc_keys, {"jwks": {"keys": [{"kty": "RSA"}]}, "cookie_keys": ["k"]}
    )
    try:
        with pytest.raises(IdpError) as refused:
            lifecycle.start(None, oidc_spec, state_dir=state_dir)
    finally:
        lifecycle.stop(state_dir)
    message = str(refused.value)
    port = urllib.parse.urlsplit(oidc_spec.issuer).port
    assert "\n" not in message
    assert f"the OIDC IdP on 127.0.0.1:{port} exited with status 1 (" in message
    assert "cannot start: " in message
    assert message.endswith(f"log: {IdpFiles(state_dir).oidc.log}")
    assert not IdpFiles(state_dir).oidc.record.exists()


@pytest.mark.parametrize(
    ("url", "shape"),
    [
        ("http://127.0.0.1:4571/saml", "https://127.0.0.1:<port>/<path>"),
        ("https://127.0.0.1/saml", "https://127.0.0.1:<port>/<path>"),
        ("https://10.0.0.5:4571/saml", "https://127.0.0.1:<port>/<path>"),
        ("https://127.0.0.1:4571", "https://127.0.0.1:<port>/<path>"),
    ],
)
def test_a_saml_url_that_is_not_loopback_https_with_port_and_path_is_refused(
    url: str, shape: str, tmp_path: Path
) -> None:
    with pytest.raises(IdpError, match=f"is not of the form {shape}"):
        lifecycle.start(lifecycle.SamlIdpSpec(url, tmp_path / "sp.xml"), state_dir=tmp_path / "idps")


def _cli(state_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "operator_tools.local.idps", "--state-dir", str(state_dir), *args],
        cwd=ROOT, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip


def test_the_passwords_are_never_printed_or_logged_and_every_secret_file_is_0600(tmp_path: Path) -> None:
    state_dir = tmp_path / "idps"
    saml_spec, oidc_spec = specs(state_dir)
    start_args = [
        "start", "--saml-url", saml_spec.url, "--sp-metadata", str(saml_spec.sp_metadata),
        "--oidc-issuer", oidc_spec.issuer, "--oidc-redirect-uri", OIDC_REDIRECT_URI,
    ]  # fmt: skip
    runs = [_cli(state_dir, *start_args)]
    try:
        assert runs[0].returncode == 0, runs[0].stderr
        assert "its password  in" in runs[0].stdout
        idps = _as_fixture(state_dir, saml_spec, oidc_spec)
        secrets = [password(idps, "saml"), password(idps, "oidc"), lifecycle.oidc_client_secret(state_dir)]
        sign_in = open_login(idps, cognito_request(idps))
        assert submit(sign_in, idps.saml.username, secrets[0] + "x")[0] == 401
        assert submit(sign_in, idps.saml.username, secrets[0])[0] == 200
        browser = Browser(idps.ca_file)
        url, page = follow(browser, authorize_url(idps, "relay-p"))
        login = first_form(page, url)
        assert (
            browser.post(login.action, {"username": idps.oidc.username, "password": secrets[1]}).status == 303
        )
        runs += [
            _cli(state_dir, "status"),
            _cli(state_dir, "groups", "saml", "sales"),
            _cli(state_dir, *start_args),
        ]
    finally:
        runs.append(_cli(state_dir, "stop"))
    assert runs[-1].stdout.strip() == "stopped: saml, oidc"
    files = IdpFiles(state_dir)
    logs = [files.saml.log.read_text(), files.oidc.log.read_text()]
    for secret in secrets:
        for text in [*logs, *(r.stdout + r.stderr for r in runs)]:
            assert secret not in text
    private = [
        files.ca_key, files.tls_key, files.saml_signing_key, files.saml.user, files.saml.settings,
        files.oidc.user, files.oidc.settings, files.oidc_client, files.oidc_keys,
    ]  # fmt: skip
    assert {p.name: stat.S_IMODE(os.stat(p).st_mode) for p in private} == {p.name: 0o600 for p in private}


def _as_fixture(
    state_dir: Path, saml_spec: lifecycle.SamlIdpSpec, oidc_spec: lifecycle.OidcIdpSpec
) -> LocalIdps:
    saml, oidc = lifecycle.status(state_dir)
    return LocalIdps(state_dir, IdpFiles(state_dir), saml, oidc, saml_spec, oidc_spec)


def test_processes_free_port_is_bindable() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", processes.free_port()))

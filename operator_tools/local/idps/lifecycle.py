"""Start, reuse, report and stop the local identity providers: what ``make up``/``make down`` call.

    idps = start(SamlIdpSpec(url, sp_metadata), OidcIdpSpec(issuer, client_id, redirect_uris))
    for idp in idps: print(*idp.summary(), sep="\\n")
    stop()

Guarantees:

- each IdP listens on the loopback host and port of its URL, over HTTPS with a certificate from the
  local CA (``ca.pem``, which ``ensure_ca`` makes before the emulator needs it);
- a second ``start`` with the same specs reuses what is running (recorded process, checked by its PID
  and health URL); a changed spec, or changed server code, restarts that IdP; the SP metadata file
  is reread by the running SAML IdP, so a new pool needs no restart;
- both processes start at once and are waited for together; one that cannot start is an ``IdpError``
  naming the port and the log file, and leaves nothing running;
- ``stop`` stops only the processes recorded under the state directory; passwords and secrets stay in
  their 0600 files and are never part of a return value's ``repr`` or ``summary``.
"""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Literal
from urllib.parse import urlsplit

from operator_tools.local.idps import certificates, oidc_files, processes, users
from operator_tools.local.idps.errors import IdpError
from operator_tools.local.idps.layout import PROJECT_ROOT, STATE_DIR, IdpFiles, ServerFiles, shown
from operator_tools.local.idps.private_files import write_private_json

Kind = Literal["saml", "oidc"]
NODE = PROJECT_ROOT / ".venv" / "bin" / "node"
OIDC_APP = Path(__file__).resolve().parent / "oidc"
_LABELS: dict[Kind, str] = {"saml": "the SAML IdP", "oidc": "the OIDC IdP"}
# Each IdP's test user: (username, email, name).
TEST_USERS: dict[Kind, tuple[str, str, str]] = {
    "saml": ("saml-test-user", "saml-test-user@saml.localhost", "SAML Test User"),
    "oidc": ("oidc-test-user", "oidc-test-user@oidc.localhost", "OIDC Test User"),
}
_SAML_CODE = ("saml_server.py", "saml_app.py", "saml_idp.py", "xmlsec_signing.py", "users.py")


@dataclass(frozen=True)
class SamlIdpSpec:
    """The SAML IdP: ``url`` is its entity ID, metadata URL and HTTP-Redirect SSO URL at once
    (``https://127.0.0.1:<port>/<path>``); ``sp_metadata`` the SP metadata file, which may not exist
    yet; ``gateway`` where a browser posts responses meant for a Cognito domain (the emulator)."""

    url: str
    sp_metadata: Path
    gateway: str | None = None


@dataclass(frozen=True)
class OidcIdpSpec:
    """The OIDC provider: its issuer (``https://127.0.0.1:<port>``), its one client and the client's
    redirect URIs (``https://<cognito domain>/oauth2/idpresponse``); ``gateway`` as for SAML."""

    issuer: str
    client_id: str
    redirect_uris: tuple[str, ...]
    gateway: str | None = None


@dataclass(frozen=True)
class RunningIdp:
    """A running local IdP. Where its test user's password is, never the password."""

    kind: Kind
    url: str
    pid: int
    log_file: Path
    username: str
    groups: tuple[str, ...]
    password_file: Path
    started_now: bool
    metadata_file: Path | None = None
    client_id: str | None = None
    client_secret_file: Path | None = None

    def summary(self) -> list[str]:
        """Lines for ``make up``'s table."""
        if self.kind == "saml":
            first = f"  SAML IdP        {self.url} (metadata: {shown(self.metadata_file or Path())})"
        else:
            secret = shown(self.client_secret_file or Path())
            first = f"  OIDC IdP        {self.url} (client {self.client_id}, its secret in {secret})"
        return [
            first,
            f"    test user     {self.username} (groups: {', '.join(self.groups) or 'none'})",
            f"    its password  in {shown(self.password_file)} (mode 0600, never printed)",
            f"    log           {shown(self.log_file)}",
        ]


def ensure_ca(state_dir: Path = STATE_DIR) -> Path:
    """The local CA's certificate file (made if missing), for the emulator's ``SSL_CERT_FILE``."""
    files = IdpFiles(state_dir)
    ca = certificates.ensure_ca(files.ca_cert, files.ca_key)
    certificates.ensure_tls(files.tls_cert, files.tls_key, ca)
    return files.ca_cert


def start(
    saml: SamlIdpSpec | None = None,
    oidc: OidcIdpSpec | None = None,
    *,
    state_dir: Path = STATE_DIR,
    timeout: float = 30,
) -> list[RunningIdp]:
    """Start (or reuse) the IdPs given; returns them SAML first. See the module's guarantees."""
    files = IdpFiles(state_dir)
    ca_file = ensure_ca(state_dir)
    launches: list[tuple[Kind, processes.Launch]] = []
    if saml is not None:
        launches.append(("saml", _saml_launch(saml, files)))
    if oidc is not None:
        launches.append(("oidc", _oidc_launch(oidc, files)))
    started: dict[Kind, tuple[processes.Launch, subprocess.Popen[bytes]]] = {}
    reused: dict[Kind, processes.ServerRecord] = {}
    try:
        for kind, launch in launches:
            running = processes.find(launch.record_file, ca_file)
            if running is not None and running.settings_digest == launch.settings_digest:
                reused[kind] = running
                continue
            processes.stop(launch.record_file)
            started[kind] = (launch, processes.spawn(launch))
        for kind, (launch, process) in started.items():
            reused[kind] = processes.wait_ready(launch, process, ca_file, timeout)
    except IdpError:
        for launch, _ in started.values():
            processes.stop(launch.record_file)
        raise
    return [_running(kind, reused[kind], files, kind in started) for kind, _ in launches]


def status(state_dir: Path = STATE_DIR) -> list[RunningIdp]:
    """The IdPs running from ``state_dir``, SAML first."""
    files = IdpFiles(state_dir)
    found: list[RunningIdp] = []
    for kind, server in (("saml", files.saml), ("oidc", files.oidc)):
        record = processes.find(server.record, files.ca_cert)
        if record is not None:
            found.append(_running(kind, record, files, started_now=False))  # type: ignore[arg-type]
    return found


def stop(state_dir: Path = STATE_DIR) -> list[Kind]:
    """Stop the IdPs recorded under ``state_dir``; returns those that were running. Idempotent."""
    files = IdpFiles(state_dir)
    kinds: tuple[Kind, ...] = ("saml", "oidc")
    return [kind for kind in kinds if processes.stop(_server(files, kind).record)]


def set_user_groups(kind: Kind, groups: tuple[str, ...], state_dir: Path = STATE_DIR) -> None:
    """Put ``kind``'s test user in exactly ``groups``; its next sign-in asserts them."""
    users.set_groups(_server(IdpFiles(state_dir), kind).user, groups)


def oidc_client_secret(state_dir: Path = STATE_DIR) -> str:
    """The OIDC client's secret, for the emulator's Secrets Manager (never print it)."""
    return oidc_files.client_secret(IdpFiles(state_dir).oidc_client)


def _saml_launch(spec: SamlIdpSpec, files: IdpFiles) -> processes.Launch:
    port = _loopback_port(spec.url, "the SAML IdP's URL", need_path=True)
    server = files.saml
    certificates.ensure_signing(files.saml_signing_cert, files.saml_signing_key, "cognito-sso local SAML IdP")
    users.ensure(server.user, *TEST_USERS["saml"])
    settings = {
        "url": spec.url,
        "sp_metadata": str(Path(spec.sp_metadata).resolve()),
        "signing_cert": str(files.saml_signing_cert),
        "signing_key": str(files.saml_signing_key),
        "user_file": str(server.user),
        "metadata_file": str(files.saml_metadata),
        "tls_cert": str(files.tls_cert),
        "tls_key": str(files.tls_key),
        "gateway": spec.gateway,
    }
    code = [Path(__file__).with_name(name) for name in _SAML_CODE]
    argv = (sys.executable, "-m", "operator_tools.local.idps.saml_server", str(server.settings))
    inputs = [*code, files.tls_cert, files.saml_signing_cert]
    return _launch("saml", server, settings, inputs, argv, spec.url, port)


def _oidc_launch(spec: OidcIdpSpec, files: IdpFiles) -> processes.Launch:
    issuer = spec.issuer.rstrip("/")
    port = _loopback_port(issuer, "the OIDC issuer", need_path=False)
    if not (OIDC_APP / "node_modules" / "oidc-provider" / "package.json").is_file():
        raise IdpError(f"oidc-provider is not installed in {shown(OIDC_APP)}; run make setup-idps")
    if not NODE.exists():
        raise IdpError(f"the project's Node ({shown(NODE)}) is missing; run make setup")
    if not spec.redirect_uris:
        raise IdpError(
            "the OIDC IdP needs at least one redirect URI (https://<cognito domain>/oauth2/idpresponse)"
        )
    server = files.oidc
    oidc_files.ensure_client(files.oidc_client, spec.client_id)
    oidc_files.ensure_keys(files.oidc_keys)
    users.ensure(server.user, *TEST_USERS["oidc"])
    settings = {
        "issuer": issuer,
        "client_id": spec.client_id,
        "host": processes.HOST,
        "port": port,
        "redirect_uris": list(spec.redirect_uris),
        "client_file": str(files.oidc_client),
        "keys_file": str(files.oidc_keys),
        "user_file": str(server.user),
        "user_file_shown": shown(server.user),
        "tls_cert": str(files.tls_cert),
        "tls_key": str(files.tls_key),
        "gateway": spec.gateway,
    }
    inputs = [OIDC_APP / "server.mjs", OIDC_APP / "package-lock.json", files.tls_cert]
    argv = (str(NODE), str(OIDC_APP / "server.mjs"), str(server.settings))
    return _launch("oidc", server, settings, inputs, argv, issuer, port)


def _launch(
    kind: Kind,
    server: ServerFiles,
    settings: Mapping[str, object],
    inputs: list[Path],
    argv: tuple[str, ...],
    url: str,
    port: int,
) -> processes.Launch:
    """The launch of ``kind``, with a digest of everything a running server read at its start (its
    settings, its code, its public certificates): a running one with another digest is restarted."""
    write_private_json(server.settings, settings)
    digest = hashlib.sha256(json.dumps(settings, sort_keys=True).encode())
    for path in inputs:
        digest.update(path.read_bytes())
    return processes.Launch(
        kind=kind, label=_LABELS[kind], argv=argv, url=url, port=port, log_file=server.log,
        settings_file=server.settings, settings_digest=digest.hexdigest(), record_file=server.record,
    )  # fmt: skip


def _loopback_port(url: str, what: str, *, need_path: bool) -> int:
    parts = urlsplit(url)
    try:
        port = parts.port
    except ValueError:
        port = None
    path_ok = bool(parts.path.strip("/")) if need_path else parts.path in ("", "/")
    if parts.scheme != "https" or parts.hostname != processes.HOST or not port or not path_ok or parts.query:
        shape = "https://127.0.0.1:<port>/<path>" if need_path else "https://127.0.0.1:<port>"
        raise IdpError(f"{what} {url!r} is not of the form {shape}")
    return port


def _server(files: IdpFiles, kind: Kind) -> ServerFiles:
    return files.saml if kind == "saml" else files.oidc


def _running(kind: Kind, record: processes.ServerRecord, files: IdpFiles, started_now: bool) -> RunningIdp:
    server = _server(files, kind)
    user = users.load(server.user)
    return RunningIdp(
        kind=kind, url=record.url, pid=record.pid, log_file=Path(record.log_file), username=user.username,
        groups=user.groups, password_file=server.user, started_now=started_now,
        metadata_file=files.saml_metadata if kind == "saml" else None,
        client_id=_client_id(files) if kind == "oidc" else None,
        client_secret_file=files.oidc_client if kind == "oidc" else None,
    )  # fmt: skip


def _client_id(files: IdpFiles) -> str | None:
    try:
        data = json.loads(files.oidc_client.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    value = data.get("client_id") if isinstance(data, dict) else None
    return value if isinstance(value, str) else None

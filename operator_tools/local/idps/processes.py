"""Start, find and stop one IdP server process, recorded in a JSON file beside its settings.

Guarantees:

- a port that is taken (something listens on it) is refused before anything starts, naming the
  port; connections left in TIME_WAIT by an IdP just stopped do not count;
- the process runs in its own process group, with its output in its log file, and a scrubbed
  environment (no AWS settings, nothing of the caller's beyond PATH, HOME and the locale);
- ``find`` trusts a record only if its PID is alive, its command line names this record's settings
  file (a recycled PID or another checkout's IdP never matches), and its health URL, checked with the
  local CA, answers with that PID;
- ``stop`` signals only the recorded process group, and only after that check.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import signal
import socket
import ssl
import subprocess
import time
import urllib.error
import urllib.request
from dataclasses import asdict, dataclass
from pathlib import Path

from operator_tools.local.idps.errors import IdpError
from operator_tools.local.idps.layout import PROJECT_ROOT
from operator_tools.local.idps.private_files import read_json

HOST = "127.0.0.1"
HEALTH_PATH = "/_idp/health"
# The servers' log lines start with a time stamp, which a one-line error leaves out.
_TIMESTAMP = re.compile(r"^\d{4}-\d\d-\d\d[T ][\d:.,]+Z?\s+")


@dataclass(frozen=True)
class ServerRecord:
    """A running IdP process this checkout started."""

    kind: str
    pid: int
    url: str
    port: int
    log_file: str
    settings_file: str
    settings_digest: str


@dataclass(frozen=True)
class Launch:
    """How to start one IdP process."""

    kind: str
    label: str  # "the SAML IdP", for messages
    argv: tuple[str, ...]
    url: str
    port: int
    log_file: Path
    settings_file: Path
    settings_digest: str
    record_file: Path


def free_port() -> int:
    """A TCP port on 127.0.0.1 free right now (for tests; the local config names fixed ones)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        port: int = sock.getsockname()[1]
        return port


def spawn(launch: Launch) -> subprocess.Popen[bytes]:
    """Start ``launch`` and record it; the caller waits for it with ``wait_ready``."""
    _check_port_free(launch)
    launch.log_file.parent.mkdir(parents=True, exist_ok=True)
    keep = ("PATH", "HOME", "LANG", "LC_ALL", "TZ", "SYSTEMROOT")
    env = {k: os.environ[k] for k in keep if k in os.environ} | {
        "PYTHONUNBUFFERED": "1",
        "NODE_ENV": "production",
    }
    with launch.log_file.open("wb") as log:
        process = subprocess.Popen(
            list(launch.argv),
            cwd=PROJECT_ROOT,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    record = ServerRecord(
        launch.kind, process.pid, launch.url, launch.port, str(launch.log_file),
        str(launch.settings_file), launch.settings_digest,
    )  # fmt: skip
    launch.record_file.write_text(json.dumps(asdict(record)), encoding="utf-8")
    return process


def wait_ready(
    launch: Launch, process: subprocess.Popen[bytes], ca_file: Path, timeout: float
) -> ServerRecord:
    """The record once the process answers its health check; stopped and an ``IdpError`` otherwise."""
    deadline = time.monotonic() + timeout
    while True:
        if process.poll() is not None:
            launch.record_file.unlink(missing_ok=True)
            raise IdpError(
                f"{launch.label} on {HOST}:{launch.port} exited with status {process.returncode} "
                f"({_last_line(launch.log_file)}); log: {launch.log_file}"
            )
        found = find(launch.record_file, ca_file)
        if found is not None:
            return found
        if time.monotonic() > deadline:
            stop(launch.record_file)
            raise IdpError(
                f"{launch.label} on {HOST}:{launch.port} did not answer within {timeout:g} s; "
                f"log: {launch.log_file}"
            )
        time.sleep(0.05)


def find(record_file: Path, ca_file: Path) -> ServerRecord | None:
    """The recorded process if it is still ours and answering, else None."""
    record = _read(record_file)
    if record is None or not _is_ours(record):
        return None
    return record if _health_pid(record, ca_file) == record.pid else None


def stop(record_file: Path, *, timeout: float = 10) -> bool:
    """Stop the recorded process group; True if it was running. Idempotent."""
    record = _read(record_file)
    was_running = record is not None and _is_ours(record)
    if record is not None and was_running:
        _signal_group(record.pid, signal.SIGTERM)
        deadline = time.monotonic() + timeout
        while _group_alive(record.pid) and time.monotonic() < deadline:
            time.sleep(0.05)
        if _group_alive(record.pid):
            _signal_group(record.pid, signal.SIGKILL)
        _reap(record.pid)
    record_file.unlink(missing_ok=True)
    return was_running


def _check_port_free(launch: Launch) -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        # As the servers bind (Python's HTTPServer and Node both set SO_REUSEADDR): connections of
        # the IdP just stopped, left in TIME_WAIT, do not hold the port; a listener does.
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((HOST, launch.port))
        except OSError as exc:
            raise IdpError(
                f"{launch.label} cannot listen on {HOST}:{launch.port} ({exc.strerror or exc}); free the "
                f"port (or name another in the config) and run make up again; log: {launch.log_file}"
            ) from None


def _read(record_file: Path) -> ServerRecord | None:
    data = read_json(record_file)
    try:
        return ServerRecord(**data) if isinstance(data, dict) else None
    except TypeError:
        return None


def _is_ours(record: ServerRecord) -> bool:
    """True if ``record.pid`` runs with this record's settings file (never a recycled PID)."""
    try:
        return record.settings_file.encode() in Path(f"/proc/{record.pid}/cmdline").read_bytes().split(b"\0")
    except FileNotFoundError:
        if Path("/proc/self").exists():
            return False  # Linux, and the process is gone
    except OSError:
        return False
    # No /proc (macOS): ask ps for the command line.
    shown = subprocess.run(
        ["ps", "-p", str(record.pid), "-o", "command="], capture_output=True, text=True, check=False
    )
    return shown.returncode == 0 and record.settings_file in shown.stdout


def _health_pid(record: ServerRecord, ca_file: Path) -> int | None:
    try:
        context = ssl.create_default_context(cafile=str(ca_file))
        url = f"https://{HOST}:{record.port}{HEALTH_PATH}"
        # A fixed loopback URL, checked against the local CA.
        with urllib.request.urlopen(url, timeout=2, context=context) as response:
            data = json.loads(response.read())
    except (OSError, ValueError, ssl.SSLError, urllib.error.URLError):
        return None
    pid = data.get("pid") if isinstance(data, dict) and data.get("kind") == record.kind else None
    return pid if isinstance(pid, int) else None


def _last_line(log_file: Path) -> str:
    try:
        lines = [line.strip() for line in log_file.read_text(encoding="utf-8", errors="replace").splitlines()]
    except OSError:
        return "no log"
    last = next((line for line in reversed(lines) if line), "no output")
    return _TIMESTAMP.sub("", last)[:300]


def _group_alive(pgid: int) -> bool:
    _reap(pgid)
    try:
        os.killpg(pgid, 0)
    except (ProcessLookupError, PermissionError):
        return False
    # A leader that has exited but waits for another parent to reap it (the `make up` that started
    # it is gone) counts as stopped: the IdPs start no children of their own.
    return not _is_zombie(pgid)


def _is_zombie(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rpartition(")")[2].split()[:1] == ["Z"]


def _signal_group(pgid: int, sig: signal.Signals) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pgid, sig)


def _reap(pid: int) -> None:
    with contextlib.suppress(ChildProcessError):
        os.waitpid(pid, os.WNOHANG)

"""Start, find and stop the embedded AWS emulator (MiniStack) that local environments deploy to.

Guarantees:

- it listens on 127.0.0.1 only (``BIND_HOST``), on the usual port 4566 or, if that is taken, a free
  one; its optional listeners that would bind every interface (IoT mTLS, SFTP) are switched off;
- it never sees the user's AWS credentials, profile or endpoint: it starts with a scrubbed
  environment holding only the emulator's own dummy keys;
- it runs through ``emulator_launcher.py``, which adds the provisioner MiniStack lacks for
  ``AWS::Cognito::UserPoolIdentityProvider`` (``emulator_command`` says how it is recognized);
- its process ID, port and log live in ``.local/`` of the project, and ``stop`` signals only the
  process group recorded there, after checking that the recorded process is still our emulator
  (a recycled PID is never killed);
- when ``.local/idps/ca.pem`` exists (the local IdPs' CA), its HTTPS calls trust that CA only;
- every failure is an ``EmulatorError`` with one line fit for a human.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import asdict, dataclass
from pathlib import Path

from operator_tools.lib.errors import ToolError
from operator_tools.local.emulator_command import is_emulator_command, launcher_command

PROJECT_ROOT = Path(__file__).resolve().parents[2]
STATE_DIR = PROJECT_ROOT / ".local"
# The emulator has its own environment (made by `make setup-emulator`): it runs Python Lambdas with
# its own interpreter, so anything installed beside it is importable by the function. Beside the
# project's packages, the function would find Powertools there and never prove the layer works.
EMULATOR_PYTHON = PROJECT_ROOT / ".venv-emulator" / "bin" / "python"
HOST = "127.0.0.1"
DEFAULT_PORT = 4566
# The emulator's fixed identity: the account it reports and the keys it expects. Not secrets.
ACCOUNT = "000000000000"
DUMMY_KEY_ID = "test"
DUMMY_SECRET = "test"  # noqa: S105 - the emulator's documented dummy key, not a credential
READY_PATH = "/_ministack/ready"
# Under the state directory: the CA certificate (PEM) of the local IdPs' HTTPS issuers, written by
# whatever starts them; only the emulator process (and the test clients) trust it.
IDP_CA_FILE = Path("idps") / "ca.pem"


class EmulatorError(ToolError):
    """The emulator cannot be started, found or stopped."""


@dataclass(frozen=True)
class Emulator:
    """A running emulator this project started."""

    pid: int
    port: int
    region: str
    log_file: str

    @property
    def endpoint(self) -> str:
        """The one URL every AWS API call to the emulator goes to."""
        return f"http://{HOST}:{self.port}"


def state_file(state_dir: Path = STATE_DIR) -> Path:
    return state_dir / "emulator.json"


def find(state_dir: Path = STATE_DIR) -> Emulator | None:
    """The emulator recorded in ``state_dir`` if it is still running and answering, else None."""
    path = state_file(state_dir)
    try:
        emulator = Emulator(**json.loads(path.read_text(encoding="utf-8")))
    except (OSError, ValueError, TypeError):
        return None
    if not _is_our_process(emulator.pid) or not _ready(emulator.endpoint, timeout=2):
        return None
    return emulator


def start(
    region: str, *, state_dir: Path = STATE_DIR, timeout: float = 60, port: int | None = None
) -> tuple[Emulator, bool]:
    """The running emulator, or a new one (on ``port``, else 4566, else a free one).
    Returns ``(emulator, started_now)``."""
    running = find(state_dir)
    if running is not None:
        if running.region != region:
            raise EmulatorError(
                f"the running emulator serves region {running.region}, this environment wants {region}; "
                "run `make down` first"
            )
        return running, False
    if not EMULATOR_PYTHON.exists():
        raise EmulatorError(f"the emulator is not installed ({EMULATOR_PYTHON}); run make setup-emulator")
    state_dir.mkdir(parents=True, exist_ok=True)
    port = port or _choose_port()
    log_file = state_dir / "emulator.log"
    data_dir = state_dir / "emulator-data"
    env = emulator_process_env(port, region, data_dir, ca_bundle=state_dir / IDP_CA_FILE)
    with log_file.open("wb") as log:
        process = subprocess.Popen(
            launcher_command(EMULATOR_PYTHON),
            cwd=state_dir,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            # Its own process group: `stop` ends it and every Lambda worker it forked, and a Ctrl-C
            # at the terminal that ran `make up` does not take it down half-way through a deploy.
            start_new_session=True,
        )
    emulator = Emulator(process.pid, port, region, str(log_file))
    state_file(state_dir).write_text(json.dumps(asdict(emulator)), encoding="utf-8")
    deadline = time.monotonic() + timeout
    while not _ready(emulator.endpoint, timeout=1):
        if process.poll() is not None:
            state_file(state_dir).unlink(missing_ok=True)
            # The log's last line is the launcher's one-line refusal when an internal has moved.
            last = log_file.read_text(encoding="utf-8", errors="replace").strip().rpartition("\n")[2]
            raise EmulatorError(
                f"the emulator exited with status {process.returncode}: {last}; see {log_file}"
            )
        if time.monotonic() > deadline:
            stop(state_dir)
            raise EmulatorError(f"the emulator did not answer within {timeout:g} s; see {log_file}")
        time.sleep(0.1)
    return emulator, True


def stop(state_dir: Path = STATE_DIR, *, timeout: float = 15) -> bool:
    """Stop the recorded emulator and its children; True if one was running. Idempotent."""
    path = state_file(state_dir)
    try:
        pid = int(json.loads(path.read_text(encoding="utf-8"))["pid"])
    except (OSError, ValueError, KeyError, TypeError):
        return False
    was_running = _is_our_process(pid)
    if was_running:
        _signal_group(pid, signal.SIGTERM)
        deadline = time.monotonic() + timeout
        while _group_alive(pid) and time.monotonic() < deadline:
            time.sleep(0.1)
        if _group_alive(pid):
            _signal_group(pid, signal.SIGKILL)
        _reap(pid)
    path.unlink(missing_ok=True)
    return was_running


def pool_signing_key_file(pool_id: str, use: str, state_dir: Path = STATE_DIR) -> Path:
    """Where the emulator keeps the private key a pool signs its ``use`` ("access" or "id") tokens
    with. Only the end-to-end test reads it, to mint a correctly signed but expired token."""
    return state_dir / "emulator-data" / "cognito-pool-keys" / f"{pool_id}-{use}.pem"


def emulator_process_env(
    port: int, region: str, data_dir: Path, *, ca_bundle: Path | None = None
) -> dict[str, str]:
    """The emulator's whole environment: nothing of the caller's AWS set-up leaks into it; with an
    existing ``ca_bundle`` file, its HTTPS calls (to local IdPs) trust that bundle only."""
    keep = ("PATH", "HOME", "LANG", "LC_ALL", "TZ", "SYSTEMROOT")
    env = {k: os.environ[k] for k in keep if k in os.environ}
    env.update(
        {
            "BIND_HOST": HOST,
            "GATEWAY_PORT": str(port),
            # The virtual host of `{api id}.execute-api.localhost` and of the URLs the emulator
            # writes into tokens and discovery documents.
            "MINISTACK_HOST": "localhost",
            "MINISTACK_REGION": region,
            "MINISTACK_ACCOUNT_ID": ACCOUNT,
            "AWS_ACCESS_KEY_ID": DUMMY_KEY_ID,
            "AWS_SECRET_ACCESS_KEY": DUMMY_SECRET,
            "AWS_DEFAULT_REGION": region,
            # Listeners that would bind 0.0.0.0 whatever BIND_HOST says.
            "IOT_MTLS_ENABLED": "0",
            "SFTP_ENABLED": "0",
            "PERSIST_STATE": "0",
            # A pre token generation trigger that fails must fail the token request, as on AWS; by
            # default the emulator logs the failure and issues the unmodified token.
            "MINISTACK_COGNITO_PRETOKEN_STRICT": "1",
            "STATE_DIR": str(data_dir),
            "S3_DATA_DIR": str(data_dir / "s3"),
            "TMPDIR": str(data_dir / "tmp"),
            "LOG_LEVEL": os.environ.get("EMULATOR_LOG_LEVEL", "WARNING"),
            "PYTHONUNBUFFERED": "1",
        }
    )
    if ca_bundle is not None and ca_bundle.is_file():
        env["SSL_CERT_FILE"] = str(ca_bundle)
    (data_dir / "tmp").mkdir(parents=True, exist_ok=True)
    return env


def client_env(emulator: Emulator, base: dict[str, str] | None = None) -> dict[str, str]:
    """An environment for the CDK CLI, boto3 or the AWS CLI that can only reach the emulator.

    Every variable that could select a real account (profile, session token, credential files, SSO,
    web identity, container credentials) is removed, and the endpoint points at the emulator.
    """
    env = dict(os.environ if base is None else base)
    for key in list(env):
        if key.startswith(("AWS_", "CDK_DEFAULT_")) or key in {"AWS_PROFILE"}:
            del env[key]
    env.update(
        {
            "AWS_ENDPOINT_URL": emulator.endpoint,
            "AWS_ACCESS_KEY_ID": DUMMY_KEY_ID,
            "AWS_SECRET_ACCESS_KEY": DUMMY_SECRET,
            "AWS_REGION": emulator.region,
            "AWS_DEFAULT_REGION": emulator.region,
            # No file outside the project can add a profile, a role or another endpoint.
            "AWS_CONFIG_FILE": os.devnull,
            "AWS_SHARED_CREDENTIALS_FILE": os.devnull,
            "AWS_EC2_METADATA_DISABLED": "true",
        }
    )
    return env


def _choose_port() -> int:
    for port in (DEFAULT_PORT, 0):
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
            try:
                sock.bind((HOST, port))
            except OSError:
                continue
            chosen: int = sock.getsockname()[1]
            return chosen
    raise EmulatorError(f"no free TCP port on {HOST}")


def _ready(endpoint: str, *, timeout: float) -> bool:
    try:
        # A fixed loopback URL built above, never user input.
        with urllib.request.urlopen(endpoint + READY_PATH, timeout=timeout) as response:  # noqa: S310
            return bool(response.status == 200)
    except (urllib.error.URLError, OSError, ValueError):
        return False


def _is_our_process(pid: int) -> bool:
    """True if ``pid`` is alive and runs our emulator (not a recycled PID)."""
    try:
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
    except OSError:
        return _alive(pid) and sys.platform != "linux"
    return is_emulator_command([arg.decode(errors="replace") for arg in cmdline])


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _group_alive(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except (ProcessLookupError, PermissionError):
        return False
    # A zombie leader keeps the group "alive" until reaped; reap it if it is our child.
    _reap(pgid)
    try:
        os.killpg(pgid, 0)
    except (ProcessLookupError, PermissionError):
        return False
    return True


def _signal_group(pgid: int, sig: signal.Signals) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pgid, sig)


def _reap(pid: int) -> None:
    with contextlib.suppress(ChildProcessError):
        os.waitpid(pid, os.WNOHANG)

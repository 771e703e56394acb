"""The real emulator as a process: loopback only, reused, and stopped with everything it started."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from operator_tools.local import emulator
from operator_tools.local.emulator_command import launcher_command
from tests.operator_tools.conftest import free_port

pytestmark = pytest.mark.emulator


def _listening_addresses(pid: int) -> set[tuple[str, int]]:
    """(address, port) of every TCP socket in LISTEN state that ``pid``'s process group owns."""
    inodes = set()
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            if os.getpgid(int(proc.name)) != pid:
                continue
            for fd in (proc / "fd").iterdir():
                target = os.readlink(fd)
                if target.startswith("socket:["):
                    inodes.add(target[8:-1])
        except OSError:
            continue
    found = set()
    for table, width in (("/proc/net/tcp", 8), ("/proc/net/tcp6", 32)):
        for line in Path(table).read_text().splitlines()[1:]:
            fields = line.split()
            if fields[3] == "0A" and fields[9] in inodes:  # 0A: LISTEN
                address, port = fields[1].split(":")
                found.add((address if width == 32 else _ipv4(address), int(port, 16)))
    return found


def _ipv4(hex_address: str) -> str:
    return ".".join(str(b) for b in reversed(bytes.fromhex(hex_address)))


@pytest.fixture(scope="module")
def running(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[emulator.Emulator, Path]]:
    state = tmp_path_factory.mktemp("local")
    started, fresh = emulator.start("eu-west-1", state_dir=state)
    assert fresh
    try:
        yield started, state
    finally:
        emulator.stop(state)


def test_the_emulator_listens_on_127_0_0_1_only(running: tuple[emulator.Emulator, Path]) -> None:
    started, _ = running
    assert _listening_addresses(started.pid) == {("127.0.0.1", started.port)}


def test_a_second_start_reuses_the_running_emulator(running: tuple[emulator.Emulator, Path]) -> None:
    started, state = running
    again, fresh = emulator.start("eu-west-1", state_dir=state)
    assert (again, fresh) == (started, False)


def test_a_running_emulator_of_another_region_is_not_silently_reused(
    running: tuple[emulator.Emulator, Path],
) -> None:
    _, state = running
    with pytest.raises(emulator.EmulatorError, match="make down"):
        emulator.start("us-east-1", state_dir=state)


def test_stop_ends_the_emulator_and_frees_its_port(tmp_path: Path) -> None:
    started, _ = emulator.start("eu-west-1", state_dir=tmp_path)
    assert emulator.stop(tmp_path) is True
    assert emulator.find(tmp_path) is None
    assert not emulator.state_file(tmp_path).exists()
    with pytest.raises(ProcessLookupError):
        os.killpg(started.pid, 0)
    assert emulator.stop(tmp_path) is False  # idempotent


def test_stop_never_signals_a_process_that_is_not_our_emulator(tmp_path: Path) -> None:
    # A recycled PID: the state file names a live process that is something else entirely.
    bystander = subprocess.Popen(
        [sys.executable, "-c", "import time; time.sleep(30)"], start_new_session=True
    )
    try:
        record = emulator.Emulator(bystander.pid, 4566, "eu-west-1", str(tmp_path / "log"))
        emulator.state_file(tmp_path).write_text(
            f'{{"pid": {record.pid}, "port": 4566, "region": "eu-west-1", "log_file": "x"}}'
        )
        assert emulator.stop(tmp_path) is False
        assert bystander.poll() is None  # still running
        assert not emulator.state_file(tmp_path).exists()
    finally:
        bystander.kill()
        bystander.wait()


def test_the_emulator_runs_as_the_launcher_which_added_the_identity_provider_provisioner(
    running: tuple[emulator.Emulator, Path],
) -> None:
    started, _ = running
    cmdline = Path(f"/proc/{started.pid}/cmdline").read_bytes().decode().split("\0")[:-1]
    assert cmdline == launcher_command(emulator.EMULATOR_PYTHON)
    log = Path(started.log_file).read_text(encoding="utf-8")
    assert "emulator_launcher: added the AWS::Cognito::UserPoolIdentityProvider provisioner" in log


def test_a_launcher_that_refuses_to_start_is_reported_in_its_own_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    refusal = "emulator_launcher: MiniStack 9.9.9 has moved an internal this launcher relies on: x"
    script = f"import sys; print({refusal!r}, file=sys.stderr); sys.exit(1)"
    monkeypatch.setattr(emulator, "launcher_command", lambda python: [str(python), "-c", script])
    with pytest.raises(emulator.EmulatorError) as raised:
        emulator.start("eu-west-1", state_dir=tmp_path, port=free_port())
    message = str(raised.value)
    assert message.startswith(f"the emulator exited with status 1: {refusal}; see ")
    assert "\n" not in message
    assert not emulator.state_file(tmp_path).exists()


def test_stop_never_signals_another_checkouts_emulator(tmp_path: Path) -> None:
    # Same launcher file name, another project: not ours, so never stopped from here.
    other = tmp_path / "other" / "operator_tools" / "local" / "emulator_launcher.py"
    other.parent.mkdir(parents=True)
    other.write_text("import time\ntime.sleep(30)\n", encoding="utf-8")
    bystander = subprocess.Popen([sys.executable, str(other)], start_new_session=True)
    try:
        emulator.state_file(tmp_path).write_text(
            f'{{"pid": {bystander.pid}, "port": 4566, "region": "eu-west-1", "log_file": "x"}}'
        )
        assert emulator.stop(tmp_path) is False
        assert bystander.poll() is None
    finally:
        bystander.kill()
        bystander.wait()

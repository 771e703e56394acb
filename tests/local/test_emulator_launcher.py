"""The launcher against the installed emulator, with its internals patched in the launcher's own
process (tests/local/launcher_probe.py, run by the emulator's interpreter): one line naming the
version when an internal has moved, standing aside when MiniStack ships the provisioner itself."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

import pytest

from operator_tools.local.emulator import EMULATOR_PYTHON
from operator_tools.local.emulator_command import LAUNCHER

pytestmark = pytest.mark.emulator

PROBE = Path(__file__).with_name("launcher_probe.py")
TYPE = "AWS::Cognito::UserPoolIdentityProvider"
TABLES = ("_RESOURCE_HANDLERS", "_REPLACING_PROPERTIES", "_CUSTOM_NAME_REPLACEMENT")

# Case (as the probe names it) -> what the one line must name.
MOVED = {
    "dispatch table missing": "provisioners._RESOURCE_HANDLERS is missing",
    "dispatch table not a dict": "provisioners._RESOURCE_HANDLERS is no longer a dict",
    "handler shape changed": "UserPoolGroup'] no longer has the create/update/delete/import shape",
    "update handler arity changed": "['update'] is not callable with 5 positional argument(s)",
    "replacement table missing": "provisioners._REPLACING_PROPERTIES is missing",
    "custom-name table missing": "provisioners._CUSTOM_NAME_REPLACEMENT is missing",
    "declared_or_default missing": "provisioners._declared_or_default is missing",
    "replacement table not read": "_property_recreation no longer reads _REPLACING_PROPERTIES",
    "create operation missing": "cognito._create_identity_provider is missing",
    "delete operation missing": "cognito._delete_identity_provider is missing",
    "update call shape changed": "_update_identity_provider is not callable with 1 positional argument(s)",
    "answer shape changed": "cognito._describe_identity_provider no longer answers (status, headers, body)",
    "pool store missing": "cognito._user_pools is missing",
    "cognito module unimportable": "cannot import ministack.services.cognito",
    "token handler missing": "cognito._oauth2_token is missing",
    "token answer shape changed": "cognito._oauth2_token no longer answers (status, headers, body)",
    "server entry missing": "ministack.app.main is missing",
    "server entry takes arguments": "ministack.app.main is not callable with 0 positional argument(s)",
}  # fmt: skip


@pytest.fixture(scope="module")
def probed() -> dict[str, Any]:
    done = subprocess.run(
        [str(EMULATOR_PYTHON), str(PROBE), str(LAUNCHER)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    result: dict[str, Any] = json.loads(done.stdout)
    return result


@pytest.mark.parametrize("case", MOVED)
def test_a_moved_internal_stops_the_launcher_with_one_line_naming_the_version(
    probed: dict[str, Any], case: str
) -> None:
    outcome = probed["cases"][case]
    assert outcome["status"] == 1
    lines = outcome["stderr"].splitlines()
    assert len(lines) == 1, lines
    assert lines[0].startswith(f"emulator_launcher: MiniStack {probed['version']} has moved an internal")
    assert MOVED[case] in lines[0]
    assert not any(outcome["registered"].values())  # nothing was changed before the refusal


def test_on_the_installed_emulator_the_launcher_adds_the_provisioner_and_its_replacement_rule(
    probed: dict[str, Any],
) -> None:
    outcome = probed["cases"]["healthy"]
    assert outcome["status"] == 0
    assert (
        outcome["stderr"]
        == f"emulator_launcher: added the {TYPE} provisioner to MiniStack {probed['version']}\n"
    )
    assert outcome["registered"] == dict.fromkeys(TABLES, True)
    assert outcome["handlers"] == ["create", "delete", "import", "update", "update_with_logical_id"]


def test_the_launcher_stands_aside_when_the_emulator_ships_its_own_provisioner(
    probed: dict[str, Any],
) -> None:
    outcome = probed["cases"]["shipped"]
    assert outcome["status"] == 0
    assert (
        "ships its own AWS::Cognito::UserPoolIdentityProvider provisioner; the launcher adds none"
        in (outcome["stderr"])
    )
    assert outcome["handlers"] == ["create"]  # the emulator's own entry, untouched
    assert outcome["registered"] == {
        "_RESOURCE_HANDLERS": True, "_REPLACING_PROPERTIES": False, "_CUSTOM_NAME_REPLACEMENT": False,
    }  # fmt: skip


def test_the_emulator_server_sees_a_clean_argv(probed: dict[str, Any]) -> None:
    assert probed["cases"]["serve"]["argv"] == [["ministack"]]


def test_an_unknown_launcher_argument_is_refused_before_anything_starts(probed: dict[str, Any]) -> None:
    outcome = probed["cases"]["bad arguments"]
    assert outcome["status"] == 2
    assert outcome["stderr"] == "emulator_launcher: usage: emulator_launcher.py [--check]\n"
    assert not any(outcome["registered"].values())


def test_the_launcher_checks_the_installed_emulator_from_the_command_line() -> None:
    done = subprocess.run(
        [str(EMULATOR_PYTHON), str(LAUNCHER), "--check"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert (done.returncode, done.stdout) == (0, "")
    assert done.stderr.startswith(f"emulator_launcher: added the {TYPE} provisioner to MiniStack ")


def test_the_launchers_neighbours_never_shadow_the_standard_library(tmp_path: Path) -> None:
    # Run as a script, its directory would come first on sys.path; operator_tools/local holds
    # mailbox.py, timing.py and others. A neighbour named after a module it imports must not load.
    copy = tmp_path / LAUNCHER.name
    copy.write_text(LAUNCHER.read_text(encoding="utf-8"), encoding="utf-8")
    neighbour = LAUNCHER.with_name("emulator_token_answer.py")  # loaded by its path, so it comes too
    (tmp_path / neighbour.name).write_text(neighbour.read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "json.py").write_text(
        "raise SystemExit('the neighbour json.py was imported')\n", encoding="utf-8"
    )
    done = subprocess.run(
        [str(EMULATOR_PYTHON), copy.name, "--check"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr


def test_a_token_answer_labelled_aws_json_is_labelled_application_json_and_otherwise_untouched(
    probed: dict[str, Any],
) -> None:
    # oidc-client-ts refuses a token answer whose Content-Type is not application/json: MiniStack's
    # answer for a federated code says application/x-amz-json-1.0 (docs/local.md, gap table).
    outcome = probed["cases"]["token answer"]
    assert outcome["status"] == 0, outcome["stderr"]
    assert outcome["answer"] == {
        "status": 200,
        "headers": {"Content-Type": "application/json", "X-Kept": "yes"},
        "body": '{"id_token": "t"}',
    }

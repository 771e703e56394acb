"""The two verbs as a user runs them: ``python -m operator_tools.verbs.<verb>`` and ``make <verb>``.

Refusals are one line and come before any Cognito call; production needs its name typed back.
"""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path
from types import ModuleType

import pytest

from operator_tools.lib.environment import choose_environment
from operator_tools.verbs import export_users, restore_users
from tests.fixtures import FIXTURE_CONFIG_DIR
from tests.operator_tools.users.conftest import calls_to, deployed
from tests.operator_tools.users.fake_cognito import FakeCognito
from tests.operator_tools.users.test_restore import exported, source_pool
from tests.test_make_verbs import LISTED, assert_one_line_refusal, make


@pytest.fixture
def new(monkeypatch: pytest.MonkeyPatch) -> FakeCognito:
    """The pool the verbs reach, and the fixture environments they choose from."""
    pool = FakeCognito()
    for verb in (export_users, restore_users):
        monkeypatch.setattr(verb, "cognito_calls_for", lambda session, endpoint: calls_to(pool))
        monkeypatch.setattr(
            verb, "choose_environment", lambda name, v: choose_environment(name, v, FIXTURE_CONFIG_DIR)
        )
    return pool


def outputs_file(tmp_path: Path, env: str, pool_id: str) -> Path:
    config = choose_environment(env, "restore-users", FIXTURE_CONFIG_DIR)
    outputs = deployed(config, pool_id).outputs
    identity = {
        "UserPoolId": outputs.user_pool_id,
        "IssuerUrl": outputs.issuer_url,
        "JwksUrl": outputs.jwks_url,
    }
    identity |= {"AuthorizeEndpoint": outputs.authorize_endpoint, "TokenEndpoint": outputs.token_endpoint}
    identity |= {f"{c.construct_id}Id": outputs.client_id(c) for c in config.clients}
    api = {"ApiBaseUrl": outputs.api_base_url, "MeRouteUrl": outputs.me_route_url}
    api |= {"AdminRouteUrl": outputs.admin_route_url}
    path = tmp_path / f"outputs-{env}.json"
    path.write_text(json.dumps({f"{env}-Identity": identity, f"{env}-Api": api}))
    return path


def restore(
    tmp_path: Path, pool: FakeCognito, file: Path, *args: str, env: str = "dev", answer: str = ""
) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    argv = [
        "--env",
        env,
        "--file",
        str(file),
        "--outputs-file",
        str(outputs_file(tmp_path, env, pool.pool_id)),
    ]
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(sys, "stdout", out)
        patch.setattr(sys, "stderr", err)
        code = restore_users.main([*argv, *args], stdin=io.StringIO(answer))
    return code, out.getvalue(), err.getvalue()


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        (
            "email,name\nalice@example.com,Alice\n",
            "line 1: not a cognito-sso-users file: line 1 is not its header",
        ),
        ("{header}\n{user}\n{{oops\n", "line 3: not valid JSON"),
        ("{header}\n{user}\n", "line 3: the file ends without its closing line (a cut-short export)"),
        (
            "{header}\n{with_password}\n{end}\n",
            "line 2: a user has a field this format does not have: 'password'",
        ),
    ],
    ids=["not this format", "corrupt line", "cut short", "a password field"],
)
def test_a_bad_file_is_one_line_before_any_cognito_call(
    tmp_path: Path, new: FakeCognito, text: str, reason: str
) -> None:
    good = exported(tmp_path, source_pool()).read_text().splitlines()
    user = json.loads(good[1])
    parts = {
        "header": good[0],
        "user": good[1],
        "end": good[-1],
        "with_password": json.dumps({**user, "password": "x"}),
    }
    bad = tmp_path / "bad.jsonl"
    bad.write_text(text.format(**parts))
    bad.chmod(0o600)

    code, out, err = restore(tmp_path, new, bad)

    assert (code, out, err) == (1, "", f"restore-users: {bad} {reason}\n")
    assert new.calls == []


def test_a_file_others_can_read_is_restored_with_a_warning(tmp_path: Path, new: FakeCognito) -> None:
    file = exported(tmp_path, source_pool())
    file.chmod(0o644)

    code, out, err = restore(tmp_path, new, file)

    assert (code, out.splitlines()[0]) == (0, "restore: 3 created, 0 updated, 0 unchanged")
    assert err == (
        f"restore: warning: {file} is readable by other users (mode 0644); "
        "it holds personal data: chmod 600 it\n"
    )


def test_a_file_from_another_environment_needs_from_env(tmp_path: Path, new: FakeCognito) -> None:
    old = source_pool()
    file = exported(tmp_path, old, env="staging")

    refused = restore(tmp_path, new, file)
    mismatched = restore(tmp_path, new, file, "--from-env", "prod")
    accepted = restore(tmp_path, new, file, "--from-env", "staging")

    assert refused == (
        1,
        "",
        f"restore-users: {file} was exported from staging (pool {old.pool_id}), not dev; "
        "to restore it into dev anyway, add FROM_ENV=staging\n",
    )
    assert mismatched[0] == 1
    assert (
        mismatched[2]
        == f"restore-users: FROM_ENV=prod, but {file} was exported from staging; nothing was restored\n"
    )
    assert accepted[:2] == (
        0,
        "restore: 3 created, 0 updated, 0 unchanged\n" + accepted[1].partition("\n")[2],
    )


def test_production_needs_its_name_typed_back(tmp_path: Path, new: FakeCognito) -> None:
    file = exported(tmp_path, source_pool(), env="prod")

    code, _, err = restore(tmp_path, new, file, env="prod", answer="yes\n")

    assert code == 1
    assert err == (
        "This restores users into prod (tier production): 3 to create, 0 to update.\n"
        "Type the environment name (prod) to confirm: "
        "restore-users: confirmation 'yes' does not match 'prod'; nothing was restored\n"
    )
    assert new.writes() == []

    code, out, _ = restore(tmp_path, new, file, env="prod", answer="prod\n")
    assert (code, out.splitlines()[0]) == (0, "restore: 3 created, 0 updated, 0 unchanged")

    # Nothing left to change: no question asked.
    assert restore(tmp_path, new, file, env="prod") == (0, "restore: 0 created, 0 updated, 3 unchanged\n", "")


def test_confirm_stands_for_the_typed_name(tmp_path: Path, new: FakeCognito) -> None:
    file = exported(tmp_path, source_pool(), env="prod")

    assert restore(tmp_path, new, file, "--confirm", "staging", env="prod")[0] == 1
    code, out, err = restore(tmp_path, new, file, "--confirm", "prod", env="prod")

    assert (code, err) == (0, "")
    assert out.startswith("restore: 3 created")


def test_export_refuses_an_existing_file_before_any_aws_call(tmp_path: Path, new: FakeCognito) -> None:
    existing = tmp_path / "users.jsonl"
    existing.write_text("keep me\n")
    out, err = io.StringIO(), io.StringIO()

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(sys, "stderr", err)
        patch.setattr(sys, "stdout", out)
        code = export_users.main(["--env", "dev", "--file", str(existing)])

    assert (code, err.getvalue()) == (
        1,
        f"export-users: {existing} already exists; an export never overwrites one. Choose another FILE\n",
    )
    assert new.calls == []
    assert existing.read_text() == "keep me\n"


@pytest.mark.parametrize("verb", [export_users, restore_users], ids=lambda v: v.PROG)
def test_help_is_plain_text_and_exits_0(verb: ModuleType, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        verb.main(["--help"])

    shown = capsys.readouterr()
    assert (exited.value.code, shown.err) == (0, "")
    assert shown.out.startswith(f"usage: {verb.PROG} ")
    assert "``" not in shown.out


@pytest.mark.parametrize(
    ("args", "line"),
    [
        (
            ("export-users",),
            f"export-users: ENV is required, e.g. make export-users ENV=dev; environments: {LISTED}",
        ),
        (
            ("restore-users", "ENV=dev"),
            "restore-users: FILE is required, e.g. make restore-users ENV=dev "
            "FILE=.local/exports/<file>.jsonl",
        ),
    ],
    ids=lambda v: " ".join(v) if isinstance(v, tuple) else None,
)
def test_the_make_verbs_refuse_in_one_line(tmp_path: Path, args: tuple[str, ...], line: str) -> None:
    assert_one_line_refusal(make(tmp_path, *args), line)

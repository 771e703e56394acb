"""The command end to end, in a fresh git repository: exit statuses and what a user reads."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from tests.review.builds import finish, make_git_repo, start_cli


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A repository to break things in (not the one the unchanged review is running in)."""
    return make_git_repo(tmp_path_factory.mktemp("cli") / "repo")


def run(repo: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return finish(start_cli(repo, *args))


def assert_usage_error(done: subprocess.CompletedProcess[str], message: str) -> None:
    assert done.returncode == 2, done.stderr
    assert message in done.stderr
    assert "Traceback" not in done.stderr
    assert done.stdout == ""


def test_renaming_the_user_pool_construct_is_data_loss(
    pool_renamed_review: subprocess.CompletedProcess[str],
) -> None:
    done = pool_renamed_review
    # make review: the review blocks (its status 1), so make exits 2 (see test_exit_status).
    assert (done.returncode, done.stderr.rstrip().rsplit(" ", 2)[-2:]) == (2, ["Error", "1"]), done.stderr[
        -3000:
    ]
    comment = done.stdout
    assert comment.startswith("<!-- cognito-sso-review -->")
    assert "DATA LOSS: `UserPool → Pool` (AWS::Cognito::UserPool), renamed" in comment
    assert "logical ID changed UserPool → Pool" in comment
    assert "new, EMPTY user pool" in comment
    # Every client follows the pool to a new UserPoolId, a create-only property.
    assert "REPLACEMENT: `SpaClient`" in comment
    assert "Traceback" not in done.stderr


def test_an_unknown_revision_is_a_usage_error(repo: Path) -> None:
    assert_usage_error(run(repo, "--base", "no-such-rev", "--env", "dev"), "unknown revision 'no-such-rev'")


def test_an_unknown_environment_is_a_usage_error(repo: Path) -> None:
    assert_usage_error(
        run(repo, "--base", "HEAD", "--env", "no-such-env"),
        "unknown environment 'no-such-env'; environments: dev",
    )


def test_an_allow_entry_without_a_reason_is_a_usage_error(repo: Path, tmp_path: Path) -> None:
    allow = tmp_path / "allow.yaml"
    allow.write_text("- {env: dev, stack: Identity, logical_id: UserPoolDomain, verdict: REPLACEMENT}\n")
    done = run(repo, "--base", "HEAD", "--env", "dev", "--allow-file", str(allow))
    assert_usage_error(done, f"{allow}:1: [0].reason: required key is missing")


def test_a_tree_that_fails_to_synthesize_is_reported_with_its_stderr(repo: Path) -> None:
    config = repo / "config" / "dev.yaml"
    original = config.read_text()
    config.write_text(original + "surprise_key: true\n")
    try:
        done = run(repo, "--base", "HEAD", "--env", "dev")
    finally:
        config.write_text(original)
    assert_usage_error(done, "synth of the working tree failed")
    assert "surprise_key" in done.stderr  # the synth's own message, not just ours

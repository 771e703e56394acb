"""Keep tests away from this machine's AWS set-up: no profile, config, credentials file or metadata.

botocore reads the process environment, so these set it (with ``monkeypatch``, or as a dict for a
subprocess). With ``credentials=True`` fake static keys are present; with False, nothing is.
"""

from __future__ import annotations

import os
from collections.abc import MutableMapping
from pathlib import Path

import pytest

FAKE_KEYS = {
    "AWS_ACCESS_KEY_ID": "AKIDSTANDIN",
    "AWS_SECRET_ACCESS_KEY": "fake-secret-access-key",
    "AWS_SESSION_TOKEN": "fake-session-token",
}


def aws_environment(
    tmp_path: Path, *, credentials: bool, base: MutableMapping[str, str] | None = None
) -> dict[str, str]:
    """A copy of ``base`` (default ``os.environ``) with every ``AWS_*`` variable replaced."""
    environ = {
        k: v for k, v in (base if base is not None else os.environ).items() if not k.startswith("AWS_")
    }
    environ.update(
        AWS_CONFIG_FILE=str(tmp_path / "no-aws-config"),
        AWS_SHARED_CREDENTIALS_FILE=str(tmp_path / "no-aws-credentials"),
        # The last link of the chain asks the instance metadata service; never from a test.
        AWS_EC2_METADATA_DISABLED="true",
    )
    if credentials:
        environ.update(FAKE_KEYS)
    return environ


def isolate_aws(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, *, credentials: bool) -> None:
    """``aws_environment`` applied to this process for one test."""
    for name in [k for k in os.environ if k.startswith("AWS_")]:
        monkeypatch.delenv(name)
    for name, value in aws_environment(tmp_path, credentials=credentials, base={}).items():
        monkeypatch.setenv(name, value)

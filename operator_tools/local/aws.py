"""AWS clients and CDK CLI runs that can only reach the local emulator.

Every client gets the emulator's endpoint and its dummy keys explicitly, so no profile, environment
variable or credential file of the user's can redirect it to a real account; the CDK CLI runs with
``emulator.client_env``, which removes all of those from its environment.
"""

from __future__ import annotations

import subprocess
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import boto3
from botocore.config import Config

from operator_tools.lib.errors import ToolError
from operator_tools.local.emulator import DUMMY_KEY_ID, DUMMY_SECRET, Emulator, client_env

# The emulator answers at once or not at all; do not let botocore retry for a minute.
_CONFIG = Config(retries={"max_attempts": 2, "mode": "standard"}, connect_timeout=5, read_timeout=60)


def client(emulator: Emulator, service: str) -> Any:
    """A boto3 client for ``service`` on the emulator (never on AWS)."""
    session = boto3.session.Session(
        aws_access_key_id=DUMMY_KEY_ID,
        aws_secret_access_key=DUMMY_SECRET,
        region_name=emulator.region,
    )
    return session.client(service, endpoint_url=emulator.endpoint, config=_CONFIG)


def run_cdk(emulator: Emulator, command: Sequence[str], *, cwd: Path, quiet: bool = False) -> str:
    """Run a CDK CLI command against the emulator; its output streams through unless ``quiet``.

    Returns the captured output (standard output and error together: ``cdk diff`` writes its diff
    to standard error) when ``quiet``. Raises ``ToolError`` naming the command when it fails.
    """
    done = subprocess.run(
        list(command),
        cwd=cwd,
        env=client_env(emulator),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE if quiet else None,
        stderr=subprocess.STDOUT if quiet else None,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        lines = (done.stdout or "").strip().splitlines()
        tail = f": {lines[-1]}" if lines else ""
        raise ToolError(f"`{' '.join(command[1:3])}` failed with exit status {done.returncode}{tail}")
    return done.stdout or ""


def stack_exists(cloudformation: Any, name: str) -> bool:
    """True if a stack of that name exists (in any state but deleted)."""
    try:
        stacks = cloudformation.describe_stacks(StackName=name).get("Stacks", [])
    except cloudformation.exceptions.ClientError as exc:
        if "does not exist" in str(exc):
            return False
        raise ToolError(f"DescribeStacks {name} failed on the emulator: {exc}") from None
    return any(s.get("StackStatus") != "DELETE_COMPLETE" for s in stacks)

"""The real entry point: bad config fails fast, clearly, without a traceback or any output files."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from cdk_app.config import available_environments

ROOT = Path(__file__).resolve().parents[1]


def run_app(tmp_path: Path, context: dict[str, str]) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "CDK_OUTDIR": str(tmp_path / "out"), "CDK_CONTEXT_JSON": json.dumps(context)}
    return subprocess.run(
        [sys.executable, "app.py"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("tier: development\nclients: [\n", "broken.yaml:3: invalid YAML"),
        ("", "the file is empty"),
    ],
)
def test_bad_config_exits_non_zero_with_one_paragraph_and_writes_nothing(
    tmp_path: Path, content: str, expected: str
) -> None:
    config_dir = tmp_path / "config"
    config_dir.mkdir()
    (config_dir / "broken.yaml").write_text(content)
    result = run_app(tmp_path, {"env": "broken", "config_dir": str(config_dir)})
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert expected in result.stderr
    assert "broken.yaml" in result.stderr
    assert not (tmp_path / "out").exists(), "nothing may be written before config is valid"


def test_unknown_environment_lists_the_shipped_ones(tmp_path: Path) -> None:
    result = run_app(tmp_path, {"env": "no-such-env"})
    assert result.returncode == 2
    listed = ", ".join(available_environments())
    assert (
        f"config error in config/: no environment named 'no-such-env'; environments: {listed}\n"
        == result.stderr
    )
    assert "Traceback" not in result.stderr

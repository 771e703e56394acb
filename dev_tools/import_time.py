"""Cold import time of the API function: a fresh interpreter importing ``handler`` vs one importing nothing.

Each run is a new ``sys.executable`` process with ``functions/api`` on ``sys.path``, as in Lambda's
``/var/task``. The difference between the two medians is what the function's imports add to a cold start.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

FUNCTION_DIR = Path(__file__).resolve().parents[1] / "functions" / "api"


def _environment() -> dict[str, str]:
    # The developer's own Python, AWS and Powertools settings would change what is being measured.
    prefixes = ("PYTHON", "AWS_", "POWERTOOLS_", "LAMBDA_")
    env = {key: value for key, value in os.environ.items() if not key.startswith(prefixes)}
    env.update(
        PYTHONPATH=str(FUNCTION_DIR),
        # Lambda cannot write bytecode into /var/task either, and a __pycache__ left in functions/api
        # would be packaged into the asset.
        PYTHONDONTWRITEBYTECODE="1",
        POWERTOOLS_TRACE_DISABLED="1",
        POWERTOOLS_SERVICE_NAME="import-time",
        AWS_DEFAULT_REGION="eu-west-1",
        # Without it the X-Ray SDK takes its off-Lambda path and builds two botocore clients at import
        # (about 0.6 s) that never exist in Lambda, so the figure would not be a cold start's. Like in
        # Lambda, the SDK then touches /tmp/.aws-xray/initialized.
        LAMBDA_TASK_ROOT=str(FUNCTION_DIR),
    )
    return env


def _seconds(code: str, env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", code], env=env, cwd=FUNCTION_DIR, check=True)
    return time.perf_counter() - start


def measure(runs: int = 7) -> tuple[float, float]:
    """Return (median seconds to start an interpreter and import the handler, median seconds to start one).

    Runs alternate between the two so that drift in machine load affects both alike; one discarded
    warm-up of each fills the file cache first. Raises ``CalledProcessError`` if the import fails.
    """
    if runs < 1:
        raise ValueError("runs must be at least 1")
    env = _environment()
    _seconds("import handler", env)
    _seconds("pass", env)
    handler_runs: list[float] = []
    empty_runs: list[float] = []
    for _ in range(runs):
        handler_runs.append(_seconds("import handler", env))
        empty_runs.append(_seconds("pass", env))
    return statistics.median(handler_runs), statistics.median(empty_runs)


if __name__ == "__main__":
    handler_s, empty_s = measure()
    print(f"import handler: {handler_s * 1000:.0f} ms")
    print(f"empty interpreter: {empty_s * 1000:.0f} ms")
    print(f"handler imports add: {(handler_s - empty_s) * 1000:.0f} ms")

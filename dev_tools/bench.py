"""``make bench``: synth and test speed against the floor that Node and jsii set, and set-up time.

Everything runs through the same paths a user takes (the CDK CLI for synth, pytest for tests),
several times, alternating, and the medians are compared. The summary is one line,
``bench: synth_ratio=<R> test_ratio=<T>``. After it, unless ``--no-setup``, come the set-up times of
a fresh clone (dev_tools/setup_time.py), ending with
``bench-setup: clone_to_synth=<S>s clone_to_test=<T>s caches=<warm|cold>``.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from composition.app_settings import APP_SETTINGS

ROOT = Path(__file__).resolve().parents[1]
CDK = ROOT / "node_modules" / ".bin" / "cdk"
# The floor: an app with one empty stack, with the same App settings as the project's app (its
# built-in validator off, too), so synth_ratio is what the project's own code adds.
EMPTY_APP = f"""\
import aws_cdk as cdk

app = cdk.App(**{APP_SETTINGS!r})
cdk.Stack(app, "Empty")
app.synth()
"""
# How `make test` runs pytest; the second run leaves out the adoption test, which runs the suite
# again in an adopted copy of the project (tests/test_adoption.py).
PYTEST = ["-m", "pytest", "-q", "-p", "no:cacheprovider"]
WITHOUT_ADOPTION = ["-m", "not adoption"]


def _run(cmd: list[str], cwd: Path) -> float:
    start = time.perf_counter()
    result = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - start
    if result.returncode != 0:
        raise SystemExit(f"bench: {' '.join(cmd)} failed:\n{result.stdout[-2000:]}{result.stderr[-2000:]}")
    return elapsed


def _synth(app: str, outdir: Path, *context: str) -> list[str]:
    return [str(CDK), "synth", "--quiet", "--app", app, "--output", str(outdir), *context]


def _report(label: str, times: list[float]) -> float:
    value = statistics.median(times)
    print(f"  {label}: median {value:.2f}s of {', '.join(f'{t:.2f}' for t in times)}", flush=True)
    return value


def _median(label: str, runs: int, fn: Callable[[], float]) -> float:
    return _report(label, [fn() for _ in range(runs)])


DESCRIPTION = """\
Measure, through the paths a user takes: the full synth against an empty CDK app (synth_ratio),
the whole test suite against one full synth (test_ratio), the change review against one synth,
the Lambda handler's cold import, and then the set-up of a fresh clone (make setup, the first
make synth, and make test in another clone). Prints medians; the summary line starts with
"bench:", the set-up line with "bench-setup:"."""


def main(argv: list[str] | None = None) -> int:
    """Run the benchmarks and print their figures; exit 0, or with a message when a step fails."""
    parser = argparse.ArgumentParser(prog="make bench (python -m dev_tools.bench)", description=DESCRIPTION)
    parser.add_argument("--runs", type=int, default=5, help="synth runs per variant (default: %(default)s)")
    parser.add_argument("--test-runs", type=int, default=3, help="whole-suite runs (default: %(default)s)")
    parser.add_argument(
        "--no-setup", dest="setup", action="store_false", help="skip the fresh-clone set-up timings"
    )
    parser.add_argument(
        "--caches",
        choices=("warm", "cold"),
        default="warm",
        help="set-up with this machine's uv and npm caches (warm, default) or empty ones (cold: "
        "everything is downloaded)",
    )
    args = parser.parse_args(argv)
    python = sys.executable
    work = Path(tempfile.mkdtemp(prefix="bench-"))
    try:
        empty_dir = work / "empty"
        empty_dir.mkdir()
        (empty_dir / "app.py").write_text(EMPTY_APP)
        (empty_dir / "cdk.json").write_text('{"app": "python app.py"}\n')
        print("synth (CDK CLI, all environments vs an empty app with the same App settings):", flush=True)
        empty_times: list[float] = []
        full_times: list[float] = []
        for i in range(args.runs):  # alternate, so drift in machine load hits both alike
            empty_times.append(_run(_synth(f"{python} app.py", work / f"e{i}"), empty_dir))
            full_times.append(_run(_synth(f"{python} app.py", work / f"f{i}"), ROOT))
        empty = _report("empty app", empty_times)
        full = _report("full app", full_times)

        print("review of one environment vs one synth of it:", flush=True)
        one = _median(
            "synth dev",
            3,
            lambda: _run(_synth(f"{python} app.py", work / "one", "-c", "env=dev"), ROOT),
        )
        review = _median(
            "review dev",
            3,
            lambda: _run([python, "-m", "change_review", "--base", "HEAD", "--env", "dev"], ROOT),
        )
        print(f"  review_ratio={review / one:.2f} (goal: about 2 or less)")

        print("handler cold import (fresh interpreter, handler vs nothing):", flush=True)
        from dev_tools.import_time import measure

        handler, bare = measure()
        print(f"  handler {handler * 1000:.0f} ms, empty interpreter {bare * 1000:.0f} ms, "
              f"difference {(handler - bare) * 1000:.0f} ms")  # fmt: skip

        print("test suite vs one full synth:", flush=True)
        # Exactly as `make test` runs pytest: same interpreter, same environment. Alternated with a
        # run without the adoption test, so drift in machine load hits both alike.
        whole: list[float] = []
        suite: list[float] = []
        for _ in range(args.test_runs):
            whole.append(_run([python, *PYTEST], ROOT))
            suite.append(_run([python, *PYTEST, *WITHOUT_ADOPTION], ROOT))
        tests = _report("pytest (as make test runs it)", whole)
        alone = _report("pytest without the adoption test", suite)
        print(f"  suite_ratio={alone / full:.2f} (the suite once, without its second run in an adopted copy)")
        print(f"bench: synth_ratio={full / empty:.2f} test_ratio={tests / full:.2f}", flush=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    if args.setup:
        from dev_tools.setup_time import report

        report(ROOT, cold=args.caches == "cold")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""``make bench``: synth, review and test speed against the floor that Node and jsii set, and set-up time.

Everything runs through the same paths a user takes (the CDK CLI for synth, ``make test`` for the
tests, ``python -m change_review`` for the review), several times, alternating, and the medians are
compared with an empty CDK app synthesized with the project's App settings. The summary is one line,
``bench: synth_ratio=<R> test_ratio=<T> review_ratio=<V>``; then, unless ``--no-setup``, the set-up
of a fresh clone (dev_tools/setup_time.py), ending with
``bench-setup: clone_to_synth=<S>s clone_to_test=<T>s caches=<warm|cold>``. Each section prints the
machine's load average when it starts, since other jobs on the machine move every figure.
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from change_review import base_cache
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
# `make test` as a user runs it, warm (set up, mypy's cache made): set-up check, lint, pytest.
MAKE_TEST = ["make", "--no-print-directory", "test"]
SLOWEST = 12  # the slowest test phases, listed from the last run


CPU: list[float] = []  # the CPU seconds (user + system, every process it waited for) of each _run


def _run(cmd: list[str], cwd: Path = ROOT) -> tuple[float, str]:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    result = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    CPU.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    if result.returncode != 0:
        raise SystemExit(f"bench: {' '.join(cmd)} failed:\n{result.stdout[-3000:]}{result.stderr[-2000:]}")
    return elapsed, result.stdout


def _timed(cmd: list[str], cwd: Path = ROOT) -> float:
    return _run(cmd, cwd)[0]


def _synth(app: str, outdir: Path, *context: str) -> list[str]:
    return [str(CDK), "synth", "--quiet", "--app", app, "--output", str(outdir), *context]


def _report(label: str, times: list[float]) -> float:
    value = statistics.median(times)
    print(f"  {label}: median {value:.2f}s of {', '.join(f'{t:.2f}' for t in times)}", flush=True)
    return value


def _median(label: str, runs: int, fn: Callable[[], float]) -> float:
    return _report(label, [fn() for _ in range(runs)])


def _section(title: str) -> None:
    one, five, _ = os.getloadavg()
    print(
        f"{title} [load average {one:.2f} (1 min), {five:.2f} (5 min), {os.cpu_count()} cores]:", flush=True
    )


def _synth_ratio(work: Path, runs: int) -> tuple[float, float]:
    """Median full synth (every config/*.yaml) and median empty-app synth, alternated."""
    python = sys.executable
    empty_dir = work / "empty"
    empty_dir.mkdir()
    (empty_dir / "app.py").write_text(EMPTY_APP)
    (empty_dir / "cdk.json").write_text('{"app": "python app.py"}\n')
    _section("synth (CDK CLI, all environments vs an empty app with the same App settings)")
    empty_times: list[float] = []
    full_times: list[float] = []
    empty_cpu: list[float] = []
    full_cpu: list[float] = []
    for i in range(runs):  # alternate, so drift in machine load hits both alike
        empty_times.append(_timed(_synth(f"{python} app.py", work / f"e{i}"), empty_dir))
        empty_cpu.append(CPU[-1])
        full_times.append(_timed(_synth(f"{python} app.py", work / f"f{i}")))
        full_cpu.append(CPU[-1])
    full, empty = _report("full app", full_times), _report("empty app", empty_times)
    # CPU time moves less than wall time when other jobs share the machine.
    cpu_full, cpu_empty = statistics.median(full_cpu), statistics.median(empty_cpu)
    print(f"  CPU s (medians): full {cpu_full:.2f}, empty {cpu_empty:.2f}, ratio {cpu_full / cpu_empty:.2f}")
    return full, empty


def _review_ratio(work: Path) -> float:
    python = sys.executable
    _section("review of one environment vs one synth of it")
    one = _median("synth dev", 3, lambda: _timed(_synth(f"{python} app.py", work / "one", "-c", "env=dev")))
    command = [python, "-m", "change_review", "--base", "HEAD", "--env", "dev"]
    # The first review of a base synthesizes both trees at once; later ones read the kept base
    # (change_review/base_cache.py), which is what a person re-running the review meets.
    shutil.rmtree(ROOT / base_cache.CACHE_DIR, ignore_errors=True)
    first = _timed(command)
    print(f"  review dev, first (both trees synthesized in parallel): {first:.2f}s, ratio {first / one:.2f}")
    review = _median("review dev, base kept", 3, lambda: _timed(command))
    return review / one


def _make_test(runs: int) -> float:
    """Median of warm ``make test`` runs; the last one also lists where pytest's time went."""
    _section("make test, warm (set-up check, lint, pytest on every core)")
    _timed(MAKE_TEST)  # warms mypy's cache and the OS's file cache; not counted
    times: list[float] = []
    for i in range(runs):
        durations = [f"PYTEST_ARGS=--durations={SLOWEST}"] if i == runs - 1 else []
        elapsed, output = _run([*MAKE_TEST, *durations])
        times.append(elapsed)
    median = _report("make test", times)
    pytest_time = re.findall(r" in ([\d.]+)s", output)
    lint = _timed(["make", "--no-print-directory", "lint"])
    print(f"  of which: make lint alone {lint:.2f}s; pytest's own clock (last run) {pytest_time[-1]}s")
    print(
        f"  the slowest test phases of the last run (workers run them side by side, {os.cpu_count()} cores):"
    )
    for line in re.findall(r"^\d+\.\d+s (?:setup|call|teardown) .*$", output, re.M)[:SLOWEST]:
        print(f"    {line[:150]}")
    return median


DESCRIPTION = """\
Measure, through the paths a user takes: the full synth against an empty CDK app (synth_ratio), a
warm make test against one empty-app synth (test_ratio), the change review against one synth
(review_ratio), the Lambda handler's cold import, where a synth's time goes, the adoption test
(make test-adoption, once) and then the set-up of a fresh clone (make setup, the first make synth,
and make test in another clone).
Prints medians and load averages; the summary line starts with "bench:", the set-up line with
"bench-setup:"."""


def main(argv: list[str] | None = None) -> int:
    """Run the benchmarks and print their figures; exit 0, or with a message when a step fails."""
    parser = argparse.ArgumentParser(prog="make bench (python -m dev_tools.bench)", description=DESCRIPTION)
    parser.add_argument("--runs", type=int, default=5, help="synth runs per variant (default: %(default)s)")
    parser.add_argument("--test-runs", type=int, default=3, help="warm make test runs (default: %(default)s)")
    parser.add_argument("--no-profile", dest="profile", action="store_false", help="skip the synth profile")
    parser.add_argument(
        "--no-adoption", dest="adoption", action="store_false", help="skip timing make test-adoption"
    )
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
    work = Path(tempfile.mkdtemp(prefix="bench-"))
    try:
        full, empty = _synth_ratio(work, args.runs)
        print(f"  synth_ratio={full / empty:.2f} (goal: 2.0 or less)")
        review_ratio = _review_ratio(work)
        print(f"  review_ratio={review_ratio:.2f} (goal: 1.0 or less)")
        _section("handler cold import (fresh interpreter, handler vs nothing)")
        from dev_tools.import_time import measure

        handler, bare = measure()
        print(f"  handler {handler * 1000:.0f} ms, empty interpreter {bare * 1000:.0f} ms, "
              f"difference {(handler - bare) * 1000:.0f} ms")  # fmt: skip
        tests = _make_test(args.test_runs)
        print(f"  test_ratio={tests / empty:.2f} empty-app synths (goal: 25 or less)")
        if args.profile:
            _section("where a synth's time goes (python -m dev_tools.synth_profile, one run per variant)")
            from dev_tools.synth_profile import main as profile

            profile(["--runs", "1"])
        if args.adoption:
            _section("make test-adoption (the suite again in an adopted copy; CI runs it after make test)")
            print(f"  make test-adoption: {_timed(['make', '--no-print-directory', 'test-adoption']):.2f}s")
        print(
            f"bench: synth_ratio={full / empty:.2f} test_ratio={tests / empty:.2f} "
            f"review_ratio={review_ratio:.2f}",
            flush=True,
        )
    finally:
        shutil.rmtree(work, ignore_errors=True)
    if args.setup:
        from dev_tools.setup_time import report

        _section("set-up")
        report(ROOT, cold=args.caches == "cold")
    return 0


if __name__ == "__main__":
    sys.exit(main())

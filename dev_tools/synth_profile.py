"""Where a synth's time goes, beyond the empty app ``make bench`` compares it with.

``python -m dev_tools.synth_profile`` runs the app's steps in fresh interpreters (as the CDK CLI's
app process does) and prints seconds per step: loading the config, importing aws_cdk (which starts
jsii's Node process), cdk-nag and the stacks' CDK modules, building each environment (each stack),
and synthesis with each combination of cdk-nag packs; and how many jsii round trips the app makes.
It measures the app process only; the CDK CLI's own start is the same for every app.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
PACKS = {"none": (), "AwsSolutions": ("AwsSolutionsChecks",), "Serverless": ("ServerlessChecks",)}
PACKS["both"] = PACKS["AwsSolutions"] + PACKS["Serverless"]
STACK = "stack "  # steps that are part of an environment's build
TOP = 12  # the jsii round-trip targets (and repeats) listed
# Seconds Python waited for Node's answers: to every request, and to the exact repeats.
WAITED = {"all": 0.0, "repeats": 0.0}


def _empty_child() -> dict[str, Any]:
    """The bench's floor in the same terms: an app with one empty stack and the same App settings."""
    start = time.perf_counter()
    import aws_cdk as cdk

    from composition.app_settings import APP_SETTINGS

    app = cdk.App(outdir=str(Path.cwd() / "cdk.out"), **APP_SETTINGS)
    cdk.Stack(app, "Empty")
    app.synth()
    return {"steps": {"empty app": time.perf_counter() - start}}


def _child(packs: tuple[str, ...], names: list[str] | None) -> dict[str, Any]:
    """One fresh-interpreter run of the app's steps; seconds per step, and jsii round trips."""
    steps: dict[str, float] = {}
    last = time.perf_counter()

    def lap(step: str) -> None:
        nonlocal last
        now = time.perf_counter()
        steps[step] = steps.get(step, 0.0) + now - last
        last = now

    from cdk_app.config.loading import load_project

    project = load_project(names=names)  # every config/*.yaml unless names are given
    lap("config: import and load")
    import aws_cdk as cdk

    lap("import aws_cdk (starts jsii and Node)")
    import cdk_nag

    lap("import cdk_nag")
    import stacks.stage as stage
    from composition.app_builder import feature_flags
    from composition.app_settings import APP_SETTINGS

    lap("import the stacks (CDK modules)")
    trips, targets, repeats = _count_round_trips()
    for name in ("IdentityStack", "ApiStack", "CertificateStack"):
        setattr(stage, name, _timed(getattr(stage, name), steps, name.removesuffix("Stack")))
    app = cdk.App(outdir=str(Path.cwd() / "cdk.out"), context=feature_flags(), **APP_SETTINGS)
    lap("app")
    for env in project.standalone:
        stage.EnvironmentStage(app, env)
        lap(f"build {env.name}")
    if packs:
        cdk.Validations.of(app).add_plugins(*(getattr(cdk_nag, p)(app) for p in packs))
    lap("app")
    building = dict(WAITED)  # the builds' requests; synth is one more, answered when Node is done
    app.synth()
    lap("synth")
    repeated = {k: n - 1 for k, n in repeats.items() if n > 1}
    return {
        "steps": steps,
        "round_trips": sum(trips.values()),
        "by_kind": dict(trips),
        "by_target": dict(targets.most_common(TOP)),
        "repeated": sum(repeated.values()),
        "waited": building["all"],
        "waited_on_repeats": building["repeats"],
        "most_repeated": dict(Counter(repeated).most_common(TOP)),
    }


def _timed(cls: Any, steps: dict[str, float], label: str) -> Any:
    """``cls`` whose construction time is added to ``steps`` under ``stack <label>``."""

    def build(*args: Any, **kwargs: Any) -> Any:
        start = time.perf_counter()
        try:
            return cls(*args, **kwargs)
        finally:
            key = f"{STACK}{label}"
            steps[key] = steps.get(key, 0.0) + time.perf_counter() - start

    return build


def _count_round_trips() -> tuple[Counter[str], Counter[str], Counter[str]]:
    """Count every request Python sends to jsii's Node process: by kind, by target (the class and
    member it reaches), and the exact repeats (the same request, same object and arguments, again)."""
    from jsii._kernel.providers import process

    kinds: Counter[str] = Counter()
    targets: Counter[str] = Counter()
    repeats: Counter[str] = Counter()
    send = process._NodeProcess.send

    def counted(self: Any, request: Any, response_type: Any) -> Any:
        kind = type(request).__name__.removesuffix("Request")
        kinds[kind] += 1
        target = _target(kind, request)
        targets[target] += 1
        same = f"{target} {_same(request)}"
        repeats[same] += 1
        start = time.perf_counter()
        try:
            return send(self, request, response_type)
        finally:
            waited = time.perf_counter() - start
            WAITED["all"] += waited
            if repeats[same] > 1:
                WAITED["repeats"] += waited

    process._NodeProcess.send = counted  # type: ignore[method-assign]
    return kinds, targets, repeats


def _target(kind: str, request: Any) -> str:
    """``Kind class.member`` of a jsii request (an object's class is the prefix of its reference)."""
    objref = getattr(request, "objref", None)
    owner = objref.ref.split("@")[0] if objref is not None else getattr(request, "fqn", "")
    member = getattr(request, "property", None) or getattr(request, "method", None) or ""
    return f"{kind} {owner}.{member}".rstrip(".")


def _same(request: Any) -> str:
    """What makes two requests the same: the object (if any) and the arguments (or value)."""
    objref = getattr(request, "objref", None)
    parts = [objref.ref if objref is not None else "", repr(getattr(request, "args", None))]
    return " ".join(parts)[:200]


def _run(variant: str, names: list[str] | None) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="synth-profile-") as work:
        done = subprocess.run(
            [sys.executable, "-m", "dev_tools.synth_profile", "--child", variant, *(names or [])],
            cwd=work,
            env=_environment(),
            capture_output=True,
            text=True,
            check=False,
        )
    if done.returncode != 0:
        raise SystemExit(f"synth_profile: the {variant} run failed:\n{done.stderr[-3000:]}")
    result: dict[str, Any] = json.loads(done.stdout.splitlines()[-1])
    return result


def _environment() -> dict[str, str]:
    import os

    from composition.node_runtime import prefer_project_node

    prefer_project_node()
    return {**os.environ, "PYTHONPATH": str(ROOT)}


def _listing(counts: dict[str, int], sep: str = "; ") -> str:
    return sep.join(f"{n} x {what}" for what, n in counts.items())


def _medians(runs: list[dict[str, Any]]) -> dict[str, float]:
    return {step: statistics.median(r["steps"][step] for r in runs) for step in runs[0]["steps"]}


def main(argv: list[str] | None = None) -> int:
    """Print the profile (medians of ``--runs`` fresh runs per variant)."""
    parser = argparse.ArgumentParser(prog="python -m dev_tools.synth_profile", description=__doc__)
    parser.add_argument("--runs", type=int, default=3, help="fresh runs per variant (default: %(default)s)")
    parser.add_argument("--child", choices=[*sorted(PACKS), "empty"], help=argparse.SUPPRESS)
    parser.add_argument("env", nargs="*", help="environments (default: every config/*.yaml)")
    args = parser.parse_args(argv)
    names = args.env or None
    if args.child:
        child = _empty_child() if args.child == "empty" else _child(PACKS[args.child], names)
        print(json.dumps(child))
        return 0
    runs: dict[str, list[dict[str, Any]]] = {variant: [] for variant in [*PACKS, "empty"]}
    for _ in range(args.runs):  # alternate, so drift in machine load hits every variant alike
        for variant in runs:
            runs[variant].append(_run(variant, names))
    both = _medians(runs["both"])
    print(f"synth profile of the app process (seconds, medians of {args.runs} fresh runs, both nag packs):")
    steps = {k: v for k, v in both.items() if not k.startswith(STACK)}
    for step, seconds in steps.items():
        print(f"  {step:<40} {seconds:6.3f}")
    print(f"  {'total':<40} {sum(steps.values()):6.3f}")
    print(f"  {'the empty app, for comparison':<40} {_medians(runs['empty'])['empty app']:6.3f}")
    trips = runs["both"][0]
    kinds = ", ".join(f"{k} {n}" for k, n in sorted(trips["by_kind"].items(), key=lambda kv: -kv[1]))
    print(f"  jsii round trips: {trips['round_trips']} ({kinds})")
    print(f"    most frequent (all environments): {_listing(trips['by_target'])}")
    print(
        f"    building waited {trips['waited']:.3f} s for the answers, {trips['waited_on_repeats']:.2f} s on "
        f"{trips['repeated']} exact repeats of an earlier request; most repeated:"
    )
    print(f"      {_listing(trips['most_repeated'], sep=chr(10) + '      ')}")
    print("of the builds, by stack (all environments):")
    for step, seconds in both.items():
        if step.startswith(STACK):
            print(f"  {step.removeprefix(STACK):<40} {seconds:6.3f}")
    print("synth step by cdk-nag packs:")
    for variant in PACKS:
        print(f"  {variant:<40} {_medians(runs[variant])['synth']:6.3f}")
    cost = both["import cdk_nag"] + both["synth"] - _medians(runs["none"])["synth"]
    print(f"  cdk-nag in all (import cdk_nag, and synth with both packs over none): {cost:6.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

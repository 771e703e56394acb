"""``make bench-scale`` (and the end of ``make bench``): how synth grows with tenants.

Copies the shipped ``config/prod.yaml`` into a temporary config directory, adds 0, 50, 150 and 300
SAML tenants (each with its own ~4 KB metadata file and web client, ``dev_tools.tenant_files``),
synthesizes prod through the CDK CLI for each, and prints one row per count: synth time, and the
largest template's bytes, resources and outputs. Nothing is committed: the tenants are written to
temporary directories (metadata inside the repository, under ``.bench/``, as metadata must be) and
removed after. The goal: 300 tenants synthesize in at most 2x the shipped prod.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
import time
from pathlib import Path

from cdk_app.template_limits import MAX_OUTPUTS, MAX_RESOURCES, MAX_TEMPLATE_BYTES
from dev_tools.bench import ROOT, _run, _synth
from dev_tools.tenant_files import tenant_names, write_tenants

COUNTS = (0, 50, 150, 300)


def _largest(outdir: Path) -> tuple[int, int, int, str]:
    """(bytes, resources, outputs, stack) of the largest template in a cloud assembly."""
    best = (0, 0, 0, "")
    for path in outdir.rglob("*.template.json"):
        template = json.loads(path.read_text(encoding="utf-8"))
        size = path.stat().st_size
        row = (size, len(template.get("Resources", {})), len(template.get("Outputs", {})), path.name)
        best = max(best, row)
    return best


def main(argv: list[str] | None = None) -> int:
    """Print the scale table; exit 1 if a count breaks a limit or 300 tenants miss the 2x goal."""
    parser = argparse.ArgumentParser(prog="make bench-scale (python -m dev_tools.bench_scale)")
    parser.add_argument("--counts", type=int, nargs="+", default=list(COUNTS))
    args = parser.parse_args(argv)
    python = sys.executable
    work = Path(tempfile.mkdtemp(prefix="bench-scale-"))
    metadata = Path(tempfile.mkdtemp(prefix="scale-", dir=_bench_dir()))
    failed = False
    try:
        print("tenants | synth s | ratio | largest template | bytes | resources | outputs", flush=True)
        baseline = None
        for count in args.counts:
            config = work / f"config-{count}"
            config.mkdir()
            shutil.copy(ROOT / "config" / "prod.yaml", config / "prod.yaml")
            with (config / "prod.yaml").open("a", encoding="utf-8") as handle:
                # prod's own 3 providers and 300 tenants pass Cognito's default 300: as an account
                # with a raised quota would, say so (templates do not change).
                handle.write("quotas: {identity_providers: 400}\n")
            write_tenants(config, "prod", tenant_names(count), metadata / str(count))
            outdir = work / f"out-{count}"
            start = time.perf_counter()
            _run(_synth(f"{python} app.py", outdir, "-c", "env=prod", "-c", f"config_dir={config}"), ROOT)
            elapsed = time.perf_counter() - start
            baseline = elapsed if baseline is None else baseline
            size, resources, outputs, stack = _largest(outdir)
            over = size > MAX_TEMPLATE_BYTES or resources > MAX_RESOURCES or outputs > MAX_OUTPUTS
            failed |= over
            print(
                f"{count:7d} | {elapsed:7.1f} | {elapsed / baseline:5.2f} | {stack:16.16s} | {size:,} | "
                f"{resources} | {outputs}{'  OVER A LIMIT' if over else ''}",
                flush=True,
            )
        print("goal: 300 tenants at most 2x the shipped prod (ratio column, 0 tenants = the shipped prod)")
    finally:
        shutil.rmtree(work, ignore_errors=True)
        shutil.rmtree(metadata, ignore_errors=True)
    return 1 if failed else 0


def _bench_dir() -> Path:
    path = ROOT / ".bench"
    path.mkdir(exist_ok=True)
    return path


if __name__ == "__main__":
    sys.exit(main())

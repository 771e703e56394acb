"""``make lint``'s lock check: each lock still is what ``make lock`` makes of its requirements.

The requirement files hold the pins a person edits: requirements.txt for the CDK app and
requirements-dev.txt for the tools (locked together into requirements.lock, which ``make setup``
installs into .venv), and requirements-emulator.txt for the local emulator's own venv (locked into
requirements-emulator.lock). A lock holds every package its requirements pull in, each with its
hashes. This check needs no network, so it runs offline in lint and in the tests. It fails when:

- a requirement is not pinned with ``==``, or the lock has another version of it (edited, not relocked);
- a requirement is missing from the lock;
- a locked package is no longer needed: nothing in the requirements leads to it through the lock's
  ``# via`` lines (a pin was removed, not relocked);
- a locked package has no ``--hash``.

Usage: ``python -m dev_tools.lock_check`` checks every lock (app and tools, emulator, audit);
``--lock LOCK REQUIREMENTS...`` checks one. Exit 0 when they match, 1 with one line per problem, 2
when a file cannot be read.
"""

from __future__ import annotations

import argparse
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

# Each lock and the requirement file it is made from (``-r`` includes are followed).
LOCKS = {
    Path("requirements.lock"): (Path("requirements-dev.txt"),),
    Path("requirements-emulator.lock"): (Path("requirements-emulator.txt"),),
    Path("requirements-audit.lock"): (Path("requirements-audit.txt"),),
}
FIX = "run `make lock`"
_ENTRY = re.compile(r"^(?P<name>[A-Za-z0-9][A-Za-z0-9._-]*)==(?P<version>[^\s;\\]+)")
_PIN = re.compile(
    r"^(?P<name>[A-Za-z0-9][A-Za-z0-9._-]*)(\[[^\]]*\])?\s*(?P<op>[=<>!~]=?=?)?\s*(?P<version>[^\s;#]*)"
)


def normalize(name: str) -> str:
    """The package name as PyPI and the lock compare it (PEP 503): lower case, runs of ``-_.`` as ``-``."""
    return re.sub(r"[-_.]+", "-", name).lower()


@dataclass
class Locked:
    """One package in the lock: its versions (one per marker set), hash count and ``# via`` sources."""

    versions: set[str] = field(default_factory=set)
    hashes: int = 0
    via: set[str] = field(default_factory=set)


def read_requirements(path: Path, seen: set[Path] | None = None) -> dict[str, tuple[str, str, Path]]:
    """Each requirement as ``name -> (operator, version, file)``, following ``-r`` includes."""
    seen = seen if seen is not None else set()
    if path in seen:
        return {}
    seen.add(path)
    found: dict[str, tuple[str, str, Path]] = {}
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.split(" #", 1)[0].strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith(("-r ", "--requirement ")):
            found.update(read_requirements(path.parent / line.split(maxsplit=1)[1], seen))
            continue
        match = _PIN.match(line)
        if match:
            found[normalize(match["name"])] = (match["op"] or "", match["version"], path)
    return found


def read_lock(path: Path) -> dict[str, Locked]:
    """Every package of a ``uv pip compile --generate-hashes`` lock, by normalized name."""
    locked: dict[str, Locked] = {}
    current: Locked | None = None
    in_via = False
    for raw in path.read_text(encoding="utf-8").splitlines():
        entry = _ENTRY.match(raw)
        if entry:
            current = locked.setdefault(normalize(entry["name"]), Locked())
            current.versions.add(entry["version"])
            in_via = False
            continue
        stripped = raw.strip()
        if current is None or not raw.startswith(" "):
            in_via = False
            continue
        if stripped.startswith("--hash="):
            current.hashes += 1
        elif stripped.startswith("# via"):
            rest = stripped.removeprefix("# via").strip()
            in_via = not rest
            if rest:
                current.via.add(rest)
        elif in_via and stripped.startswith("#"):
            current.via.add(stripped.lstrip("#").strip())
    return locked


def problems(lock_path: Path, requirement_paths: tuple[Path, ...]) -> list[str]:
    """One line per way the lock differs from the requirements; empty when it matches."""
    wanted: dict[str, tuple[str, str, Path]] = {}
    for path in requirement_paths:
        wanted.update(read_requirements(path))
    locked = read_lock(lock_path)
    lock = lock_path.name
    found: list[str] = []
    for name, (op, version, where) in sorted(wanted.items()):
        if op != "==":
            found.append(f"{where.name}: {name} must be pinned with == (the lock holds the exact version)")
        elif name not in locked:
            found.append(f"{lock}: {name} is required by {where.name} but not locked; {FIX}")
        elif locked[name].versions != {version}:
            have = ", ".join(sorted(locked[name].versions))
            found.append(f"{lock}: {name} is {have}, {where.name} pins {version}; {FIX}")
    # A package is needed if a requirement names it, or a needed package pulls it in.
    needed = {name for name in wanted if name in locked}
    changed = True
    while changed:
        changed = False
        for name, entry in locked.items():
            if name not in needed and any(normalize(source) in needed for source in entry.via):
                needed.add(name)
                changed = True
    for name, entry in sorted(locked.items()):
        if name not in needed:
            found.append(f"{lock}: {name} is locked but nothing in the requirements needs it; {FIX}")
        if entry.hashes == 0:
            found.append(f"{lock}: {name} has no --hash; {FIX}")
    return found


def main(argv: list[str] | None = None) -> int:
    """Check the lock against the requirements; print one line per problem."""
    parser = argparse.ArgumentParser(
        prog="python -m dev_tools.lock_check",
        description="Check offline that each lock matches its requirement files: requirements.lock "
        "(from requirements-dev.txt and the requirements.txt it includes) and requirements-emulator.lock "
        "(from requirements-emulator.txt). Prints one line per problem.",
    )
    parser.add_argument("--lock", type=Path, help="check only this lock, against REQUIREMENTS")
    parser.add_argument("requirements", nargs="*", type=Path, help="requirement files (-r includes followed)")
    args = parser.parse_args(argv)
    if bool(args.lock) != bool(args.requirements):
        parser.error("--lock and REQUIREMENTS go together")
    pairs = {args.lock: tuple(args.requirements)} if args.lock else LOCKS
    try:
        found = [line for lock, requirements in pairs.items() for line in problems(lock, requirements)]
    except OSError as error:
        print(f"lock_check: cannot read {error.filename}: {error.strerror}", file=sys.stderr)
        return 2
    for line in found:
        print(line, file=sys.stderr)
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())

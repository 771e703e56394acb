"""``make outputs ENV=<env> [CLIENT=name]``: write a browser app's configuration from the deployed stacks.

The document (``lib.front_end``) goes to ``examples/spa/config/<env>.json``. Guarantees: only a
``spa`` client is accepted; with ``--outputs-file`` no AWS call is made and no credentials are needed;
every failure is one line naming the environment, the client or the file, never a traceback.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from operator_tools.lib.cli import run_cli
from operator_tools.lib.environment import choose_environment
from operator_tools.lib.front_end import choose_browser_client, write_frontend_config
from operator_tools.local.target import open_deployment


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="outputs", description="Write a browser app's config from the outputs."
    )
    parser.add_argument("--env", default="", help="environment name (config/<env>.yaml)")
    parser.add_argument("--client", help="a spa client's name (default: the environment's first spa client)")
    parser.add_argument("--outputs-file", type=Path, help="read outputs from cdk deploy --outputs-file")
    parser.add_argument(
        "--output", type=Path, help="where to write (default: examples/spa/config/<env>.json)"
    )
    return parser


def main(argv: list[str] | None = None) -> int:
    """CLI entry point: prints where the document went and what it points at."""
    args = _parser().parse_args(argv)

    def body() -> int:
        config = choose_environment(args.env, "outputs")
        client = choose_browser_client(config, args.client)
        # A tenant's client ID is an SSM parameter, read beside the outputs.
        calls_aws = config.tenant_of_client(client.name) is not None
        deployed = open_deployment(
            config, verb="outputs", outputs_file=args.outputs_file, calls_aws=calls_aws
        )
        path, document = write_frontend_config(config, deployed.outputs_for(client), client, args.output)
        print(f"outputs: wrote {path} for client {client.name!r} of {config.name!r}")
        print(f"  sign-in  {document['oidc']['metadata']['authorization_endpoint']}")
        print(f"  API      {document['api']['base_url']}")
        return 0

    return run_cli("outputs", body)


if __name__ == "__main__":
    sys.exit(main())

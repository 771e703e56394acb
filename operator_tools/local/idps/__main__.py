"""``python -m operator_tools.local.idps start|status|stop|groups``: the local IdPs by hand.

``make up`` and ``make down`` call ``lifecycle`` directly; this is for a person (or a test) who wants
the IdPs without the rest. Errors are one line (``run_cli``); no password or secret is ever printed.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from operator_tools.lib.cli import run_cli
from operator_tools.lib.errors import UsageError
from operator_tools.local.idps import lifecycle
from operator_tools.local.idps.layout import STATE_DIR

PROG = "python -m operator_tools.local.idps"


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog=PROG, description="Start, report or stop the local IdPs.")
    parser.add_argument("--state-dir", type=Path, default=STATE_DIR, help="default: .local/idps")
    verbs = parser.add_subparsers(dest="verb", required=True)
    start = verbs.add_parser("start", help="start (or reuse) the IdPs named by the options")
    start.add_argument("--saml-url", help="https://127.0.0.1:<port>/<path>: entity ID, metadata and SSO URL")
    start.add_argument("--sp-metadata", type=Path, help="the SP metadata file (make sp-metadata writes it)")
    start.add_argument("--oidc-issuer", help="https://127.0.0.1:<port>")
    start.add_argument("--oidc-client-id", default="cognito-local")
    start.add_argument("--oidc-redirect-uri", action="append", default=[], help="repeatable")
    start.add_argument("--gateway", help="where a browser is sent for Cognito's host names (the emulator)")
    verbs.add_parser("status", help="the IdPs running from the state directory")
    verbs.add_parser("stop", help="stop the IdPs this state directory started")
    groups = verbs.add_parser("groups", help="set a test user's groups (its next sign-in asserts them)")
    groups.add_argument("kind", choices=["saml", "oidc"])
    groups.add_argument("group", nargs="*")
    return parser


def _start(args: argparse.Namespace) -> list[lifecycle.RunningIdp]:
    saml = oidc = None
    if args.saml_url or args.sp_metadata:
        if not (args.saml_url and args.sp_metadata):
            raise UsageError("--saml-url and --sp-metadata go together")
        saml = lifecycle.SamlIdpSpec(args.saml_url, args.sp_metadata, args.gateway)
    if args.oidc_issuer:
        redirects = tuple(args.oidc_redirect_uri)
        oidc = lifecycle.OidcIdpSpec(args.oidc_issuer, args.oidc_client_id, redirects, args.gateway)
    if saml is None and oidc is None:
        raise UsageError("name an IdP to start: --saml-url/--sp-metadata and/or --oidc-issuer")
    return lifecycle.start(saml, oidc, state_dir=args.state_dir)


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)

    def body() -> int:
        if args.verb == "start":
            for idp in _start(args):
                print(*idp.summary(), sep="\n")
        elif args.verb == "status":
            running = lifecycle.status(args.state_dir)
            for idp in running:
                print(*idp.summary(), sep="\n")
            if not running:
                print("no local IdP is running")
        elif args.verb == "stop":
            stopped = lifecycle.stop(args.state_dir)
            print(f"stopped: {', '.join(stopped)}" if stopped else "no local IdP was running")
        else:
            lifecycle.set_user_groups(args.kind, tuple(args.group), args.state_dir)
            print(f"{args.kind} test user's groups: {', '.join(args.group) or 'none'}")
        return 0

    return run_cli(PROG, body)


if __name__ == "__main__":
    sys.exit(main())

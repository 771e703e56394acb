"""``make sp-metadata ENV=<env> [PROVIDER=<name>] [FILE=<path>]``: the pool's SAML service-provider
metadata, the document a SAML IdP's administrator imports to trust the pool.

Reads the entity ID and the ACS URL from the deployed Identity stack's outputs (``SamlSpEntityId``,
``SamlAcsUrl``: the stack has them when the environment has SAML providers), and the certificates from
Cognito when the provider needs them: the pool's signing certificate (``GetSigningCertificate``) when
it signs requests or IdP sign-out is on, the provider's encryption certificate
(``DescribeIdentityProvider``) when its assertions are encrypted. The document itself is
``operator_tools.lib.saml_sp_metadata``.

Guarantees: writes the document to ``FILE`` (or standard output) and exits 0; a one-line error and
exit 1 for an environment with no SAML provider, a stack without the outputs, or a refused Cognito
call; exit 2 for an unknown environment or provider. Needs read access to the stacks
(``cloudformation:DescribeStacks``) and, only when a certificate is needed,
``cognito-idp:GetSigningCertificate`` / ``cognito-idp:DescribeIdentityProvider``.

Usage: ``make sp-metadata ENV=prod PROVIDER=AcmeCorp FILE=acme-sp.xml``, or
``python -m operator_tools.verbs.sp_metadata --env prod [--provider AcmeCorp] [--file acme-sp.xml]
[--name-id-format persistent] [--outputs-file outputs.json]``
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

from cdk_app.config import EnvironmentConfig
from cdk_app.config.federation import SamlConfig
from cdk_app.contracts import IDENTITY_STACK, IdentityOutputs, stack_name
from operator_tools.lib.cli import run_cli
from operator_tools.lib.environment import choose_environment
from operator_tools.lib.errors import ToolError, UsageError
from operator_tools.lib.saml_sp_metadata import NAME_ID_FORMATS, ServiceProvider, sp_metadata
from operator_tools.lib.stack_outputs import StackOutputs
from operator_tools.local.target import open_deployment

PROG = "sp-metadata"


def choose_provider(config: EnvironmentConfig, name: str) -> SamlConfig:
    """The SAML provider ``name``, or the environment's only one when no name is given."""
    providers = config.identity_providers.saml
    if not providers:
        raise ToolError(
            f"environment {config.name!r} has no SAML provider (identity_providers.saml), so there is no "
            "SAML service-provider metadata to write"
        )
    listed = ", ".join(p.name for p in providers)
    if not name:
        if len(providers) == 1:
            return providers[0]
        raise UsageError(
            f"{config.name} has {len(providers)} SAML providers; choose one with PROVIDER= ({listed})"
        )
    found = next((p for p in providers if p.name == name), None)
    if found is None:
        raise UsageError(f"{config.name} has no SAML provider named {name!r}; SAML providers: {listed}")
    return found


def needs_cognito(saml: SamlConfig) -> bool:
    """Whether the document needs a certificate only Cognito has."""
    return saml.sign_requests or saml.idp_signout or saml.encrypted_assertions


def service_provider(
    config: EnvironmentConfig, saml: SamlConfig, outputs: StackOutputs, cognito: Any, name_id_format: str
) -> ServiceProvider:
    """The pool as ``saml``'s service provider: outputs from the stack, certificates from Cognito."""
    entity_id = _output(config, IdentityOutputs.SAML_SP_ENTITY_ID, outputs.saml_sp_entity_id)
    acs_url = _output(config, IdentityOutputs.SAML_ACS_URL, outputs.saml_acs_url)
    pool = outputs.user_pool_id
    signs = saml.sign_requests or saml.idp_signout
    return ServiceProvider(
        entity_id=entity_id,
        acs_url=acs_url,
        name_id_format=NAME_ID_FORMATS[name_id_format],
        requests_signed=saml.sign_requests,
        signing_certificate=_call(cognito, "GetSigningCertificate", UserPoolId=pool)["Certificate"]
        if signs
        else None,
        encryption_certificate=_encryption_certificate(cognito, pool, saml.name)
        if saml.encrypted_assertions
        else None,
        sign_out=saml.idp_signout,
    )


def _output(config: EnvironmentConfig, key: str, value: str | None) -> str:
    if not value:
        raise ToolError(
            f"stack {stack_name(config.name, IDENTITY_STACK)} has no output {key!r}; deploy {config.name} "
            f"with its SAML providers first (make deploy ENV={config.name})"
        )
    return value


def _encryption_certificate(cognito: Any, pool: str, provider: str) -> str:
    answer = _call(cognito, "DescribeIdentityProvider", UserPoolId=pool, ProviderName=provider)
    certificate = answer["IdentityProvider"].get("ProviderDetails", {}).get("ActiveEncryptionCertificate")
    if not certificate:
        raise ToolError(
            f"Cognito returned no ActiveEncryptionCertificate for provider {provider!r}, although it "
            "expects encrypted assertions; is the deployed provider up to date?"
        )
    return str(certificate)


def _call(cognito: Any, operation: str, **params: str) -> Any:
    method = "".join(f"_{c.lower()}" if c.isupper() else c for c in operation).lstrip("_")
    try:
        return getattr(cognito, method)(**params)
    except ClientError as exc:
        error = exc.response.get("Error", {})
        raise ToolError(f"{operation} failed: {error.get('Code')}: {error.get('Message', '')}") from None
    except BotoCoreError as exc:
        raise ToolError(f"{operation} failed: {exc}") from None


def write(document: str, file: Path | None) -> None:
    """The document to ``file``, or to standard output."""
    if file is None:
        sys.stdout.write(document)
        return
    try:
        file.write_text(document, encoding="utf-8")
    except OSError as exc:
        raise ToolError(f"cannot write {file}: {exc.strerror or exc}") from None


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=PROG, description="Write the pool's SAML service-provider metadata for an IdP."
    )
    parser.add_argument("--env", default="", help="environment name (config/<env>.yaml)")
    parser.add_argument("--provider", default="", help="the SAML provider (needed when there are several)")
    parser.add_argument("--file", type=Path, help="write the document here (default: standard output)")
    parser.add_argument("--name-id-format", choices=sorted(NAME_ID_FORMATS), default="persistent")
    parser.add_argument("--outputs-file", type=Path, help="read the stack outputs from a cdk --outputs-file")
    return parser


def main(argv: list[str] | None = None) -> int:
    """CLI entry point: choose the provider, read the outputs (and certificates), write the document."""
    args = _parser().parse_args(argv)

    def body() -> int:
        config = choose_environment(args.env, PROG)
        saml = choose_provider(config, args.provider)
        deployed = open_deployment(
            config, verb=PROG, outputs_file=args.outputs_file, calls_aws=needs_cognito(saml)
        )
        cognito = deployed.client("cognito-idp") if needs_cognito(saml) else None
        sp = service_provider(config, saml, deployed.outputs, cognito, args.name_id_format)
        write(sp_metadata(sp), args.file)
        if args.file is not None:
            print(f"wrote {args.file}: SAML SP metadata for {saml.name} in {config.name}")
            print(f"  entity ID {sp.entity_id}, ACS {sp.acs_url}")
        return 0

    return run_cli(PROG, body)


if __name__ == "__main__":
    sys.exit(main())

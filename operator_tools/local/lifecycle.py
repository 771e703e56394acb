"""A whole SSO deployment on the embedded emulator, and its removal: what ``make up`` / ``make down``
(``verbs/up.py``, ``verbs/down.py``) and the end-to-end tests (tests/e2e, tests/browser) run.

``bring_up``, in order: start the emulator (or reuse the running one), bootstrap it once, publish the
Powertools layer the environment's config names, deploy the environment's stacks with the real CDK
CLI (only what changed), create the test user, and run the smoke test. ``take_down`` destroys the
stacks and stops the emulator this project started. Each step is timed on the caller's ``Timer``.

Guarantees: only environments whose config says ``deploy_target: emulator`` are accepted, and
they only ever reach the emulator (see ``operator_tools.local.aws``); a failed step stops
``bring_up`` with a ``ToolError`` naming it; the test user's password is never printed.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from cdk_app.config import EnvironmentConfig
from operator_tools.lib.cdk_cli import deploy_command, destroy_command
from operator_tools.lib.errors import ToolError
from operator_tools.lib.smoke_checks import smoke
from operator_tools.lib.stack_outputs import StackOutputs, read_stack_outputs
from operator_tools.local import aws, emulator, federation, layer, test_user
from operator_tools.local.idps.lifecycle import RunningIdp, ensure_ca
from operator_tools.local.outputs import local_outputs
from operator_tools.local.timing import Timer

BOOTSTRAP_STACK = "CDKToolkit"


@dataclass(frozen=True)
class LocalDeployment:
    """What ``bring_up`` produced: the emulator, the outputs as reachable here, and the test user."""

    emulator: emulator.Emulator
    outputs: StackOutputs
    user: test_user.TestUser
    idps: tuple[RunningIdp, ...] = ()


def require_emulator_target(config: EnvironmentConfig) -> str:
    """The environment's own Powertools layer parameter; ``ToolError`` unless it targets the emulator."""
    if config.deploy_target != "emulator":
        raise ToolError(
            f"environment {config.name!r} deploys to AWS (deploy_target: aws); `make up` only deploys "
            "environments with deploy_target: emulator, such as local"
        )
    source = config.functions.powertools_layer
    parameter = source.ssm_parameter if source is not None else None
    if parameter is None or parameter.startswith("/aws/"):
        raise ToolError(
            f"config/{config.name}.yaml: functions.powertools_layer.ssm_parameter must name a parameter "
            "outside /aws/ (the emulator refuses that prefix); `make up` publishes the layer there"
        )
    return parameter


def bring_up(
    config: EnvironmentConfig, cdk: str, timer: Timer, *, out: TextIO = sys.stdout
) -> LocalDeployment:
    """Bring the environment up on the emulator and prove it with the smoke test."""
    parameter = require_emulator_target(config)
    assert config.region is not None  # the config's rules require a region for the emulator target
    federated = federation.local_providers(config).any
    with timer.step("emulator"):
        if federated:
            ensure_ca()  # before the emulator starts: it trusts the local CA through SSL_CERT_FILE
        running, started = emulator.start(config.region)
    print(f"up: emulator {'started' if started else 'reused'} at {running.endpoint}", file=out)
    with timer.step("idps"):
        idps = tuple(federation.start_idps(config, running.endpoint))
        for idp in idps:
            print(
                f"up: {idp.kind.upper()} IdP {'started' if idp.started_now else 'reused'} at {idp.url}",
                file=out,
            )
        if federation.put_client_secret(config, aws.client(running, "secretsmanager")):
            print("up: the OIDC client secret is in the emulator's Secrets Manager (never printed)", file=out)
    cloudformation = aws.client(running, "cloudformation")
    with timer.step("bootstrap"):
        if not aws.stack_exists(cloudformation, BOOTSTRAP_STACK):
            print("up: bootstrapping the emulator's account (once)", file=out)
            # Run outside the project: inside it, `cdk bootstrap` would synthesize the whole app first.
            target = f"aws://{emulator.ACCOUNT}/{config.region}"
            aws.run_cdk(running, [cdk, "bootstrap", target], cwd=emulator.STATE_DIR, quiet=True)
    with timer.step("layer"):
        built = layer.build_zip(emulator.EMULATOR_PYTHON, emulator.STATE_DIR / "layers")
        arn, published = layer.publish(
            built, parameter, aws.client(running, "lambda"), aws.client(running, "ssm")
        )
        print(f"up: Powertools layer {'published' if published else 'unchanged'} ({arn})", file=out)
    with timer.step("deploy"):
        deploy(running, config, cdk)
    outputs = local_outputs(read_stack_outputs(config, cloudformation), running.endpoint)
    if federation.write_sp_metadata(config, outputs):
        print(f"up: SP metadata for the SAML IdP in {_relative(federation.SP_METADATA_FILE)}", file=out)
    with timer.step("test user"):
        user = test_user.ensure(
            aws.client(running, "cognito-idp"),
            outputs.user_pool_id,
            test_user_name(config),
            config.api.admin_group,
            emulator.STATE_DIR / f"{config.name}-test-user.json",
        )
    with timer.step("smoke"):
        if smoke(config, outputs, aws.client(running, "cognito-idp"), out=out) != 0:
            raise ToolError("the smoke test failed (see the table above)")
    return LocalDeployment(running, outputs, user, idps)


def deploy(running: emulator.Emulator, config: EnvironmentConfig, cdk: str, *extra: str) -> None:
    """``cdk deploy '<env>/*'`` on the emulator (``extra``: more CLI arguments); the CLI skips stacks that
    did not change."""
    command = [*deploy_command(config, cdk, "never"), *extra]
    aws.run_cdk(running, command, cwd=emulator.PROJECT_ROOT)


def take_down(config: EnvironmentConfig, cdk: str, timer: Timer, *, out: TextIO = sys.stdout) -> None:
    """Destroy the environment's stacks (if the emulator runs) and stop the emulator."""
    require_emulator_target(config)
    running = emulator.find()
    if running is not None:
        with timer.step("destroy"):
            aws.run_cdk(running, destroy_command(config, cdk), cwd=emulator.PROJECT_ROOT, quiet=True)
    with timer.step("stop"):
        stopped = emulator.stop()
        idps = federation.stop_idps()
    print(f"down: {'emulator stopped' if stopped else 'no emulator was running'}", file=out)
    if idps:
        print(f"down: local IdPs stopped ({', '.join(k.upper() for k in idps)})", file=out)


def test_user_name(config: EnvironmentConfig) -> str:
    """The test user's sign-in name: an email address, since local pools sign in by email."""
    return f"test-user@{config.name}.localhost"


def print_summary(config: EnvironmentConfig, deployment: LocalDeployment, out: TextIO) -> None:
    """The short table ``make up`` ends with. Names where the password is, never the password."""
    outputs = deployment.outputs
    spa = config.client("spa")
    rows = [
        ("API", outputs.api_base_url),
        ("Hosted sign-in", outputs.authorize_endpoint),
        ("Test user", deployment.user.username),
        ("Its password", f"in {_relative(deployment.user.password_file)} (mode 0600, never printed)"),
        (
            "Emulator",
            f"{deployment.emulator.endpoint} (log: {_relative(Path(deployment.emulator.log_file))})",
        ),
    ]
    if spa is not None:
        rows.insert(2, ("SPA client ID", outputs.client_id(spa)))
    width = max(len(k) for k, _ in rows)
    print(f"\n{config.name} is up on the local emulator (no AWS account involved):", file=out)
    for key, value in rows:
        print(f"  {key:<{width}}  {value}", file=out)
    for idp in deployment.idps:
        print(*idp.summary(), sep="\n", file=out)
    env = f"ENV={config.name}"
    print(
        f"Next: make login {env} (sign in as the test user) · make smoke {env} · make diff {env} · "
        f"make deploy {env} after a config change · make down",
        file=out,
    )
    providers = federation.local_providers(config)
    names = [p.name for p in (providers.saml, providers.oidc) if p is not None]
    if names:
        logins = " · ".join(f"make login {env} IDP={name}" for name in names)
        print(f"Single sign-on through a local IdP: {logins}", file=out)


def _relative(path: Path) -> str:
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)

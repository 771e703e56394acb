"""The federated loop (``make e2e``): a SAML and an OIDC sign-in through the hosted UI
(``identity_provider=…``), each code exchanged with PKCE, the ID token verified against the pool's JWKS
(``login.sign_in`` refuses any other), the mapped attributes, ``custom:idp_groups`` and ``identities``,
``GET /me`` with the access token, and a second sign-in after the IdP group changed. It runs first on
the run's one deployment (the ``local`` fixture); test_loop.py's last step takes it down. No password
or token is printed.

The emulator checks no SAML or OIDC signature (docs/local.md): these steps prove the wiring."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from cdk_app.config import EnvironmentConfig
from cdk_app.contracts import IDENTITY_STACK, stack_name
from change_review.compare import review_assemblies
from change_review.core.model import Verdict
from change_review.policy.resources import PROVIDER
from operator_tools.lib.cdk_cli import deploy_command
from operator_tools.lib.errors import ToolError
from operator_tools.local import aws, emulator
from operator_tools.local.federation import hosted_domain
from operator_tools.local.idps import lifecycle as idps
from operator_tools.local.idps.layout import IdpFiles
from operator_tools.local.lifecycle import LocalDeployment
from operator_tools.verbs.login import (
    LoginResult,
    choose_client_for_provider,
    configured_loopback_callback,
    sign_in,
)
from tests.e2e.deployment import PROJECT_ROOT, Step
from tests.e2e.federated_user import FederatedUser

PROVIDERS = {"saml": "LocalSaml", "oidc": "LocalOidc"}


def _federated_sign_in(config: EnvironmentConfig, local: LocalDeployment, kind: idps.Kind) -> LoginResult:
    provider = PROVIDERS[kind]
    client = choose_client_for_provider(config, None, provider)
    files = IdpFiles()
    user_file = files.saml.user if kind == "saml" else files.oidc.user
    user = FederatedUser(
        idps.TEST_USERS[kind][0], user_file, files.ca_cert, hosted_domain(config), local.emulator.endpoint
    )
    try:
        result = sign_in(
            local.outputs, client, redirect_uri=configured_loopback_callback(config, client), open_url=user,
            timeout=30, identity_provider=provider,
        )  # fmt: skip
    except ToolError as exc:
        user.join()
        pytest.fail(f"{kind.upper()} sign-in: {exc} (hops: {user.hops}; error: {user.error})", pytrace=False)
    user.join()
    return result


def _check(kind: idps.Kind, result: LoginResult, groups: str, say: Callable[[str], None]) -> dict[str, Any]:
    claims = dict(result.id_claims)
    _, email, name = idps.TEST_USERS[kind]
    identities = claims.get("identities")
    providers = [i.get("providerName") for i in identities] if isinstance(identities, list) else []
    checked = {
        "email": claims.get("email"), "name": claims.get("name"),
        "custom:idp_groups": claims.get("custom:idp_groups"), "identities": providers,
    }  # fmt: skip
    # SAML asserts one value per group, OIDC a list: the emulator's mapping of a list is not pinned down.
    assert (checked["email"], checked["name"], checked["identities"]) == (email, name, [PROVIDERS[kind]])
    assert groups in str(checked["custom:idp_groups"]), checked
    assert result.me_status == 200, result.me_body
    say(
        f"{kind.upper()} sign-in ({PROVIDERS[kind]}): ID token verified (JWKS), claims {checked}, GET /me 200"
    )
    return claims


@pytest.mark.parametrize("kind", ["saml", "oidc"])
def test_a_federated_sign_in_maps_the_idp_s_attributes(
    config: EnvironmentConfig, local: LocalDeployment, step: Step, say: Callable[[str], None], kind: idps.Kind
) -> None:
    with step(f"{kind} sign-in"):
        _check(kind, _federated_sign_in(config, local, kind), "engineering", say)


@pytest.mark.parametrize("kind", ["saml", "oidc"])
def test_a_second_sign_in_after_the_idp_group_changed_updates_custom_idp_groups(
    config: EnvironmentConfig, local: LocalDeployment, step: Step, say: Callable[[str], None], kind: idps.Kind
) -> None:
    with step(f"{kind} group change"):
        idps.set_user_groups(kind, ("sales",))
        try:
            _check(kind, _federated_sign_in(config, local, kind), "sales", say)
        finally:
            idps.set_user_groups(kind, ("engineering",))


def test_a_rename_that_keeps_the_identifiers_fails_the_deploy_and_the_stack_stays_intact(
    config: EnvironmentConfig,
    local: LocalDeployment,
    cdk: str,
    cognito: Any,
    step: Step,
    say: Callable[[str], None],
) -> None:
    # `make review` blocks this change as WILL FAIL (tests/review/test_identity_providers.py): the
    # engine creates the renamed provider before it deletes the old one, and identifiers are unique
    # in a pool. Here the emulator's engine meets it: DuplicateProviderException, then a rollback.
    old, new = PROVIDERS["saml"], f"{PROVIDERS['saml']}Renamed"
    stack = stack_name(config.name, IDENTITY_STACK)
    cloudformation = aws.client(local.emulator, "cloudformation")
    with step("saml rename refused"), tempfile.TemporaryDirectory(prefix="e2e-rename-") as tmp:
        # What is deployed now (make up's synth), kept to review the rename against, as `make review`
        # reviews its base: the same templates and the same judge, without a second synth.
        deployed = Path(tmp) / "deployed"
        shutil.copytree(PROJECT_ROOT / "cdk.out", deployed)
        config_dir = _renamed_config(config, Path(tmp), old, new)
        command = [*deploy_command(config, cdk, "never"), "-c", f"config_dir={config_dir}"]
        done = subprocess.run(
            command, cwd=PROJECT_ROOT, env=emulator.client_env(local.emulator), stdin=subprocess.DEVNULL,
            capture_output=True, text=True, check=False,
        )  # fmt: skip
        output = done.stdout + done.stderr
        assert done.returncode != 0, output[-2000:]
        assert "DuplicateProviderException" in output, output[-2000:]
        status = cloudformation.describe_stacks(StackName=stack)["Stacks"][0]["StackStatus"]
        pool_id = local.outputs.user_pool_id
        kept = cognito.describe_identity_provider(UserPoolId=pool_id, ProviderName=old)["IdentityProvider"]
        names = [p["ProviderName"] for p in cognito.list_identity_providers(UserPoolId=pool_id)["Providers"]]
        report = review_assemblies(deployed, PROJECT_ROOT / "cdk.out", envs=[config.name])
        # cdk.out holds the refused change now; put back what is deployed, for the steps after this.
        shutil.rmtree(PROJECT_ROOT / "cdk.out")
        shutil.copytree(deployed, PROJECT_ROOT / "cdk.out")
    [renamed] = [c for c in report.changes if c.resource_type == PROVIDER]
    assert (renamed.action, renamed.verdict) == ("renamed", Verdict.WILL_FAIL), renamed
    assert "Do it in two deploys" in renamed.reasons[0], renamed.reasons
    assert report.exit_code == 1
    say(f"review of the SAML rename: {renamed.verdict.value}, with the two-deploy remedy")
    assert status == "UPDATE_ROLLBACK_COMPLETE", status
    assert kept.get("IdpIdentifiers") == ["saml.localhost"]
    assert new not in names
    assert old in names
    say(f"SAML rename {old} -> {new} with its identifiers: deploy failed with DuplicateProviderException, "
          f"stack {status}, {old} kept with its identifiers")  # fmt: skip


def _renamed_config(config: EnvironmentConfig, tmp: Path, old: str, new: str) -> Path:
    """A copy of the config folder where provider ``old`` is ``new`` (identifiers kept), clients too."""
    config_dir = tmp / "config"
    shutil.copytree(PROJECT_ROOT / "config", config_dir)
    path = config_dir / f"{config.name}.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    for provider in data["identity_providers"]["saml"]:
        if provider["name"] == old:
            provider["name"] = new
    for client in data["clients"]:
        if "identity_providers" in client:
            client["identity_providers"] = [new if p == old else p for p in client["identity_providers"]]
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return config_dir


def test_removing_a_provider_reviews_breaking_naming_its_clients(
    config: EnvironmentConfig, local: LocalDeployment, cdk: str, step: Step, say: Callable[[str], None]
) -> None:
    removed = PROVIDERS["oidc"]
    with step("oidc removal reviewed"), tempfile.TemporaryDirectory(prefix="e2e-remove-") as tmp:
        deployed = Path(tmp) / "deployed"
        shutil.copytree(PROJECT_ROOT / "cdk.out", deployed)
        head = Path(tmp) / "head"
        command = [
            cdk, "synth", "--quiet", "-c", f"env={config.name}", "-o", str(head),
            "-c", f"config_dir={_without_provider(config, Path(tmp), removed)}",
        ]  # fmt: skip
        done = subprocess.run(
            command, cwd=PROJECT_ROOT, env=emulator.client_env(local.emulator), stdin=subprocess.DEVNULL,
            capture_output=True, text=True, check=False,
        )  # fmt: skip
        assert done.returncode == 0, (done.stdout + done.stderr)[-2000:]
        report = review_assemblies(deployed, head, envs=[config.name])
    [change] = [c for c in report.changes if c.resource_type == PROVIDER]
    assert (change.action, change.verdict) == ("removed", Verdict.BREAKING), change
    assert removed in change.reasons[0]
    assert report.exit_code == 1
    say(f"review of removing OIDC provider {removed}: {change.verdict.value}: {change.reasons[0]}")


def _without_provider(config: EnvironmentConfig, tmp: Path, name: str) -> Path:
    """A copy of the config folder without OIDC provider ``name``, and no client offering it."""
    config_dir = tmp / "config"
    shutil.copytree(PROJECT_ROOT / "config", config_dir)
    path = config_dir / f"{config.name}.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["identity_providers"]["oidc"] = [p for p in data["identity_providers"]["oidc"] if p["name"] != name]
    for client in data["clients"]:
        if "identity_providers" in client:
            client["identity_providers"] = [p for p in client["identity_providers"] if p != name]
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return config_dir

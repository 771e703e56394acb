"""Read the CloudFormation templates of a cloud assembly directory (what ``app.synth()`` writes)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

STACK_ARTIFACT = "aws:cloudformation:stack"
NESTED_ASSEMBLY = "cdk:cloud-assembly"
# Regions the environment-agnostic `aws://unknown-account/unknown-region` resolves to for schemas.
DEFAULT_REGION = "us-east-1"


@dataclass(frozen=True)
class StackTemplate:
    """One stack: its environment (the Stage name), stack name within it, region and template.

    ``target`` is where it deploys, as the manifest says (``aws://<account>/<region>``, with
    ``unknown-account`` when the account comes from the credentials); ``region`` is its region
    for schema lookups (us-east-1 when unknown).
    """

    env: str
    stack: str
    region: str
    template: dict[str, Any]
    target: str = ""
    termination_protection: bool = False

    @property
    def outputs(self) -> dict[str, dict[str, Any]]:
        outputs: dict[str, dict[str, Any]] = self.template.get("Outputs", {})
        return outputs

    def place(self) -> tuple[str | None, str | None]:
        """(account, region) it deploys to; None for a part the manifest leaves to the credentials."""
        account, _, region = self.target.removeprefix("aws://").partition("/")
        return (
            None if not account or account.startswith("unknown") else account,
            None if not region or region.startswith("unknown") else region,
        )

    @property
    def resources(self) -> dict[str, dict[str, Any]]:
        """Resources, minus CDK's own metadata resource, which never matters to a deploy."""
        resources: dict[str, dict[str, Any]] = self.template.get("Resources", {})
        return {k: v for k, v in resources.items() if v.get("Type") != "AWS::CDK::Metadata"}


class AssemblyError(Exception):
    """The directory is not a readable cloud assembly."""


def load_stacks(outdir: Path) -> dict[tuple[str, str], StackTemplate]:
    """Every stack under ``outdir``, keyed by (env, stack), following nested Stage assemblies.

    A missing ``outdir`` is an empty assembly (an environment that did not exist at the base).
    """
    stacks: dict[tuple[str, str], StackTemplate] = {}
    if outdir.is_dir():
        _walk(outdir, stacks)
    return stacks


def _walk(directory: Path, stacks: dict[tuple[str, str], StackTemplate]) -> None:
    manifest_path = directory / "manifest.json"
    try:
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise AssemblyError(f"{manifest_path}: cannot read the cloud assembly manifest ({exc})") from None
    for artifact_id, artifact in manifest.get("artifacts", {}).items():
        props = artifact.get("properties", {})
        if artifact.get("type") == NESTED_ASSEMBLY:
            _walk(directory / props["directoryName"], stacks)
        elif artifact.get("type") == STACK_ARTIFACT:
            # displayName is "<stage>/<stack>" for stacks inside a Stage, which is every env here.
            display = str(artifact.get("displayName", artifact_id))
            env, _, stack = display.rpartition("/")
            template_path = directory / props["templateFile"]
            try:
                template = json.loads(template_path.read_text(encoding="utf-8"))
            except (OSError, ValueError) as exc:
                raise AssemblyError(f"{template_path}: cannot read the template ({exc})") from None
            target = str(artifact.get("environment", ""))
            stacks[(env or "-", stack)] = StackTemplate(
                env or "-",
                stack,
                _region(target),
                template,
                target,
                bool(props.get("terminationProtection", False)),
            )


def _region(environment: str) -> str:
    region = environment.rsplit("/", 1)[-1] if environment.startswith("aws://") else ""
    return DEFAULT_REGION if not region or region.startswith("unknown") else region

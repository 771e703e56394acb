"""Session-wide synthesis: every shipped environment is synthesized once, with cdk-nag on."""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from aws_cdk.assertions import Template

from cdk_app.app_builder import build_app
from cdk_app.config import EnvironmentConfig, load_environments

ENVIRONMENTS = ("dev", "staging", "prod")


@dataclass(frozen=True)
class Synthesized:
    """Templates (as JSON) of every stack of every environment, plus the cdk-nag report."""

    outdir: Path
    configs: dict[str, EnvironmentConfig]
    templates: dict[tuple[str, str], dict[str, Any]]
    stack_names: dict[tuple[str, str], str]
    stack_envs: dict[tuple[str, str], str]
    termination_protection: dict[tuple[str, str], bool]
    validation_report: dict[str, Any]
    _assertions: dict[tuple[str, str], Template] = field(default_factory=dict, repr=False, compare=False)

    def template(self, env: str, stack: str) -> Template:
        """An assertions ``Template``, built once per stack (each build ships the JSON to jsii)."""
        key = (env, stack)
        if key not in self._assertions:
            self._assertions[key] = Template.from_json(self.templates[key])
        return self._assertions[key]

    def stacks_of(self, env: str) -> list[str]:
        return sorted(s for e, s in self.templates if e == env)


def synthesize_all(outdir: Path) -> Synthesized:
    configs = {c.name: c for c in load_environments(list(ENVIRONMENTS))}
    app, stages = build_app(configs.values(), outdir=str(outdir))
    app.synth()
    templates: dict[tuple[str, str], dict[str, Any]] = {}
    names: dict[tuple[str, str], str] = {}
    envs: dict[tuple[str, str], str] = {}
    protection: dict[tuple[str, str], bool] = {}
    for env in stages:
        manifest = json.loads((outdir / f"assembly-{env}" / "manifest.json").read_text())
        for artifact in manifest["artifacts"].values():
            if artifact["type"] != "aws:cloudformation:stack":
                continue
            display = artifact["displayName"].split("/")[-1]
            path = outdir / f"assembly-{env}" / artifact["properties"]["templateFile"]
            templates[(env, display)] = json.loads(path.read_text())
            names[(env, display)] = artifact["properties"].get("stackName", display)
            envs[(env, display)] = artifact["environment"]
            protection[(env, display)] = bool(artifact["properties"].get("terminationProtection"))
    report_path = outdir / "validation-report.json"
    report = json.loads(report_path.read_text()) if report_path.exists() else {}
    return Synthesized(outdir, configs, templates, names, envs, protection, report)


def start_cfn_lint(outdir: Path) -> subprocess.Popen[str]:
    """Run cfn-lint (with the repository's .cfnlintrc) on every template, in the background."""
    root = Path(__file__).resolve().parents[1]
    templates = sorted(str(p) for p in outdir.glob("assembly-*/*.template.json"))
    return subprocess.Popen(
        [str(Path(sys.executable).parent / "cfn-lint"), "--format", "parseable", *templates],
        cwd=root,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )

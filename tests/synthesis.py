"""Session-wide synthesis with cdk-nag on: the project's fixture environments, and every config file.

The construct, stack and snapshot tests read the fixtures under ``tests/fixtures/config`` (named
dev, staging and prod), which belong to the project: the values the tests assert live there. The
files under ``config/`` are the user's: whatever they are called and say, each is synthesized once
per session and must pass cdk-nag and cfn-lint, but no test asserts their values.
"""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from aws_cdk.assertions import Template

from cdk_app.config import EnvironmentConfig
from cdk_app.config.loading import load_project
from composition.app_builder import build_app
from tests.fixtures import FIXTURE_CONFIG_DIR

ROOT = Path(__file__).resolve().parents[1]
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
    # Environments an enabled pipeline deploys: their stacks are inside the pipeline's assembly.
    piped: tuple[str, ...] = ()
    _assertions: dict[tuple[str, str], Template] = field(default_factory=dict, repr=False, compare=False)

    def template(self, env: str, stack: str) -> Template:
        """An assertions ``Template``, built once per stack (each build ships the JSON to jsii)."""
        key = (env, stack)
        if key not in self._assertions:
            self._assertions[key] = Template.from_json(self.templates[key])
        return self._assertions[key]

    def stacks_of(self, env: str) -> list[str]:
        return sorted(s for e, s in self.templates if e == env)

    def template_files(self) -> list[Path]:
        """Every template written, including those of an enabled pipeline's nested stages."""
        return sorted(self.outdir.rglob("*.template.json"))


def synthesize_all(
    outdir: Path, config_dir: Path = FIXTURE_CONFIG_DIR, names: Iterable[str] | None = ENVIRONMENTS
) -> Synthesized:
    """Synthesize ``names`` (``None``: every file) of ``config_dir`` in one app, with cdk-nag.

    The config is read as ``cdk synth`` reads it (``load_project``: the pipeline file too). cdk-nag
    findings do not raise here: they are in ``validation_report``, for a test to list.
    """
    project = load_project(config_dir, None if names is None else list(names))
    app, stages = build_app(project, outdir=str(outdir))
    try:
        app.synth()
    except RuntimeError as exc:  # cdk-nag findings: jsii raises "ValidationFailed..."
        if not str(exc).startswith("ValidationFailed"):
            raise
    templates: dict[tuple[str, str], dict[str, Any]] = {}
    names_: dict[tuple[str, str], str] = {}
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
            names_[(env, display)] = artifact["properties"].get("stackName", display)
            envs[(env, display)] = artifact["environment"]
            protection[(env, display)] = bool(artifact["properties"].get("terminationProtection"))
    report_path = outdir / "validation-report.json"
    report = json.loads(report_path.read_text()) if report_path.exists() else {}
    configs = {c.name: c for c in project.environments}
    piped = tuple(c.name for c in project.pipeline_environments)
    return Synthesized(outdir, configs, templates, names_, envs, protection, report, piped)


def nag_violations(report: dict[str, Any]) -> list[dict[str, Any]]:
    """Every cdk-nag finding of a validation report (acknowledged ones are not in it)."""
    return [v for plugin in report.get("pluginReports", []) for v in plugin.get("violations", [])]


@dataclass(frozen=True)
class LintResult:
    """cfn-lint's findings (``parseable`` lines) on some templates, and anything it wrote to stderr."""

    templates: list[Path]
    findings: list[str]
    returncode: int
    stderr: str


class BackgroundLint:
    """cfn-lint (with the repository's .cfnlintrc) on some templates, started at once, read later.

    One process for every template of the session: cfn-lint spends about a second starting, then a
    fraction per template. A template byte-identical to another (a config/ file still equal to
    its fixture) is linted once; cfn-lint reads nothing but the template.
    """

    def __init__(self, templates: Iterable[Path]) -> None:
        first: dict[bytes, Path] = {}
        self._linted_as: dict[Path, Path] = {}
        for path in templates:
            self._linted_as[path] = first.setdefault(hashlib.sha256(path.read_bytes()).digest(), path)
        linted = list(first.values())
        self._process = _start_cfn_lint(linted) if linted else None
        self._done: subprocess.CompletedProcess[str] | None = None

    def result(self, templates: list[Path]) -> LintResult:
        """Wait for the run; its findings on ``templates`` (each given when the run started)."""
        run = self._finish()
        findings = []
        for line in run.stdout.splitlines():
            linted, _, finding = line.partition(":")
            # Named after the template asked about, though cfn-lint read an identical copy.
            findings += [f"{p}:{finding}" for p in templates if str(self._linted_as[p]) == linted]
        # Findings exit non-zero too; a non-zero exit with no finding at all is cfn-lint failing to run.
        failed = run.returncode != 0 and not run.stdout.strip()
        return LintResult(templates, findings, 1 if findings or failed else 0, run.stderr if failed else "")

    def _finish(self) -> subprocess.CompletedProcess[str]:
        if self._done is None:
            if self._process is None:
                self._done = subprocess.CompletedProcess([], 0, "", "")
            else:
                stdout, stderr = self._process.communicate(timeout=600)
                self._done = subprocess.CompletedProcess(
                    self._process.args, self._process.returncode, stdout, stderr
                )
        return self._done


def _start_cfn_lint(templates: Iterable[Path]) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [str(Path(sys.executable).parent / "cfn-lint"), "--format", "parseable", *map(str, templates)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )

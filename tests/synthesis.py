"""Session-wide synthesis with cdk-nag on: the project's fixture environments, and every config file.

The construct, stack and snapshot tests read the fixtures under ``tests/fixtures/config`` (named
dev, staging and prod), which belong to the project: the values the tests assert live there. The
files under ``config/`` are the user's: whatever they are called and say, each is synthesized once
per session and must pass cdk-nag and cfn-lint, but no test asserts their values.
"""

from __future__ import annotations

import hashlib
import json
import sys
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cdk_app.config import EnvironmentConfig
from cdk_app.config.loading import Project, load_project
from tests.fixtures import FIXTURE_CONFIG_DIR
from tests.shared import BackgroundRun

if TYPE_CHECKING:  # aws_cdk is imported where it is used: the xdist controller never needs jsii
    from aws_cdk.assertions import Template

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
        from aws_cdk.assertions import Template

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
    synthesize(project, outdir)
    return read_assembly(project, outdir)


def synthesize(project: Project, outdir: Path) -> None:
    """Build ``project``'s app (cdk-nag on) and synthesize it into ``outdir``."""
    from composition.app_builder import build_app

    app, _ = build_app(project, outdir=str(outdir))
    try:
        app.synth()
    except RuntimeError as exc:  # cdk-nag findings: jsii raises "ValidationFailed..."
        if not str(exc).startswith("ValidationFailed"):
            raise


def read_assembly(project: Project, outdir: Path) -> Synthesized:
    """What ``synthesize`` wrote into ``outdir`` for ``project`` (any process of the run may read it)."""
    templates: dict[tuple[str, str], dict[str, Any]] = {}
    names_: dict[tuple[str, str], str] = {}
    envs: dict[tuple[str, str], str] = {}
    protection: dict[tuple[str, str], bool] = {}
    for env in (c.name for c in project.standalone):
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
    """cfn-lint (with the repository's .cfnlintrc) on some templates, started once, read later.

    One process for every template of the run: cfn-lint spends about a second starting, then a
    fraction per template. A template byte-identical to another (a config/ file still equal to
    its fixture) is linted once; cfn-lint reads nothing but the template. ``start`` runs it in the
    background, its output kept in files beside ``prefix``; any worker of the run may then make a
    ``BackgroundLint(prefix)`` and read its ``result``.
    """

    def __init__(self, prefix: Path) -> None:
        self._run = BackgroundRun(prefix)
        self._mapping = prefix.with_name(f"{prefix.name}.linted-as.json")

    def start(self, templates: Iterable[Path]) -> None:
        first: dict[bytes, Path] = {}
        linted_as = {}
        for path in templates:
            linted_as[str(path)] = str(first.setdefault(hashlib.sha256(path.read_bytes()).digest(), path))
        self._mapping.write_text(json.dumps(linted_as))
        linted = [str(p) for p in first.values()]
        # With nothing to lint, `true` stands in: an empty run, exit 0.
        cmd = [str(Path(sys.executable).parent / "cfn-lint"), "--format", "parseable", *linted]
        self._run.start(cmd if linted else ["true"], ROOT)

    def result(self, templates: list[Path]) -> LintResult:
        """Wait for the run; its findings on ``templates`` (each given when the run started)."""
        run = self._run.wait()
        linted_as: dict[str, str] = json.loads(self._mapping.read_text())
        findings = []
        for line in run.stdout.splitlines():
            linted, _, finding = line.partition(":")
            # Named after the template asked about, though cfn-lint read an identical copy.
            findings += [f"{p}:{finding}" for p in templates if linted_as[str(p)] == linted]
        # Findings exit non-zero too; a non-zero exit with no finding at all is cfn-lint failing to run.
        failed = run.returncode != 0 and not run.stdout.strip()
        return LintResult(templates, findings, 1 if findings or failed else 0, run.stderr if failed else "")

"""The app's main, turning expected failures into one clear paragraph and a non-zero exit."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import aws_cdk as cdk

from cdk_app.app_builder import build_app
from cdk_app.config import ConfigError, load_environments


def run() -> int:
    """Synthesize the requested environments. Exit 2 on bad config, 1 on failed checks."""
    # Context comes from `-c env=...` through the CLI; read it before building anything so a
    # config error stops synth before a single file is written.
    probe = cdk.App()
    wanted = probe.node.try_get_context("env")
    names = [n.strip() for n in str(wanted).split(",") if n.strip()] if wanted else None
    try:
        configs = load_environments(names)
    except ConfigError as exc:
        print(exc, file=sys.stderr)
        return 2
    app, _ = build_app(configs)
    try:
        app.synth()
    except RuntimeError as exc:
        # cdk-nag findings surface as a jsii RuntimeError whose message starts "ValidationFailed".
        if not str(exc).startswith("ValidationFailed"):
            raise
        print(_summarize_report(app.outdir), file=sys.stderr)
        return 1
    return 0


def _summarize_report(outdir: str) -> str:
    report = Path(outdir) / "validation-report.json"
    lines = ["synth failed: cdk-nag found unacknowledged findings."]
    try:
        data = json.loads(report.read_text())
    except (OSError, ValueError):
        return lines[0] + f" See {report}."
    for plugin in data.get("pluginReports", []):
        for violation in plugin.get("violations", []):
            for resource in violation.get("violatingResources", []) or violation.get("violatingConstructs", []):
                path = resource.get("constructPath") or resource.get("resourceLogicalId")
                lines.append(f"  {violation.get('ruleName')}: {path}")
    lines.append(f"Details: {report}")
    return "\n".join(lines)

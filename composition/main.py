"""The app's main, turning expected failures into one clear paragraph and a non-zero exit."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any

from cdk_app import template_limits
from cdk_app.config import ConfigError
from cdk_app.config.certificates import certificate_warnings
from cdk_app.config.loading import load_project
from cdk_app.config.loading.loader import CONFIG_DIR


def cli_context() -> dict[str, Any]:
    """The context the CDK CLI hands the app (``-c key=value``), read without starting jsii.

    The CLI passes it as JSON in ``CDK_CONTEXT_JSON``, or in a file named by
    ``CONTEXT_OVERFLOW_LOCATION_ENV`` when it is too large for the environment.
    """
    context: dict[str, Any] = {}
    overflow = os.environ.get("CONTEXT_OVERFLOW_LOCATION_ENV")
    if overflow:
        context.update(json.loads(Path(overflow).read_text(encoding="utf-8")))
    context.update(json.loads(os.environ.get("CDK_CONTEXT_JSON") or "{}"))
    return context


def run() -> int:
    """Synthesize the requested environments. Exit 2 on bad config, 1 on failed checks.

    Config is validated before aws_cdk is even imported, so a config error costs no jsii start
    and leaves no output directory behind.
    """
    context = cli_context()
    wanted = context.get("env")
    names = [n.strip() for n in str(wanted).split(",") if n.strip()] if wanted else None
    config_dir = Path(context["config_dir"]) if context.get("config_dir") else CONFIG_DIR
    try:
        # Every file this run needs, read once and checked together; nothing below reads config.
        project = load_project(config_dir, names)
    except ConfigError as exc:
        print(exc, file=sys.stderr)
        return 2
    for env in project.environments:
        for warning in certificate_warnings(env):
            print(warning, file=sys.stderr)

    from composition.app_builder import build_app  # starts jsii; only once config is known good

    app, _ = build_app(project)
    try:
        assembly = app.synth()
    except RuntimeError as exc:
        # CDK's own TooManyResourcesInStack: the same one line as our check, never jsii's trace.
        limit = template_limits.from_cdk_error(str(exc))
        if limit is not None:
            print(limit, file=sys.stderr)
            return 1
        # cdk-nag findings surface as a jsii RuntimeError whose message starts "ValidationFailed".
        if not str(exc).startswith("ValidationFailed"):
            raise
        print(_summarize_report(app.outdir), file=sys.stderr)
        return 1
    over = stack_limit_breaches(assembly)
    for line in over:
        print(line, file=sys.stderr)
    return 1 if over else 0


def stack_limit_breaches(assembly: Any) -> list[str]:
    """Every synthesized stack's CloudFormation limit breaches (``template_limits``), one line each."""
    found: list[str] = []
    for stack in assembly.stacks_recursively:
        env, _, _ = stack.hierarchical_id.rpartition("/")
        size = Path(stack.template_full_path).stat().st_size
        found += template_limits.breaches(
            env.rpartition("/")[2] or "?", stack.stack_name, stack.template, size
        )
    return found


def _summarize_report(outdir: str) -> str:
    report = Path(outdir) / "validation-report.json"
    lines = ["synth failed: cdk-nag found unacknowledged findings (listed above)."]
    try:
        data = json.loads(report.read_text())
    except (OSError, ValueError):
        return lines[0] + f" See {report}."
    for plugin in data.get("pluginReports", []):
        for violation in plugin.get("violations", []):
            for resource in violation.get("violatingResources", []) or violation.get(
                "violatingConstructs", []
            ):
                path = resource.get("constructPath") or resource.get("resourceLogicalId")
                lines.append(f"  {violation.get('ruleName')}: {path}")
    lines.append(
        f"Fix the finding, or acknowledge it on the narrowest construct with a reason. Report: {report}"
    )
    return "\n".join(lines)

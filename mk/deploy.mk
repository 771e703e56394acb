# Deploying and tearing down: deploy, destroy, diff, bootstrap, pipeline. Included by the Makefile.
# Each verb is its own module, operator_tools/verbs/<verb>.py (tested without AWS), whose rules run
# before the CDK CLI starts: a missing or unknown ENV lists the environments, missing AWS credentials
# stop before any synth, production-tier environments are never destroyed, and the tier from config,
# not the name, decides what counts as production.

# deploy: broadening (IAM/security group) changes wait for a yes at the terminal. CI sets
# APPROVAL=never because its approval is the GitHub environment's required reviewers, who see the
# change review and `cdk diff` first; the guard refuses APPROVAL=never for production outside CI.
APPROVAL ?=
# destroy: FORCE=1 skips typing the environment name (never possible for tier production).
FORCE ?=
# bootstrap: accounts (space or comma separated) whose roles may deploy here, e.g. the pipeline's
# tooling account, and the managed policy ARNs CloudFormation then deploys with (required with TRUST).
TRUST ?=
EXECUTION_POLICIES ?=

CDK_FLAGS = --env "$(ENV)" --cdk "$(CDK)"

.PHONY: deploy destroy diff bootstrap pipeline

deploy: setup ## Deploy ENV=name (AWS credentials for its account; APPROVAL=never only in CI)
	@$(BIN)/python -m operator_tools.verbs.deploy $(CDK_FLAGS) --approval "$(APPROVAL)" $(if $(filter true,$(CI)),--ci,)

destroy: setup ## Destroy ENV=name after typing its name (FORCE=1 skips); refuses tier production
	@$(BIN)/python -m operator_tools.verbs.destroy $(CDK_FLAGS) $(if $(filter 1 true yes,$(FORCE)),--force,)

diff: setup ## Compare ENV=name with what is deployed (needs read credentials for its account)
	@$(BIN)/python -m operator_tools.verbs.diff $(CDK_FLAGS)

bootstrap: setup ## cdk bootstrap ENV's account/region(s), once, as an admin (TRUST=, EXECUTION_POLICIES=)
	@$(BIN)/python -m operator_tools.verbs.bootstrap $(CDK_FLAGS) --trust "$(TRUST)" --execution-policies "$(EXECUTION_POLICIES)"

pipeline: setup ## First deploy of the optional CDK pipeline stack (config/pipeline); then it updates itself
	@$(BIN)/python -m operator_tools.verbs.pipeline --cdk "$(CDK)"

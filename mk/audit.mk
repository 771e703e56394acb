# The outside auditor's view of production: checkov over the synthesized prod templates, with no
# acknowledgement of this project's beyond the ones written into the templates themselves (each
# with its reason). Included by the Makefile. Offline: checkov reads only the templates.
AUDIT_VENV := .venv-audit
STAMP_AUDIT := $(AUDIT_VENV)/.installed
AUDIT_OUT := cdk.out-audit

.PHONY: setup-audit audit

# Hash-locked like .venv, in a venv of its own: checkov pins packages the app's lock does not share.
$(STAMP_AUDIT): requirements-audit.lock | $(UV)
	@echo "setup: installing checkov into $(AUDIT_VENV) with uv (from requirements-audit.lock)"
	@test -x $(AUDIT_VENV)/bin/python || $(PYTHON) -m venv --without-pip $(AUDIT_VENV)
	@$(UV) pip sync --quiet --python $(AUDIT_VENV)/bin/python --require-hashes requirements-audit.lock
	@touch $@

setup-audit: $(STAMP_AUDIT) ## Install checkov into .venv-audit (make audit does it)

audit: setup setup-audit ## checkov over prod's synthesized templates: fails on any CKV_AWS_158 (unencrypted log group)
	@rm -rf $(AUDIT_OUT)
	@$(CDK) synth --quiet -c env=prod --output $(AUDIT_OUT) > /dev/null 2> $(AUDIT_OUT).log \
		|| { cat $(AUDIT_OUT).log >&2; exit 1; }
	@# checkov exits 1 on any failed check; the verdict below decides which ones matter.
	@BC_SKIP_MAPPING=TRUE $(AUDIT_VENV)/bin/checkov --directory $(AUDIT_OUT) --framework cloudformation \
		--skip-download --compact --output json > $(AUDIT_OUT)/checkov.json || true
	@$(BIN)/python -m dev_tools.audit $(AUDIT_OUT)/checkov.json

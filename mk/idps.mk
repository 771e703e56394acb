# The local identity providers that `make up` starts (operator_tools/local/idps, docs/local.md "Local
# identity providers"): the OIDC provider's npm packages, pinned in its own package-lock.json and
# installed with the project's Node 24. The SAML IdP needs nothing beyond requirements.lock.
IDPS_OIDC_DIR := operator_tools/local/idps/oidc
STAMP_IDPS := $(IDPS_OIDC_DIR)/node_modules/.installed

.PHONY: setup-idps

$(STAMP_IDPS): $(IDPS_OIDC_DIR)/package.json $(IDPS_OIDC_DIR)/package-lock.json $(STAMP_PY)
	@echo "setup: npm ci in $(IDPS_OIDC_DIR) (oidc-provider, pinned in its package-lock.json)"
	@cd $(IDPS_OIDC_DIR) && npm ci --no-audit --no-fund --loglevel=error > /dev/null
	@touch $@

setup-idps: $(STAMP_IDPS) ## Install the local OIDC provider's npm packages (make up does it)

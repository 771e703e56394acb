# Front ends: the config a browser app learns the environment from, the sample SPA, and its test in
# a real browser. See docs/use-from-your-app.md. Included by the Makefile.
SPA_DIR := examples/spa
# oidc-client-ts (and its one dependency), pinned in the sample's own package-lock.json.
STAMP_SPA := $(SPA_DIR)/node_modules/.installed
# Where the browser test keeps screenshots and page sources of a failed step.
BROWSER_ARTIFACTS := .local/browser-artifacts

.PHONY: outputs spa e2e-browser

$(STAMP_SPA): $(SPA_DIR)/package.json $(SPA_DIR)/package-lock.json $(STAMP_PY)
	@echo "setup: npm ci in $(SPA_DIR) (oidc-client-ts, pinned in its package-lock.json)"
	@cd $(SPA_DIR) && npm ci --no-audit --no-fund --loglevel=error > /dev/null
	@touch $@

outputs: $(STAMP_PY) ## Write a browser app's config for ENV from its stack outputs to examples/spa/config/ENV.json [CLIENT=]
	@$(BIN)/python -m operator_tools.verbs.outputs --env "$(ENV)" $(if $(CLIENT),--client "$(CLIENT)")

spa: $(STAMP_PY) $(STAMP_SPA) ## make outputs, then serve the sample SPA on the client's loopback origin [CLIENT=]
	@$(BIN)/python -m operator_tools.verbs.spa --env "$(ENV)" $(if $(CLIENT),--client "$(CLIENT)")

# The test brings the deployment up and always takes it down (tests/browser/conftest.py); it installs
# Debian's chromium and chromium-driver when they are missing and it can (root with apt-get), and
# fails, never skips, when it cannot.
e2e-browser: setup setup-emulator $(STAMP_SPA) ## up, the sample SPA in headless Chromium (sign-in, /me, CORS, refresh, sign-out), down
	@rm -rf $(BROWSER_ARTIFACTS)
	@BROWSER_E2E=1 BROWSER_E2E_ENV=$(LOCAL_ENV) BROWSER_E2E_CDK=$(CDK) $(BIN)/python -m pytest tests/browser $(PYTEST_ARGS)

# Post-deploy verbs: prove an environment works, and sign in the way an application will.
.PHONY: smoke login

# The tools check ENV themselves: a missing or unknown one lists the environments (exit 2).
smoke: $(STAMP_PY) ## Check a deployed environment end to end: make smoke ENV=dev (needs AWS credentials)
	@$(BIN)/python -m operator_tools.verbs.smoke --env "$(ENV)"

login: $(STAMP_PY) ## Sign in with PKCE through the hosted UI and call GET /me: make login ENV=dev [CLIENT=spa] [IDP=<provider>]
	@$(BIN)/python -m operator_tools.verbs.login --env "$(ENV)" $(if $(CLIENT),--client "$(CLIENT)") $(if $(IDP),--idp "$(IDP)")

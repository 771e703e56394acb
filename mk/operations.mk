# Post-deploy verbs: prove an environment works, and sign in the way an application will.
.PHONY: smoke login

smoke: $(STAMP_PY) ## Check a deployed environment end to end: make smoke ENV=dev (needs AWS credentials)
	@test -n "$(ENV)" || { echo "usage: make smoke ENV=<env>" >&2; exit 2; }
	$(BIN)/python -m operator_tools.smoke --env $(ENV)

login: $(STAMP_PY) ## Sign in with PKCE through the hosted UI and call GET /me: make login ENV=dev [CLIENT=spa]
	@test -n "$(ENV)" || { echo "usage: make login ENV=<env> [CLIENT=<name>]" >&2; exit 2; }
	$(BIN)/python -m operator_tools.login --env $(ENV) $(if $(CLIENT),--client $(CLIENT))

# Users out of a pool and back into one: export-users, restore-users. Included by the Makefile.
# The file holds personal data: it is written 0600, by default under .local/exports/ (git-ignored).
# See docs/operating.md, "Disaster recovery".
FILE ?=
# restore-users: FROM_ENV=env accepts a file exported from that other environment; CONFIRM=env is the
# production confirmation, instead of typing the name; DRY_RUN=1 checks the file against the pool and
# changes nothing. FROM_ENV and CONFIRM count only on make's command line, never from the shell's
# environment, so an exported variable cannot confirm a production restore on its own.
DRY_RUN ?=
ON_COMMAND_LINE = $(if $(filter command line,$(origin $(1))),$($(1)))

.PHONY: export-users restore-users

export-users: $(STAMP_PY) ## Write every user of ENV's pool to a private file: make export-users ENV=dev [FILE=path]
	@$(BIN)/python -m operator_tools.verbs.export_users --env "$(ENV)" $(if $(FILE),--file "$(FILE)")

restore-users: $(STAMP_PY) ## Re-create a file's users in ENV's pool: make restore-users ENV=dev FILE=path [FROM_ENV=env]
	@$(BIN)/python -m operator_tools.verbs.restore_users --env "$(ENV)" --file "$(FILE)" \
		$(if $(call ON_COMMAND_LINE,FROM_ENV),--from-env "$(FROM_ENV)") \
		$(if $(call ON_COMMAND_LINE,CONFIRM),--confirm "$(CONFIRM)") \
		$(if $(filter 1 true yes,$(DRY_RUN)),--dry-run)

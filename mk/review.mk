# Change review: what would this change do to deployed resources? (see docs/change-review.md)
#
# Exit status: the review exits 0 (passes), 1 (blocked) or 2 (could not run). GNU make turns any
# failed recipe into its own status 2, so `make review` exits 0 or 2, and its last line
# ("make: *** [...] Error 1" or "Error 2") carries the review's own status. Scripts that need to
# tell blocked from broken run `python -m change_review`, as the pull-request workflow does.
BASE ?=
FORMAT ?= text
.PHONY: review

# Silent (@): with FORMAT=markdown, standard output must be the comment and nothing else.
review: setup ## Review CloudFormation changes vs BASE (default: merge base with origin/main, else HEAD) [ENV=..] [FORMAT=markdown]
	@$(BIN)/python -m change_review $(if $(BASE),--base $(BASE)) $(if $(ENV),--env $(ENV)) --format $(FORMAT)

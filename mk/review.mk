# Change review: what would this change do to deployed resources? (see docs/change-review.md)
BASE ?=
FORMAT ?= text
.PHONY: review

review: setup ## Review CloudFormation changes vs BASE (default: merge base with origin/main, else HEAD) [ENV=..] [FORMAT=markdown]
	$(BIN)/python -m change_review $(if $(BASE),--base $(BASE)) $(if $(ENV),--env $(ENV)) --format $(FORMAT)

"""The environment variables this function reads, by name; the CDK app sets them (not yet wired)."""

from __future__ import annotations

from typing import Final

# The pool whose users are exported (required).
USER_POOL_ID: Final = "USER_POOL_ID"
# The environment's name, written in the file's header (required).
ENVIRONMENT: Final = "ENVIRONMENT"
# The bucket and key prefix the file is written under (required).
BUCKET: Final = "BUCKET"
PREFIX: Final = "PREFIX"

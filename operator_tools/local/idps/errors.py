"""The one error type of the local IdPs: one line fit for a human, never a secret."""

from __future__ import annotations

from operator_tools.lib.errors import ToolError


class IdpError(ToolError):
    """A local IdP cannot be set up, started, found or stopped (the message names the port or file)."""

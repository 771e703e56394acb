"""A deployed local environment's outputs, with every AWS URL pointed at the emulator's gateway."""

from __future__ import annotations

import dataclasses
from typing import Any

from operator_tools.lib.stack_outputs import StackOutputs
from operator_tools.local.endpoints import emulator_url

# The issuer is what tokens carry in ``iss`` (AWS's URL, as on AWS): it is compared, never fetched. The
# SAML ACS URL is what the IdP is told and what the emulator's AuthnRequests name, AWS's URL too: a
# browser reaches it through the endpoint mapping, the IdP compares it.
_KEPT = frozenset({"issuer_url", "saml_acs_url"})


def local_outputs(outputs: StackOutputs, gateway: str) -> StackOutputs:
    """``outputs`` with each fetched URL (hosted sign-in, token, JWKS, discovery, API routes) mapped."""
    changes: dict[str, Any] = {
        f.name: emulator_url(value, gateway)
        for f in dataclasses.fields(outputs)
        if f.name not in _KEPT
        and isinstance(value := getattr(outputs, f.name), str)
        and value.startswith("https://")
    }
    return dataclasses.replace(outputs, **changes)

"""Who reads the stacks' outputs: the one table of the project's known consumers.

An output that a known consumer reads is part of a contract: removing it, renaming it or changing
its value is BREAKING until that consumer changes too. An output nobody is known to read can
change freely (the review still shows it). When ``cdk_app/contracts.py`` names the output keys,
this table should take its keys from there.
"""

from __future__ import annotations

from fnmatch import fnmatchcase

SMOKE = "`make smoke`"
LOGIN = "`make login`"
FRONT_END = "front-end config (`make outputs`)"
SAML_IDP = "the SAML identity provider's settings (its administrator enters them)"

# Output key (a shell-style pattern) -> who reads it. Keys nothing reads are not listed.
READERS: dict[str, tuple[str, ...]] = {
    "UserPoolId": (SMOKE, LOGIN, FRONT_END),
    "IssuerUrl": (SMOKE, LOGIN, FRONT_END),
    "JwksUrl": (SMOKE, LOGIN, FRONT_END),
    "DomainBaseUrl": (FRONT_END,),
    "AuthorizeEndpoint": (LOGIN, FRONT_END),
    "TokenEndpoint": (SMOKE, LOGIN, FRONT_END),
    "LogoutEndpoint": (FRONT_END,),
    # One per app client (SpaClientId, MachineClientId): smoke signs in with the m2m client,
    # login with a spa or web client, and every app is configured with its own client's ID.
    "*ClientId": (SMOKE, LOGIN, FRONT_END),
    "ApiBaseUrl": (FRONT_END,),
    "MeRouteUrl": (SMOKE, LOGIN),
    "SamlSpEntityId": (SAML_IDP,),
    "SamlAcsUrl": (SAML_IDP,),
}


def readers(key: str) -> tuple[str, ...]:
    """Who reads the output ``key``; () when no consumer is known."""
    return next((who for pattern, who in READERS.items() if fnmatchcase(key, pattern)), ())

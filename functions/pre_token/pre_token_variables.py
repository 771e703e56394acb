"""The environment variables this trigger reads, by name; the CDK app sets them (``PreTokenTrigger``).

This folder is the Lambda asset, so the app's ``cdk_app.contracts.PreTokenVariables`` cannot be
imported here; it holds the same names, and tests/functions/test_variable_names.py checks that the
two agree.
"""

from __future__ import annotations

from typing import Final

# JSON: group name -> the scopes its members' access tokens get (and others lose).
GROUP_SCOPES: Final = "GROUP_SCOPES"
# JSON: claims added to every client-credentials access token.
CLIENT_CREDENTIALS_CLAIMS: Final = "CLIENT_CREDENTIALS_CLAIMS"

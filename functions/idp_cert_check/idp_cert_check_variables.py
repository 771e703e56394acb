"""The environment variables this function reads, by name; the CDK app sets them.

This folder is the Lambda asset, so the app's ``cdk_app.contracts.IdpCertCheckVariables`` cannot be
imported here; it holds the same names, and tests/functions/test_variable_names.py checks that the
two agree.
"""

from __future__ import annotations

from typing import Final

# The pool whose SAML providers are checked (required).
USER_POOL_ID: Final = "USER_POOL_ID"
# Days before a certificate's expiry from which the run fails (default: signing_certificates').
WARNING_DAYS: Final = "WARNING_DAYS"

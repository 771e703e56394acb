"""The environment variables this function reads, by name; the CDK app sets them (``ApiFunction``).

This folder is the Lambda asset, so the app's ``cdk_app.contracts.ApiFunctionVariables`` cannot be
imported here; it holds the same names, and tests/functions/test_variable_names.py checks that the
two agree.
"""

from __future__ import annotations

from typing import Final

# The API's admin scope (<api.scope_server>/admin), set when the token trigger grants it.
ADMIN_SCOPE: Final = "ADMIN_SCOPE"
# api.admin_group, set when there is no token trigger.
ADMIN_GROUP: Final = "ADMIN_GROUP"
# Comma-separated origins that get Access-Control-Allow-Origin.
CORS_ALLOW_ORIGINS: Final = "CORS_ALLOW_ORIGINS"

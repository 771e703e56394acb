"""Cognito's quotas per user pool that this project checks before deploy; both can be raised."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from cdk_app.config.base import Frozen


class QuotasConfig(Frozen):
    """Cognito's default quotas; raise one here only after AWS has raised it for the account."""

    identity_providers: Annotated[int, Field(ge=1, le=100_000)] = Field(
        default=300, description="Identity providers per user pool (Cognito's default: 300)."
    )
    app_clients: Annotated[int, Field(ge=1, le=100_000)] = Field(
        default=1000, description="App clients per user pool (Cognito's default: 1,000)."
    )

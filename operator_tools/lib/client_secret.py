"""Fetch a confidential app client's secret from the Cognito API, the only place the tools take it from.

Guarantees: the secret is returned to the caller and never logged, printed or put in an error message;
failures are a ``ToolError`` naming the client and the missing permission or setting.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Protocol

from botocore.exceptions import BotoCoreError, ClientError, NoCredentialsError

from operator_tools.lib.errors import ToolError


class CognitoClient(Protocol):
    """The one call we make; a boto3 ``cognito-idp`` client satisfies it."""

    def describe_user_pool_client(  # (AWS's parameter names)
        self,
        *,
        UserPoolId: str,  # noqa: N803
        ClientId: str,  # noqa: N803
    ) -> Mapping[str, Any]: ...


def fetch_client_secret(cognito: CognitoClient, user_pool_id: str, client_id: str) -> str:
    """The client's secret via ``DescribeUserPoolClient`` (needs ``cognito-idp:DescribeUserPoolClient``)."""
    try:
        answer = cognito.describe_user_pool_client(UserPoolId=user_pool_id, ClientId=client_id)
    except NoCredentialsError:
        raise ToolError("no AWS credentials to read the client secret; set AWS_PROFILE") from None
    except ClientError as exc:
        error = exc.response.get("Error", {})
        reason = f"{error.get('Code')}: {error.get('Message')}"
        raise ToolError(f"DescribeUserPoolClient for client {client_id} failed: {reason}") from None
    except BotoCoreError as exc:
        raise ToolError(f"DescribeUserPoolClient for client {client_id} failed: {exc}") from None
    secret = answer.get("UserPoolClient", {}).get("ClientSecret")
    if not isinstance(secret, str) or not secret:
        raise ToolError(
            f"client {client_id} has no secret; a confidential (m2m/web) client must generate one"
        )
    return secret

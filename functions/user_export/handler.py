"""The scheduled export of every user of the pool to S3; the entry point is ``handler.handler``.

Writes the ``make export-users`` format (``user_file``) to ``s3://<BUCKET>/<PREFIX><timestamp>.jsonl``:
the header, one line per user with its groups (Cognito's per-provider groups left out), and the
closing line. Paging: ``ListGroups`` and ``ListUsersInGroup`` first (memberships), then ``ListUsers``
(``PaginationToken``), 60 a page. No password or token is ever in the file (Cognito returns none), and
no user data is logged: only the count and the key. A failure raises, so the function's ``Errors``
metric alarms; a success emits ``UsersExported``.
"""

from __future__ import annotations

import io
import os
from collections import defaultdict
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import boto3
import user_export_variables as variables
import user_file
from aws_lambda_powertools import Logger, Metrics, Tracer
from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.typing import LambdaContext

PAGE = 60
logger = Logger()
tracer = Tracer()
metrics = Metrics()
cognito = boto3.client("cognito-idp")
s3 = boto3.client("s3")


def _pages(method: str, items: str, token_key: str, **kwargs: Any) -> Iterator[dict[str, Any]]:
    token: str | None = None
    while True:
        page = getattr(cognito, method)(**kwargs, **({token_key: token} if token else {}))
        yield from page.get(items, [])
        token = page.get(token_key)
        if not token:
            return


def memberships(pool_id: str) -> dict[str, list[str]]:
    """Username -> its groups (Cognito's per-provider groups left out)."""
    members: defaultdict[str, list[str]] = defaultdict(list)
    for group in _pages("list_groups", "Groups", "NextToken", UserPoolId=pool_id, Limit=PAGE):
        name = str(group["GroupName"])
        if user_file.is_provider_group(pool_id, name):
            continue
        for user in _pages(
            "list_users_in_group", "Users", "NextToken", UserPoolId=pool_id, GroupName=name, Limit=PAGE
        ):
            members[str(user["Username"])].append(name)
    return dict(members)


def export(pool_id: str, environment: str, now: datetime) -> tuple[str, int]:
    """The whole file as text, and its number of users."""
    groups = memberships(pool_id)
    users = _pages("list_users", "Users", "PaginationToken", UserPoolId=pool_id, Limit=PAGE)
    records = (user_file.user_record(u, groups.get(str(u["Username"]), ())) for u in users)
    out = io.StringIO()
    header = user_file.Header(environment, pool_id, user_file.utc_timestamp(now))
    count = user_file.write_users(out, header, records)
    return out.getvalue(), count


@logger.inject_lambda_context
@tracer.capture_lambda_handler
@metrics.log_metrics
def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    """Export every user to the bucket; raise on any failure."""
    now = datetime.now(UTC)
    text, count = export(os.environ[variables.USER_POOL_ID], os.environ[variables.ENVIRONMENT], now)
    key = f"{os.environ[variables.PREFIX]}{now.strftime('%Y-%m-%dT%H-%M-%SZ')}.jsonl"
    s3.put_object(
        Bucket=os.environ[variables.BUCKET], Key=key, Body=text.encode(), ContentType="application/jsonl"
    )
    metrics.add_metric(name="UsersExported", unit=MetricUnit.Count, value=count)
    logger.info("Users exported", extra={"users": count, "key": key})
    return {"users": count, "key": key}

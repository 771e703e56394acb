"""Users out of a pool and back into one: ``make export-users`` and ``make restore-users``.

- ``cognito_calls``: every Cognito call, paced below the account's request-rate quotas, retried with
  backoff when Cognito throttles anyway, and paged to the end;
- ``pool_reader``: a pool's users with their groups, and what a restore checks a file against;
- ``export``: the private file, written atomically;
- ``restore_plan`` and ``restore_apply``: the whole file checked against the pool, then applied.

The file format itself lives in ``functions/user_export/user_file.py``, shared with the scheduled
export's Lambda. Imports: boto3/botocore, ``cdk_app.config``, and the operator tools' shared helpers.
"""

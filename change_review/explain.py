"""What a change means for the people using the pool, in words a reviewer can check."""

from __future__ import annotations

from typing import Any

# Resources whose loss loses data or identity, so removing or replacing one is DATA LOSS. Kept
# short on purpose: log groups, roles or functions are cheap to recreate and are not on it.
STATEFUL_TYPES: dict[str, str] = {
    "AWS::Cognito::UserPool": "user pool",
    "AWS::DynamoDB::Table": "table",
    "AWS::DynamoDB::GlobalTable": "global table",
    "AWS::S3::Bucket": "bucket",
    "AWS::KMS::Key": "KMS key",
    "AWS::SecretsManager::Secret": "secret",
    "AWS::RDS::DBCluster": "database cluster",
    "AWS::RDS::DBInstance": "database instance",
    "AWS::EFS::FileSystem": "file system",
}

_CONTENTS = {
    "AWS::Cognito::UserPool": "every user, password, MFA enrolment and federated link in it",
    "AWS::KMS::Key": "its key material (data encrypted under it becomes unreadable)",
}

# (type, first create-only property) -> what replacement does to the people relying on it.
_REPLACEMENT: dict[tuple[str, str], str] = {
    ("AWS::Cognito::UserPoolClient", "GenerateSecret"): (
        "a new client with a new client ID (and secret) that every app must learn; the old client "
        "is deleted, so apps still using its ID stop signing in"
    ),
    ("AWS::Cognito::UserPoolClient", "UserPoolId"): "a new client (new client ID) in another pool",
    ("AWS::Cognito::UserPoolDomain", "Domain"): (
        "a new sign-in URL: every app's authorize/token/logout endpoints and every identity "
        "provider's redirect URI (…/oauth2/idpresponse, …/saml2/idpresponse) must change, and the "
        "old URL stops working"
    ),
    ("AWS::Cognito::UserPoolIdentityProvider", "ProviderName"): (
        "a new provider name: clients' SupportedIdentityProviders and identity_provider= links must "
        "follow, and returning federated users get NEW user profiles (usernames embed the provider name)"
    ),
    ("AWS::Cognito::UserPoolResourceServer", "Identifier"): (
        "every scope is renamed (<identifier>/<scope>): clients and APIs checking the old scopes break"
    ),
    (
        "AWS::Cognito::UserPoolGroup",
        "GroupName",
    ): "a new, empty group: every membership of the old group is lost",
    ("AWS::Cognito::ManagedLoginBranding", "ClientId"): "a new branding style (the old one is deleted)",
}


# What removing a (non-stateful) resource breaks, where it breaks something people notice.
_REMOVAL: dict[str, str] = {
    "AWS::Cognito::UserPoolClient": "apps still using its client ID stop signing in",
    "AWS::Cognito::UserPoolDomain": "the hosted sign-in URL stops working",
    "AWS::Cognito::UserPoolIdentityProvider": "users can no longer sign in through this provider",
    "AWS::Cognito::UserPoolGroup": "its memberships are lost",
    "AWS::Cognito::UserPoolResourceServer": "its scopes stop existing; clients asking for them fail",
    # CDK puts a hash of the API into the deployment's logical ID, so every API change swaps it.
    "AWS::ApiGateway::Deployment": "a new deployment of the API takes its place (routine for any API change)",
}


def noun(resource_type: str) -> str:
    """A short name for the type: "user pool", or the last part of the type name."""
    return STATEFUL_TYPES.get(resource_type) or resource_type.rsplit("::", 1)[-1]


def is_retained(resource: dict[str, Any]) -> bool:
    """Whether CloudFormation keeps the physical resource when it drops it from the stack."""
    return str(resource.get("DeletionPolicy", "Delete")) in {"Retain", "RetainExceptOnCreate", "Snapshot"}


def replacement(resource_type: str, prop: str, old: dict[str, Any]) -> str:
    """Why replacing the resource because ``prop`` (a create-only property) changed matters."""
    what = _REPLACEMENT.get((resource_type, prop))
    base = f"{prop} is create-only, so CloudFormation replaces the {noun(resource_type)}"
    if resource_type in STATEFUL_TYPES:
        kept = str(old.get("UpdateReplacePolicy", "Delete")) in {"Retain", "Snapshot"}
        fate = "RETAIN only orphans the old one" if kept else "the old one is DELETED"
        return f"{base} with a new, EMPTY one; {fate} with {_contents(resource_type)}"
    return f"{base}: {what}" if what else f"{base} (new physical ID; the old one is deleted)"


def rename(resource_type: str, old_id: str, new_id: str, old: dict[str, Any]) -> str:
    """The explanation of a stateful resource whose logical ID changed (remove + add)."""
    kind = noun(resource_type)
    fate = (
        "RETAIN only orphans the old one: it stays, unmanaged, with its contents, but nothing uses it"
        if is_retained(old)
        else f"the old one is DELETED with {_contents(resource_type)}"
    )
    return (
        f"logical ID changed {old_id} → {new_id}: CloudFormation creates a new, EMPTY {kind}; {fate}. "
        f"Keep the old construct ID, or pin it with override_logical_id({old_id!r})"
    )


def removal(resource_type: str, logical_id: str, old: dict[str, Any]) -> str:
    """The explanation of a removed resource; DATA LOSS wording for stateful types."""
    kind = noun(resource_type)
    if resource_type not in STATEFUL_TYPES:
        effect = _REMOVAL.get(resource_type)
        return f"removed: CloudFormation deletes the {kind}" + (f"; {effect}" if effect else "")
    if is_retained(old):
        return (
            f"removed: the {kind} {logical_id} is retained but orphaned — no longer managed, and "
            "nothing in the stack uses it"
        )
    return f"removed: CloudFormation DELETES the {kind} {logical_id} with {_contents(resource_type)}"


def dependency(resource_type: str, prop: str, target: str) -> str:
    """A resource replaced because a create-only property refers to a replaced resource."""
    return (
        f"{prop} is create-only and refers to {target}, which is replaced: its value changes at "
        f"deploy time, so CloudFormation replaces this {noun(resource_type)} too"
    )


def _contents(resource_type: str) -> str:
    return _CONTENTS.get(resource_type, "everything stored in it")

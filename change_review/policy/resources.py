"""What the review knows about resource types: what they hold, what others reach them by, which
names they keep and what protects them. These tables decide verdicts; ``verdicts.py`` applies them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from change_review.core.model import Verdict

USER_POOL = "AWS::Cognito::UserPool"
CLIENT = "AWS::Cognito::UserPoolClient"
DOMAIN = "AWS::Cognito::UserPoolDomain"
GROUP = "AWS::Cognito::UserPoolGroup"
PROVIDER = "AWS::Cognito::UserPoolIdentityProvider"
RESOURCE_SERVER = "AWS::Cognito::UserPoolResourceServer"

# Resources whose loss loses data or identity: removing, renaming or replacing one is DATA LOSS.
# Kept short on purpose: log groups, roles or functions are cheap to recreate and are not on it.
# A group is on it because its memberships are data that only people (or a sync job) put there.
STATEFUL_TYPES: dict[str, str] = {
    USER_POOL: "user pool",
    GROUP: "group",
    "AWS::DynamoDB::Table": "table",
    "AWS::DynamoDB::GlobalTable": "global table",
    "AWS::S3::Bucket": "bucket",
    "AWS::KMS::Key": "KMS key",
    "AWS::SecretsManager::Secret": "secret",
    "AWS::RDS::DBCluster": "database cluster",
    "AWS::RDS::DBInstance": "database instance",
    "AWS::EFS::FileSystem": "file system",
}

# What goes with a stateful resource (default: "everything stored in it").
CONTENTS: dict[str, str] = {
    USER_POOL: "every user, password, MFA enrolment and federated link in it",
    GROUP: "every membership in it",
    "AWS::KMS::Key": "its key material (data encrypted under it becomes unreadable)",
}

# Resources that apps or users reach by an ID, URL or name: removing one is BREAKING, because
# whatever holds that ID stops working until it changes. (Replacing one is REPLACEMENT.) A provider's
# users reach it by its name: their usernames embed it (policy.federation says who loses sign-in).
REACHED_BY_ID: dict[str, str] = {
    CLIENT: "apps still using its client ID stop signing in",
    DOMAIN: (
        "the hosted sign-in URL stops working: every app's sign-in and every identity provider's "
        "redirect URI break"
    ),
    PROVIDER: "its users can no longer sign in through it",
}

# Types whose remove + add in one stack is read as a rename, whatever the logical IDs are, with
# the properties both sides must share to be paired (an OIDC provider never "becomes" a SAML one).
RENAMEABLE: dict[str, tuple[str, ...]] = {
    **{t: () for t in STATEFUL_TYPES},
    CLIENT: (),
    DOMAIN: (),
    PROVIDER: ("ProviderType",),
    RESOURCE_SERVER: (),
}


@dataclass(frozen=True)
class CustomName:
    """A property that names the physical resource and must be unique, and where it must be unique.

    CloudFormation creates a replacement before it deletes the old resource, so a replacement (or
    a rename) that keeps the name collides with the old resource and the deploy fails.
    """

    prop: str
    unique_in: str
    per_pool: bool = False  # unique in one user pool only: a child of a new pool does not collide


CUSTOM_NAMES: dict[str, CustomName] = {
    DOMAIN: CustomName("Domain", "a domain is unique in its region (a prefix) or everywhere (custom)"),
    GROUP: CustomName("GroupName", "a group name is unique in its pool", per_pool=True),
    RESOURCE_SERVER: CustomName("Identifier", "an identifier is unique in its pool", per_pool=True),
    PROVIDER: CustomName("ProviderName", "a provider name is unique in its pool", per_pool=True),
    "AWS::Lambda::Function": CustomName("FunctionName", "a function name is unique in its region"),
    "AWS::Logs::LogGroup": CustomName("LogGroupName", "a log group name is unique in its region"),
    "AWS::IAM::Role": CustomName("RoleName", "a role name is unique in its account"),
    "AWS::DynamoDB::Table": CustomName("TableName", "a table name is unique in its region"),
    "AWS::S3::Bucket": CustomName("BucketName", "a bucket name is unique across AWS"),
    "AWS::SecretsManager::Secret": CustomName("Name", "a secret name is unique in its region"),
}
POOL_ID = "UserPoolId"
# Names that need not be unique, but still say which resource a person means.
_LABELS = {USER_POOL: "UserPoolName", CLIENT: "ClientName"}

# Switches that stop a stateful resource from being deleted: (property, the values that protect).
DELETION_PROTECTION: dict[str, tuple[str, tuple[Any, ...]]] = {
    USER_POOL: ("DeletionProtection", ("ACTIVE",)),
    "AWS::DynamoDB::Table": ("DeletionProtectionEnabled", (True, "true")),
    "AWS::DynamoDB::GlobalTable": ("DeletionProtectionEnabled", (True, "true")),
    "AWS::RDS::DBCluster": ("DeletionProtection", (True, "true")),
    "AWS::RDS::DBInstance": ("DeletionProtection", (True, "true")),
}
# Resource policies that keep the physical resource when CloudFormation drops or replaces it.
KEEPING_POLICIES = ("Retain", "RetainExceptOnCreate", "Snapshot")
POLICY_ATTRIBUTES = ("DeletionPolicy", "UpdateReplacePolicy")


def noun(resource_type: str) -> str:
    """A short name for the type: "user pool", or the last part of the type name."""
    return STATEFUL_TYPES.get(resource_type) or resource_type.rsplit("::", 1)[-1]


def contents(resource_type: str) -> str:
    """What is lost with a stateful resource of this type."""
    return CONTENTS.get(resource_type, "everything stored in it")


def name_property(resource_type: str) -> str | None:
    """The property that holds the name people know the resource by, if the type has one."""
    custom = CUSTOM_NAMES.get(resource_type)
    return custom.prop if custom else _LABELS.get(resource_type)


def is_stateful(resource_type: str) -> bool:
    return resource_type in STATEFUL_TYPES


def is_retained(resource: dict[str, Any]) -> bool:
    """Whether CloudFormation keeps the physical resource when it drops it from the stack."""
    return str(resource.get("DeletionPolicy", "Delete")) in KEEPING_POLICIES


def replaced_verdict(resource_type: str) -> Verdict:
    """Replacing (or renaming) a resource: DATA LOSS if it holds data, else REPLACEMENT."""
    return Verdict.DATA_LOSS if is_stateful(resource_type) else Verdict.REPLACEMENT


def removed_verdict(resource_type: str) -> Verdict:
    """Removing a resource: DATA LOSS if it holds data, BREAKING if apps reach it by ID, else SAFE."""
    if is_stateful(resource_type):
        return Verdict.DATA_LOSS
    return Verdict.BREAKING if resource_type in REACHED_BY_ID else Verdict.SAFE


def protections_removed(
    resource_type: str, old: dict[str, Any], new: dict[str, Any]
) -> list[tuple[tuple[str, ...], str]]:
    """Each protection a stateful resource had at base and lacks at head: (path, ``"X: old → new"``).

    Deletion protection switched off, and DeletionPolicy or UpdateReplacePolicy moving from a
    keeping policy (Retain, RetainExceptOnCreate, Snapshot) to Delete (or to none, which is Delete).
    """
    if not is_stateful(resource_type):
        return []
    lost: list[tuple[tuple[str, ...], str]] = []
    switch = DELETION_PROTECTION.get(resource_type)
    if switch is not None:
        prop, protecting = switch
        before = old.get("Properties", {}).get(prop)
        after = new.get("Properties", {}).get(prop)
        if before in protecting and after not in protecting:
            shown = after if after is not None else "(absent)"
            lost.append((("Properties", prop), f"{prop}: {before} → {shown}"))
    for attribute in POLICY_ATTRIBUTES:
        before, after = old.get(attribute, "Delete"), new.get(attribute, "Delete")
        if before in KEEPING_POLICIES and after not in KEEPING_POLICIES:
            lost.append(((attribute,), f"{attribute}: {before} → {after}"))
    return lost

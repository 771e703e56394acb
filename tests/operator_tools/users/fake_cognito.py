"""An in-memory user pool behind exactly the operations export and restore call.

Every request is checked against botocore's model of the cognito-idp API (names, types, required
parameters), as a real client checks it, and every call is recorded, so a test can say "nothing was
written". It behaves as Cognito documents: in a pool whose users sign in with email, the username is a
new UUID; a federated user is ``<provider>_<id>`` in Cognito's own provider group.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import boto3
from botocore.exceptions import ClientError
from botocore.validate import ParamValidator

_MODEL = (
    boto3.session.Session(region_name="eu-west-1")
    .client("cognito-idp", aws_access_key_id="AKIDSTANDIN", aws_secret_access_key="fake")
    .meta.service_model
)
WRITES = frozenset(
    {
        "AdminCreateUser", "AdminUpdateUserAttributes", "AdminAddUserToGroup", "AdminDisableUser",
        "AdminEnableUser", "AdminSetUserPassword", "AdminResetUserPassword", "AdminLinkProviderForUser",
    }
)  # fmt: skip
STANDARD = ("email", "email_verified", "name", "phone_number", "phone_number_verified", "updated_at")


@dataclass
class FakeUser:
    username: str
    attributes: dict[str, str]
    status: str = "CONFIRMED"
    enabled: bool = True
    groups: set[str] = field(default_factory=set)

    def out(self) -> dict[str, Any]:
        return {
            "Username": self.username,
            "Attributes": [{"Name": k, "Value": v} for k, v in self.attributes.items()],
            "UserStatus": self.status,
            "Enabled": self.enabled,
            "UserCreateDate": datetime(2026, 1, 2, tzinfo=UTC),
        }


class FakeCognito:
    """One user pool. ``page`` is the page size it answers with (Cognito's is 60)."""

    def __init__(
        self,
        *,
        pool_id: str = "eu-west-1_New",
        username_attributes: Iterable[str] = ("email",),
        case_sensitive: bool = False,
        custom: Iterable[str] = ("custom:tenant",),
        immutable: Iterable[str] = (),
        required: Iterable[str] = ("email",),
        groups: Iterable[str] = ("admins", "users"),
        providers: Iterable[str] = ("Corp",),
        recovery: Iterable[str] = ("verified_email",),
        page: int = 60,
    ) -> None:
        self.pool_id = pool_id
        self.username_attributes = list(username_attributes)
        self.case_sensitive = case_sensitive
        names = (*STANDARD, *custom)
        immutable, required = set(immutable), set(required)
        self.schema = [
            {"Name": "sub", "Mutable": False, "Required": True},
            *({"Name": n, "Mutable": n not in immutable, "Required": n in required} for n in names),
        ]
        self.groups = {g: [] for g in groups}  # name -> member usernames, in order added
        self.providers = list(providers)
        self.recovery = list(recovery)
        self.page = page
        self.users: dict[str, FakeUser] = {}
        self.calls: list[tuple[str, dict[str, Any]]] = []
        self.messages: list[tuple[str, str]] = []  # (kind, username): what Cognito would send
        self.failures: dict[str, str] = {}  # operation -> error code it answers with once

    # --- test set-up ---------------------------------------------------------------------------
    def add_user(self, attributes: dict[str, str], *, groups: Iterable[str] = (), **kwargs: Any) -> FakeUser:
        name = str(uuid.uuid4()) if self.username_attributes else attributes.pop("username")
        user = FakeUser(name, {"sub": str(uuid.uuid4()), **attributes}, **kwargs)
        self.users[name] = user
        for group in groups:
            self._join(user, group)
        return user

    def federated_sign_in(self, provider: str, user_id: str, attributes: dict[str, str]) -> FakeUser:
        """What Cognito does at a federated user's first sign-in."""
        identity = {"userId": user_id, "providerName": provider, "providerType": "OIDC", "primary": "true"}
        user = FakeUser(
            f"{provider}_{user_id}", {"sub": str(uuid.uuid4()), **attributes}, "EXTERNAL_PROVIDER"
        )
        user.attributes["identities"] = json.dumps([identity])
        self.users[user.username] = user
        self.groups.setdefault(f"{self.pool_id}_{provider}", [])
        self._join(user, f"{self.pool_id}_{provider}")
        return user

    def writes(self) -> list[str]:
        return [op for op, _ in self.calls if op in WRITES]

    def find(self, name: str) -> FakeUser:
        found = self._resolve(name)
        assert found is not None, "no such user"
        return found

    # --- reads ---------------------------------------------------------------------------------
    def describe_user_pool(self, **params: Any) -> dict[str, Any]:
        self._record("DescribeUserPool", params)
        return {
            "UserPool": {
                "Id": self.pool_id,
                "SchemaAttributes": self.schema,
                "UsernameAttributes": self.username_attributes,
                "UsernameConfiguration": {"CaseSensitive": self.case_sensitive},
                "AccountRecoverySetting": {
                    "RecoveryMechanisms": [
                        {"Priority": i + 1, "Name": n} for i, n in enumerate(self.recovery)
                    ]
                },
                "EstimatedNumberOfUsers": len(self.users),
            }
        }

    def list_users(self, **params: Any) -> dict[str, Any]:
        self._record("ListUsers", params)
        users = [u.out() for u in self.users.values()]
        return self._paged(users, params, "Users", "PaginationToken")

    def list_groups(self, **params: Any) -> dict[str, Any]:
        self._record("ListGroups", params)
        return self._paged([{"GroupName": g} for g in self.groups], params, "Groups", "NextToken")

    def list_users_in_group(self, **params: Any) -> dict[str, Any]:
        self._record("ListUsersInGroup", params)
        members = [self.users[m].out() for m in self.groups[params["GroupName"]]]
        return self._paged(members, params, "Users", "NextToken")

    def list_identity_providers(self, **params: Any) -> dict[str, Any]:
        self._record("ListIdentityProviders", params)
        found = [{"ProviderName": p, "ProviderType": "OIDC"} for p in self.providers]
        return self._paged(found, params, "Providers", "NextToken", limit="MaxResults")

    # --- writes --------------------------------------------------------------------------------
    def admin_create_user(self, **params: Any) -> dict[str, Any]:
        self._record("AdminCreateUser", params)
        attributes = {a["Name"]: a["Value"] for a in params.get("UserAttributes", [])}
        if "sub" in attributes or "identities" in attributes:
            self._fail("InvalidParameterException", "Cannot modify the non-mutable attribute")
        if self._resolve(params["Username"]) is not None:
            self._fail("UsernameExistsException", "User account already exists")
        name = params["Username"]
        if self.username_attributes:
            attributes.setdefault(self.username_attributes[0], name)
            name = str(uuid.uuid4())
        user = FakeUser(name, {"sub": str(uuid.uuid4()), **attributes}, "FORCE_CHANGE_PASSWORD")
        self.users[name] = user
        if params.get("MessageAction") != "SUPPRESS":
            self.messages.append(("invitation with a temporary password", name))
        return {"User": user.out()}

    def admin_update_user_attributes(self, **params: Any) -> dict[str, Any]:
        user = self._user("AdminUpdateUserAttributes", params)
        user.attributes.update({a["Name"]: a["Value"] for a in params["UserAttributes"]})
        return {}

    def admin_add_user_to_group(self, **params: Any) -> dict[str, Any]:
        self._join(self._user("AdminAddUserToGroup", params), params["GroupName"])
        return {}

    def admin_disable_user(self, **params: Any) -> dict[str, Any]:
        self._user("AdminDisableUser", params).enabled = False
        return {}

    def admin_enable_user(self, **params: Any) -> dict[str, Any]:
        self._user("AdminEnableUser", params).enabled = True
        return {}

    def admin_set_user_password(self, **params: Any) -> dict[str, Any]:
        user = self._user("AdminSetUserPassword", params)
        user.status = "CONFIRMED" if params.get("Permanent") else "FORCE_CHANGE_PASSWORD"
        return {}

    def admin_reset_user_password(self, **params: Any) -> dict[str, Any]:
        user = self._user("AdminResetUserPassword", params)
        user.status = "RESET_REQUIRED"
        self.messages.append(("password reset code", user.username))
        return {}

    def admin_link_provider_for_user(self, **params: Any) -> dict[str, Any]:
        self._record("AdminLinkProviderForUser", params)
        user = self.find(params["DestinationUser"]["ProviderAttributeValue"])
        source = params["SourceUser"]
        identities = json.loads(user.attributes.get("identities", "[]"))
        identities.append(
            {"userId": source["ProviderAttributeValue"], "providerName": source["ProviderName"]}
        )
        user.attributes["identities"] = json.dumps(identities)
        return {}

    # --- plumbing ------------------------------------------------------------------------------
    def _record(self, operation: str, params: dict[str, Any]) -> None:
        report = ParamValidator().validate(params, _MODEL.operation_model(operation).input_shape)
        assert not report.has_errors(), report.generate_report()
        assert params["UserPoolId"] == self.pool_id
        self.calls.append((operation, params))
        code = self.failures.pop(operation, None)
        if code is not None:
            self._fail(code, "injected by the test", operation)

    def _fail(self, code: str, message: str, operation: str = "Cognito") -> None:
        raise ClientError({"Error": {"Code": code, "Message": message}}, operation)

    def _user(self, operation: str, params: dict[str, Any]) -> FakeUser:
        self._record(operation, params)
        user = self._resolve(params["Username"])
        if user is None:
            self._fail("UserNotFoundException", "User does not exist.", operation)
        assert user is not None
        return user

    def _resolve(self, name: str) -> FakeUser | None:
        fold = (lambda s: s) if self.case_sensitive else str.casefold
        for user in self.users.values():
            if fold(user.username) == fold(name):
                return user
            aliases = (fold(user.attributes.get(a, "")) for a in self.username_attributes)
            if user.status != "EXTERNAL_PROVIDER" and fold(name) in aliases:
                return user
        return None

    def _join(self, user: FakeUser, group: str) -> None:
        if group not in self.groups:
            self._fail("ResourceNotFoundException", "Group not found.")
        if group not in user.groups:
            user.groups.add(group)
            self.groups[group].append(user.username)

    def _paged(
        self, items: list[Any], params: dict[str, Any], key: str, token: str, limit: str = "Limit"
    ) -> dict[str, Any]:
        size = min(params.get(limit, 60), self.page)
        start = int(params.get(token) or 0)
        answer: dict[str, Any] = {key: items[start : start + size]}
        if start + size < len(items):
            answer[token] = str(start + size)
        return answer

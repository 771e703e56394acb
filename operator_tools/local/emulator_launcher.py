"""Start the emulator (MiniStack) with a CloudFormation provisioner for identity providers.

Run by the emulator's own interpreter, never imported by the project::

    .venv-emulator/bin/python operator_tools/local/emulator_launcher.py [--check]

MiniStack's Cognito implements the identity-provider API, but its CloudFormation engine has no
provisioner for ``AWS::Cognito::UserPoolIdentityProvider``, so it refuses a template that holds one.
This launcher adds one to the engine's dispatch table, made of the emulator's own identity-provider
operations, and then runs ``ministack.app.main()`` in this process (so the process that
``operator_tools/local/emulator.py`` records and stops is the server itself).

Guarantees:

- it imports only the standard library and ``ministack`` (a test checks it);
- before it changes anything it checks every emulator internal it relies on; if one has moved, it
  exits with status 1 and ONE line on standard error that names the MiniStack version;
- if MiniStack ships its own provisioner for the type, it adds nothing and says so in the log;
- ``ministack.app.main()`` sees a clean argv; ``--check`` checks and installs, then exits 0;
- ``/oauth2/token`` answers ``application/json``, as Cognito does (``emulator_token_answer.py``).
"""

from __future__ import annotations

import os
import sys

# `python path/to/this.py` puts this file's directory first on sys.path, and its neighbours
# (mailbox.py, timing.py, ...) would shadow the standard library inside the emulator.
_HERE = os.path.dirname(os.path.realpath(__file__))
if sys.path and os.path.realpath(sys.path[0] or os.curdir) == _HERE:
    del sys.path[0]

import importlib  # noqa: E402
import importlib.metadata  # noqa: E402
import importlib.util  # noqa: E402
import inspect  # noqa: E402
import json  # noqa: E402
from collections.abc import Callable  # noqa: E402
from dataclasses import dataclass  # noqa: E402
from typing import Any  # noqa: E402

RESOURCE_TYPE = "AWS::Cognito::UserPoolIdentityProvider"
# "Update requires: Replacement" in the resource reference; the rest is "No interruption".
REPLACING_PROPERTIES = ("ProviderName", "ProviderType", "UserPoolId")
# What UpdateIdentityProvider sets, each with the value a property the template dropped goes back to.
UPDATABLE_DEFAULTS: dict[str, Any] = {"ProviderDetails": {}, "AttributeMapping": {}, "IdpIdentifiers": []}
LOG_PREFIX = "emulator_launcher:"
# A Cognito type the engine has always provisioned: its entry shows the shape the engine calls.
_REFERENCE_TYPE = "AWS::Cognito::UserPoolGroup"
# Handler key -> how many positional arguments the engine passes it.
_HANDLER_ARITY = {"create": 3, "update": 5, "delete": 2, "import": 1}
_COGNITO_OPERATIONS = (
    "_create_identity_provider", "_describe_identity_provider", "_update_identity_provider",
    "_delete_identity_provider",
)  # fmt: skip


class InternalsMovedError(Exception):
    """An emulator internal the launcher relies on is missing or has another shape."""


@dataclass(frozen=True)
class Internals:
    """The emulator modules the launcher uses, checked."""

    provisioners: Any
    cognito: Any
    serve: Callable[[], object]


def emulator_version() -> str:
    try:
        return importlib.metadata.version("ministack")
    except importlib.metadata.PackageNotFoundError:
        return "(version unknown)"


def _module(name: str) -> Any:
    try:
        return importlib.import_module(name)
    except ImportError as exc:
        raise InternalsMovedError(f"cannot import {name} ({exc})") from None


def _attribute(module: Any, name: str) -> Any:
    if not hasattr(module, name):
        raise InternalsMovedError(f"{module.__name__}.{name} is missing")
    return getattr(module, name)


def _takes(function: Any, count: int, where: str) -> None:
    """``function`` can be called with ``count`` positional arguments (what the engine passes)."""
    try:
        inspect.signature(function).bind(*range(count))
    except (TypeError, ValueError):
        raise InternalsMovedError(f"{where} is not callable with {count} positional argument(s)") from None


def _dict(module: Any, name: str) -> dict[str, Any]:
    value = _attribute(module, name)
    if not isinstance(value, dict):
        raise InternalsMovedError(f"{module.__name__}.{name} is no longer a dict")
    return value


def check_engine(provisioners: Any) -> None:
    """The dispatch table and the replacement tables, in the shape the engine reads them."""
    handlers = _dict(provisioners, "_RESOURCE_HANDLERS")
    reference = handlers.get(_REFERENCE_TYPE)
    where = f"{provisioners.__name__}._RESOURCE_HANDLERS[{_REFERENCE_TYPE!r}]"
    if not isinstance(reference, dict) or reference.get("update_with_logical_id") is not True:
        raise InternalsMovedError(f"{where} no longer has the create/update/delete/import shape")
    for key, count in _HANDLER_ARITY.items():
        _takes(reference.get(key), count, f"{where}[{key!r}]")
    replacing = _dict(provisioners, "_REPLACING_PROPERTIES")
    if not all(isinstance(names, tuple) for names in replacing.values()):
        raise InternalsMovedError(f"{provisioners.__name__}._REPLACING_PROPERTIES no longer maps to tuples")
    custom = _dict(provisioners, "_CUSTOM_NAME_REPLACEMENT")
    if "name" not in custom.get(_REFERENCE_TYPE, {}):
        raise InternalsMovedError(f"{provisioners.__name__}._CUSTOM_NAME_REPLACEMENT entries have no 'name'")
    _takes(
        _attribute(provisioners, "_declared_or_default"), 3, f"{provisioners.__name__}._declared_or_default"
    )
    recreation = _attribute(provisioners, "_property_recreation")
    # The engine replaces a resource when this says "Always" for a changed property (the group's
    # GroupName is in the replacement table, its Description is not).
    if [recreation(_REFERENCE_TYPE, name) for name in ("GroupName", "Description")] != ["Always", "Never"]:
        where = f"{provisioners.__name__}._property_recreation"
        raise InternalsMovedError(f"{where} no longer reads _REPLACING_PROPERTIES")


def check_cognito(cognito: Any) -> None:
    """The identity-provider operations take a JSON body and answer ``(status, headers, body)``."""
    for name in _COGNITO_OPERATIONS:
        _takes(_attribute(cognito, name), 1, f"{cognito.__name__}.{name}")
    if not callable(getattr(_attribute(cognito, "_user_pools"), "get", None)):
        raise InternalsMovedError(f"{cognito.__name__}._user_pools is no longer a pool store")
    # A pool that cannot exist: the answer's shape is checked, nothing is stored.
    answer = cognito._describe_identity_provider({"UserPoolId": "launcher-probe", "ProviderName": "x"})
    if not (isinstance(answer, tuple) and len(answer) == 3 and isinstance(answer[0], int)):
        where = f"{cognito.__name__}._describe_identity_provider"
        raise InternalsMovedError(f"{where} no longer answers (status, headers, body)")
    if _error(answer[2])[0] != "ResourceNotFoundException":
        where = f"{cognito.__name__}._describe_identity_provider"
        raise InternalsMovedError(f"{where} no longer reports an unknown pool")


def _token_answer() -> Any:
    """``emulator_token_answer.py``, loaded by its path: this file's folder is not on ``sys.path``."""
    path = os.path.join(_HERE, "emulator_token_answer.py")
    spec = importlib.util.spec_from_file_location("emulator_token_answer", path)
    if spec is None or spec.loader is None:
        raise InternalsMovedError("emulator_token_answer.py is missing beside the launcher")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def load_internals() -> tuple[Internals, bool]:
    """The checked internals and whether the emulator already provisions the type itself (then only
    what starting it needs is checked: its own provisioner may use other names)."""
    provisioners = _module("ministack.services.cloudformation.provisioners")
    serve = _attribute(_module("ministack.app"), "main")
    _takes(serve, 0, "ministack.app.main")
    handlers = _dict(provisioners, "_RESOURCE_HANDLERS")
    cognito = _module("ministack.services.cognito")
    if moved := _token_answer().problem(cognito):
        raise InternalsMovedError(moved)
    if RESOURCE_TYPE in handlers:
        return Internals(provisioners, cognito, serve), True
    check_engine(provisioners)
    check_cognito(cognito)
    return Internals(provisioners, cognito, serve), False


def _error(body: object) -> tuple[str, str]:
    """The ``__type`` and the message of an error answer's JSON body."""
    try:
        data = json.loads(body)  # type: ignore[arg-type]
        return str(data.get("__type", "")), str(data.get("message", ""))
    except (TypeError, ValueError, AttributeError):
        return "", ""


def _cfn_string(value: object) -> str:
    """A template value as CloudFormation passes it to a string map: booleans in lower case."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return value if isinstance(value, str) else json.dumps(value)


def _string_map(value: object) -> dict[str, str]:
    return {str(k): _cfn_string(v) for k, v in (value or {}).items()} if isinstance(value, dict) else {}


@dataclass(frozen=True)
class Provisioner:
    """Create, update, delete and import for the type, through Cognito's own operations.

    ``Ref`` (the physical ID) is the provider name. A change to a replacing property never reaches
    ``update``: the engine replaces the resource (creates the new one, deletes the old one in its
    cleanup phase, keeps it on rollback): the type is in its replacement table.
    """

    internals: Internals

    def _call(self, operation: str, body: dict[str, Any], what: str) -> None:
        status, _, raw = getattr(self.internals.cognito, operation)(body)
        if status >= 400:
            kind, message = _error(raw)
            raise ValueError(f"{RESOURCE_TYPE} {what} failed: {kind}: {message}")

    def create(self, logical_id: str, props: dict[str, Any], stack_name: str) -> tuple[str, dict[str, Any]]:
        body: dict[str, Any] = {
            "UserPoolId": props.get("UserPoolId", ""), "ProviderName": props.get("ProviderName", ""),
            "ProviderType": props.get("ProviderType", ""),
            "ProviderDetails": _string_map(props.get("ProviderDetails")),
        }  # fmt: skip
        if "AttributeMapping" in props:
            body["AttributeMapping"] = _string_map(props["AttributeMapping"])
        if "IdpIdentifiers" in props:
            body["IdpIdentifiers"] = list(props["IdpIdentifiers"] or [])
        self._call("_create_identity_provider", body, "create")
        return body["ProviderName"], {}

    def update(
        self, physical_id: str, old: dict[str, Any], new: dict[str, Any], stack_name: str, logical_id: str
    ) -> tuple[str, dict[str, Any]]:
        payload = self.internals.provisioners._declared_or_default(old, new, UPDATABLE_DEFAULTS)
        key = {"UserPoolId": new.get("UserPoolId", ""), "ProviderName": physical_id}
        # The identifiers go first and alone: the emulator refuses a duplicate only after it has
        # written the other fields, and a failed update must leave the provider as it was.
        if "IdpIdentifiers" in payload:
            identifiers = list(payload.pop("IdpIdentifiers") or [])
            self._call("_update_identity_provider", {**key, "IdpIdentifiers": identifiers}, "update")
        payload = {name: _string_map(value) for name, value in payload.items()}
        self._call("_update_identity_provider", {**key, **payload}, "update")
        return physical_id, {}

    def delete(self, physical_id: str, props: dict[str, Any]) -> None:
        body = {"UserPoolId": props.get("UserPoolId", ""), "ProviderName": physical_id}
        try:
            self._call("_delete_identity_provider", body, "delete")
        except ValueError as exc:
            # Gone already (with its pool, or by hand): deleted is what the stack wants.
            if ": ResourceNotFoundException:" not in str(exc):
                raise

    def import_(self, identifier: dict[str, Any]) -> tuple[str, dict[str, Any]]:
        body = {
            "UserPoolId": identifier.get("UserPoolId", ""),
            "ProviderName": identifier.get("ProviderName"),
        }
        self._call("_describe_identity_provider", body, "import")
        return str(body["ProviderName"]), {}


def install(internals: Internals) -> None:
    """Add the type to the engine's dispatch and replacement tables, in place (read at call time)."""
    provisioner = Provisioner(internals)
    engine = internals.provisioners
    engine._RESOURCE_HANDLERS[RESOURCE_TYPE] = {
        "create": provisioner.create, "update": provisioner.update, "update_with_logical_id": True,
        "delete": provisioner.delete, "import": provisioner.import_,
    }  # fmt: skip
    engine._REPLACING_PROPERTIES[RESOURCE_TYPE] = REPLACING_PROPERTIES
    # ProviderName is a custom name: a replacement that keeps it is refused, as CloudFormation does.
    engine._CUSTOM_NAME_REPLACEMENT[RESOURCE_TYPE] = {"name": "ProviderName"}


def main(argv: list[str]) -> int:
    """Check, install, then serve (or, with ``--check``, stop there). Returns the exit status."""
    if argv not in ([], ["--check"]):
        print(f"{LOG_PREFIX} usage: emulator_launcher.py [--check]", file=sys.stderr)
        return 2
    version = emulator_version()
    try:
        internals, shipped = load_internals()
    except InternalsMovedError as exc:
        print(f"{LOG_PREFIX} MiniStack {version} has moved an internal this launcher relies on: {exc}; "
              f"pin a MiniStack the launcher supports or update {os.path.basename(__file__)}",
              file=sys.stderr)  # fmt: skip
        return 1
    _token_answer().install(internals.cognito)
    if shipped:
        done = f"MiniStack {version} ships its own {RESOURCE_TYPE} provisioner; the launcher adds none"
    else:
        install(internals)
        done = f"added the {RESOURCE_TYPE} provisioner to MiniStack {version}"
    print(f"{LOG_PREFIX} {done}", file=sys.stderr)
    if argv == ["--check"]:
        return 0
    sys.argv = ["ministack"]  # main() parses sys.argv: it gets no argument of ours
    internals.serve()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

"""Run by the emulator's interpreter (not collected by pytest): the launcher's check against MiniStack
modules patched in this process, one case at a time. Prints one JSON object: the emulator's version
and, per case, the launcher's exit status, what it wrote to standard error, and what it left behind.

    .venv-emulator/bin/python tests/local/launcher_probe.py <path to emulator_launcher.py>
"""

from __future__ import annotations

import contextlib
import importlib.metadata
import importlib.util
import io
import json
import sys
from collections.abc import Iterator
from typing import Any

import ministack.app as app
import ministack.services.cloudformation.provisioners as provisioners
import ministack.services.cognito as cognito

TYPE = "AWS::Cognito::UserPoolIdentityProvider"
GROUP = "AWS::Cognito::UserPoolGroup"
_GONE = object()


def _load_launcher(path: str) -> Any:
    spec = importlib.util.spec_from_file_location("emulator_launcher", path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


@contextlib.contextmanager
def patched(target: Any, name: str, value: object) -> Iterator[None]:
    """``target.name`` (an attribute, or a key of a dict) set to ``value``, or removed (``_GONE``)."""
    is_dict = isinstance(target, dict)
    before = target.get(name, _GONE) if is_dict else getattr(target, name, _GONE)
    if is_dict:
        target.pop(name, None) if value is _GONE else target.__setitem__(name, value)
    elif value is _GONE:
        delattr(target, name)
    else:
        setattr(target, name, value)
    try:
        yield
    finally:
        if before is _GONE:
            target.pop(name, None) if is_dict else delattr(target, name)
        elif is_dict:
            target[name] = before
        else:
            setattr(target, name, before)


def _group_entry(**changes: object) -> dict[str, object]:
    return {**provisioners._RESOURCE_HANDLERS[GROUP], **changes}


# Case name -> (what is patched, the attribute or key, its new value).
MOVED: dict[str, tuple[Any, str, object]] = {
    "dispatch table missing": (provisioners, "_RESOURCE_HANDLERS", _GONE),
    "dispatch table not a dict": (provisioners, "_RESOURCE_HANDLERS", []),
    "handler shape changed": (
        provisioners._RESOURCE_HANDLERS,
        GROUP,
        _group_entry(update_with_logical_id=False),
    ),
    "update handler arity changed": (
        provisioners._RESOURCE_HANDLERS,
        GROUP,
        _group_entry(update=lambda physical_id, props: None),
    ),
    "replacement table missing": (provisioners, "_REPLACING_PROPERTIES", _GONE),
    "custom-name table missing": (provisioners, "_CUSTOM_NAME_REPLACEMENT", _GONE),
    "declared_or_default missing": (provisioners, "_declared_or_default", _GONE),
    "replacement table not read": (provisioners, "_property_recreation", lambda rtype, name: "Conditionally"),
    "create operation missing": (cognito, "_create_identity_provider", _GONE),
    "delete operation missing": (cognito, "_delete_identity_provider", _GONE),
    "update call shape changed": (cognito, "_update_identity_provider", lambda pool_id, body: None),
    "answer shape changed": (cognito, "_describe_identity_provider", lambda data: {"IdentityProvider": {}}),
    "pool store missing": (cognito, "_user_pools", _GONE),
    "cognito module unimportable": (sys.modules, "ministack.services.cognito", None),
    "token handler missing": (cognito, "_oauth2_token", _GONE),
    "token answer shape changed": (cognito, "_oauth2_token", lambda data, query, body, headers: b"{}"),
    "server entry missing": (app, "main", _GONE),
    "server entry takes arguments": (app, "main", lambda port: None),
}


def _tables() -> dict[str, dict[str, Any]]:
    names = ("_RESOURCE_HANDLERS", "_REPLACING_PROPERTIES", "_CUSTOM_NAME_REPLACEMENT")
    return {n: getattr(provisioners, n) for n in names if isinstance(getattr(provisioners, n, None), dict)}


def run(launcher: Any, argv: list[str]) -> dict[str, object]:
    """The launcher's ``main(argv)``; then what it registered is removed, for the next case."""
    err = io.StringIO()
    with contextlib.redirect_stderr(err):
        status = launcher.main(argv)
    tables = _tables()
    registered = {name: TYPE in table for name, table in tables.items()}
    handlers = sorted(tables.get("_RESOURCE_HANDLERS", {}).get(TYPE, {}))
    for table in tables.values():
        table.pop(TYPE, None)
    return {"status": status, "stderr": err.getvalue(), "registered": registered, "handlers": handlers}


def main() -> None:
    launcher = _load_launcher(sys.argv[1])
    results: dict[str, object] = {}
    for case, (target, name, value) in MOVED.items():
        with patched(target, name, value):
            results[case] = run(launcher, ["--check"])
    results["healthy"] = run(launcher, ["--check"])
    # A MiniStack that ships its own provisioner (one key, so it is told apart from the launcher's).
    with patched(provisioners._RESOURCE_HANDLERS, TYPE, {"create": lambda *args: ("shipped", {})}):
        results["shipped"] = run(launcher, ["--check"])
    seen: list[list[str]] = []
    with patched(app, "main", lambda: seen.append(list(sys.argv))):
        served = run(launcher, [])
    served["argv"] = seen
    results["serve"] = served
    results["bad arguments"] = run(launcher, ["--port", "1"])

    # A token answer labelled as MiniStack labels a federated code's: what the wrapped handler says.
    def aws_json(
        data: Any, query: Any, body: bytes = b"", headers: Any = None
    ) -> tuple[int, dict[str, str], bytes]:
        return 200, {"Content-Type": "application/x-amz-json-1.0", "X-Kept": "yes"}, b'{"id_token": "t"}'

    with patched(cognito, "_oauth2_token", aws_json):
        token = run(launcher, ["--check"])
        status, headers, body = cognito._oauth2_token({}, {}, b"grant_type=authorization_code", {})
    token["answer"] = {"status": status, "headers": headers, "body": body.decode()}
    results["token answer"] = token
    print(json.dumps({"version": importlib.metadata.version("ministack"), "cases": results}))


if __name__ == "__main__":
    main()

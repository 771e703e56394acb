"""Loads the API function the way Lambda does: ``functions/api`` on ``sys.path``, then ``import handler``."""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from tests.functions.api_events import ALLOWED_ORIGIN, ApiResponse, FakeLambdaContext, decode

API_DIR = Path(__file__).resolve().parents[2] / "functions" / "api"

# The folder is the Lambda asset, not a package: its modules are top-level, as in /var/task.
sys.path.insert(0, str(API_DIR))


def _import_handler() -> ModuleType:
    # Logger, Tracer and the resolver are built at import, so their settings must be in place first.
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("POWERTOOLS_TRACE_DISABLED", "1")
        patch.setenv("POWERTOOLS_SERVICE_NAME", "api-tests")
        patch.setenv("CORS_ALLOW_ORIGINS", f"{ALLOWED_ORIGIN}, https://admin.example.com")
        # Bytecode written into functions/api would end up in the Lambda asset.
        patch.setattr(sys, "dont_write_bytecode", True)
        module = importlib.import_module("handler")
    if Path(module.__file__ or "").parent != API_DIR:
        raise RuntimeError(f"imported {module.__file__}, not the API function's handler.py")
    return module


HANDLER = _import_handler()


@pytest.fixture(autouse=True)
def _function_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("POWERTOOLS_TRACE_DISABLED", "1")
    monkeypatch.setenv("POWERTOOLS_SERVICE_NAME", "api-tests")
    # The route reads ADMIN_GROUP per request; the CDK app always sets it (from api.admin_group).
    monkeypatch.setenv("ADMIN_GROUP", "admins")


@pytest.fixture
def api() -> ModuleType:
    """The imported ``handler`` module."""
    return HANDLER


@pytest.fixture
def invoke() -> Callable[[dict[str, Any]], ApiResponse]:
    """Invoke ``handler.handler`` with a fresh context and decode the proxy response."""

    def call(event: dict[str, Any]) -> ApiResponse:
        return decode(HANDLER.handler(event, FakeLambdaContext()))

    return call

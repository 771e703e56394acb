"""Typed, frozen, validated configuration: parsed once at the edge (``app.py``)."""

from cdk_app.config.environment import EnvironmentConfig
from cdk_app.config.errors import ConfigError
from cdk_app.config.loader import available_environments, load_environment, load_environments

__all__ = [
    "ConfigError",
    "EnvironmentConfig",
    "available_environments",
    "load_environment",
    "load_environments",
]

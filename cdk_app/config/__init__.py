"""Typed, frozen, validated configuration: parsed once at the edge (``cdk_app.config.loading``).

The models (one module per unit) check each key on its own; ``cdk_app.config.rules`` holds every
rule across keys and files, and ``cdk_app.config.loading`` reads the files and runs those rules on
everything it read. Imports go one way: models <- rules <- loading.
"""

from cdk_app.config.environment import EnvironmentConfig
from cdk_app.config.errors import ConfigError, Problem
from cdk_app.config.files import available_environments

__all__ = ["ConfigError", "EnvironmentConfig", "Problem", "available_environments"]

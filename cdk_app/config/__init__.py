"""Typed, frozen, validated configuration: parsed once at the edge (``load_project``).

The models (one module per unit) check each key on its own; ``cdk_app.config.rules`` holds every
rule across keys and files, which the loaders run on everything they read.
"""

from cdk_app.config.environment import EnvironmentConfig
from cdk_app.config.errors import ConfigError, Problem
from cdk_app.config.files import available_environments
from cdk_app.config.loader import load_environment, load_environments
from cdk_app.config.project import Project, load_pipeline, load_project

__all__ = [
    "ConfigError",
    "EnvironmentConfig",
    "Problem",
    "Project",
    "available_environments",
    "load_environment",
    "load_environments",
    "load_pipeline",
    "load_project",
]

"""Typed, frozen, validated configuration: parsed once at the edge (``load_project``)."""

from cdk_app.config.environment import EnvironmentConfig
from cdk_app.config.errors import ConfigError, Problem
from cdk_app.config.loader import available_environments, load_environment, load_environments
from cdk_app.config.project import Project, load_project

__all__ = [
    "ConfigError",
    "EnvironmentConfig",
    "Problem",
    "Project",
    "available_environments",
    "load_environment",
    "load_environments",
    "load_project",
]

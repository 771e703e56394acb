"""Reading config files: the edge where text becomes checked models (``load_project``).

A subpackage of its own because it runs ``cdk_app.config.rules`` over the models: the models and the
rules never import it back, so the layers inside config stay one-way (models <- rules <- loading).
"""

from cdk_app.config.loading.loader import load_environment, load_environments
from cdk_app.config.loading.project import Project, load_pipeline, load_project

__all__ = ["Project", "load_environment", "load_environments", "load_pipeline", "load_project"]

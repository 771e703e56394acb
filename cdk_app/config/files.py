"""Where config lives: the config directory, one ``<name>.yaml`` per environment, and how a name a run
asks for is matched against them."""

from __future__ import annotations

from pathlib import Path

from cdk_app.config.messages import closest

CONFIG_DIR = Path(__file__).resolve().parents[2] / "config"


def available_environments(config_dir: Path = CONFIG_DIR) -> list[str]:
    """Environment names, one per ``*.yaml`` file directly under ``config_dir``."""
    return sorted(p.stem for p in config_dir.glob("*.yaml"))


def unknown_environment(name: str, known: list[str]) -> str:
    """The reason for a name that has no file: every environment, and the closest one."""
    return f"no environment named {name!r}; {environment_choices(name, known)}"


def environment_choices(name: str, known: list[str]) -> str:
    """``did you mean 'dev'? environments: dev, prod, staging`` for a mistyped ``name``."""
    listed = ", ".join(known) or "none (add config/<name>.yaml)"
    close = closest(name, known)
    return f"did you mean {close!r}? environments: {listed}" if close else f"environments: {listed}"

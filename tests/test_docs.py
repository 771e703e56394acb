"""The docs document what the code does: the config reference is the generated one."""

from __future__ import annotations

from pathlib import Path

from cdk_app.config.environment import EnvironmentConfig
from dev_tools.config_reference import BEGIN, END, render, rows

README = Path(__file__).resolve().parents[1] / "docs" / "configuration.md"


def test_readme_config_reference_matches_the_models() -> None:
    text = README.read_text()
    start, end = text.index(BEGIN), text.index(END) + len(END)
    assert text[start:end] == render(), (
        "docs/configuration.md's config reference is stale: paste the output of "
        "`python -m dev_tools.config_reference` between the markers"
    )


def test_reference_lists_every_key_with_type_and_default() -> None:
    table = render()
    for key, type_name, default, _ in rows(EnvironmentConfig):
        assert f"| `{key}` | {type_name} | {default} |" in table
    assert "| `clients[].kind` |" in table
    assert "| `user_pool.mfa.mode` | `off` \\| `optional` \\| `required` | `optional` |" in table

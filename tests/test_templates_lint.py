"""cfn-lint: zero errors and zero warnings on every synthesized template, fixtures and config files.

cfn-lint started in the background as soon as each session synth finished (see tests/conftest.py);
this module sorts late so the other tests run while it works.
"""

from __future__ import annotations

from tests.synthesis import LintResult, Synthesized


def test_cfn_lint_is_clean_on_every_fixture_template(synth: Synthesized, cfn_lint: LintResult) -> None:
    assert cfn_lint.templates == synth.template_files()
    assert len(cfn_lint.templates) == len(synth.templates), "every synthesized stack is linted"
    assert cfn_lint.findings == [], "\n".join(cfn_lint.findings)
    assert cfn_lint.returncode == 0, cfn_lint.stderr


def test_cfn_lint_is_clean_on_every_config_files_template(
    shipped: Synthesized, shipped_cfn_lint: LintResult
) -> None:
    assert shipped_cfn_lint.templates == shipped.template_files()
    assert len(shipped_cfn_lint.templates) >= len(shipped.templates), "every synthesized stack is linted"
    assert shipped_cfn_lint.findings == [], "\n".join(shipped_cfn_lint.findings)
    assert shipped_cfn_lint.returncode == 0, shipped_cfn_lint.stderr

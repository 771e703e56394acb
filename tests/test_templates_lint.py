"""cfn-lint: zero errors and zero warnings on every synthesized template.

cfn-lint started in the background as soon as the session synthesized (see tests/conftest.py); this
module sorts late so the other tests run while it works.
"""

from __future__ import annotations

import subprocess

from tests.synthesis import Synthesized


def test_cfn_lint_is_clean(synth: Synthesized, cfn_lint: subprocess.CompletedProcess[str]) -> None:
    linted = [a for a in cfn_lint.args if str(a).endswith(".template.json")]
    assert len(linted) == len(synth.templates), "every synthesized template is linted"
    assert cfn_lint.stdout == "", cfn_lint.stdout
    assert cfn_lint.returncode == 0, cfn_lint.stderr

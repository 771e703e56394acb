"""How pytest-xdist shares the suite among its workers (``make test`` runs ``pytest -n auto``).

Each module goes to one worker whole, so its module-scoped fixtures (a variant synth, the pipeline's
synth, a file a module writes into the repository for its tests) are made once; and every test under
tests/review/ goes to one worker, so the review's catalogue of synthesized changes
(tests/review/changes.py) and its end-to-end ``make review`` in the background are each made once,
while the other workers run the rest. The largest unit (the review) is handed out first.

xdist's own ``loadgroup`` mode would do this with markers, but with pytest 9 its group never reaches
the scheduler (xdist 3.8 renames ``item._nodeid``, which pytest no longer reads), so the grouping is
by path here.
"""

from __future__ import annotations

from xdist.scheduler import LoadScopeScheduling

# Tests under these directories form one unit of work each.
TOGETHER = ("tests/review/",)


class ModulesAndReviewTogether(LoadScopeScheduling):
    """xdist's ``loadscope`` (one module per unit, largest units first), with the review as one unit."""

    def _split_scope(self, nodeid: str) -> str:
        for prefix in TOGETHER:
            if nodeid.startswith(prefix):
                return prefix
        return nodeid.split("::", 1)[0]

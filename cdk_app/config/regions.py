"""Which AWS regions exist: botocore's bundled partition data, read once per process.

botocore ships ``data/partitions.json`` (a few KiB, every partition and its regions) and updates it
with each release. It is read as a file, without importing botocore, so the check costs about a
millisecond. A region AWS opened after the installed botocore was released is refused until
botocore is upgraded; the message says so. ``base.AwsRegion``, the type of every region key, checks
with it.
"""

from __future__ import annotations

import difflib
import importlib.util
import json
from functools import cache
from pathlib import Path
from typing import Any


@cache
def known_regions() -> frozenset[str]:
    """Every region in botocore's partition data (``aws``, ``aws-cn``, ``aws-us-gov``, ...).

    Raises ``LookupError`` if botocore is not installed (it is in requirements.txt).
    """
    spec = importlib.util.find_spec("botocore")
    if spec is None or not spec.submodule_search_locations:
        raise LookupError("botocore is not installed (run make setup)")
    data = Path(next(iter(spec.submodule_search_locations))) / "data" / "partitions.json"
    partitions: list[dict[str, Any]] = json.loads(data.read_text(encoding="utf-8"))["partitions"]
    # "aws-global" and friends name a partition's global endpoint, not a region one can deploy to.
    return frozenset(r for p in partitions for r in p["regions"] if not r.endswith("-global"))


def region_reason(region: str) -> str | None:
    """Why ``region`` is not an AWS region (with the closest ones), or ``None`` if it is one."""
    try:
        regions = known_regions()
    except (LookupError, OSError, ValueError) as exc:
        return f"cannot check the region: {exc}"
    if region in regions:
        return None
    close = sorted(difflib.get_close_matches(region, sorted(regions), n=3, cutoff=0.6))
    hint = ""
    if close:
        first = ", ".join(repr(c) for c in close[:-1])
        hint = f"; did you mean {first + ' or ' if first else ''}{close[-1]!r}?"
    return f"{region!r} is not an AWS region{hint} (if it is new, upgrade botocore)"

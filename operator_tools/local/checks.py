"""The local loop's verdicts: one line each, printed as they happen, none carrying a token."""

from __future__ import annotations

from typing import TextIO

from operator_tools import http_json


class Checks:
    """Counts checks and remembers the failed ones; ``expect`` prints ``PASS``/``FAIL`` and a detail."""

    def __init__(self, out: TextIO) -> None:
        self.out = out
        self.failed: list[str] = []
        self.count = 0

    def expect(self, name: str, passed: bool, detail: str) -> None:
        self.count += 1
        if not passed:
            self.failed.append(name)
        print(f"  {'PASS' if passed else 'FAIL'}  {name}: {http_json.redact_tokens(detail)}", file=self.out)

    def status(self, name: str, response: http_json.HttpResponse, wanted: set[int]) -> None:
        self.expect(name, response.status in wanted, f"HTTP {response.status}, expected {sorted(wanted)}")

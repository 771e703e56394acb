"""Adopting the project keeps the suite green: no test may depend on what the config files say.

tests/adoption.py adds an environment to a copy of the repository and replaces every documented
placeholder in every config file; the whole suite (less this test and the emulator's) runs there.
That run starts with the session (tests/conftest.py) and goes on alongside the other tests.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path
from xml.etree import ElementTree

import pytest

from tests.adoption import adopted_text

TESTS = Path(__file__).resolve().parent
EMULATOR = re.compile(r"^pytestmark = pytest\.mark\.emulator$", re.M)


def test_adopted_texts_keep_comments_and_give_each_environment_its_own_prefix() -> None:
    text = (
        '# see example.com and sso-dev-1\naccount: "123456789012"\n'
        "passkeys: {relying_party_id: sso-dev-1.auth.eu-west-1.amazoncognito.com}\n"
        "domain:\n  prefix: sso-dev-1\n"
    )

    adopted = adopted_text(text, "sandbox")

    assert adopted == (
        '# see example.com and sso-dev-1\naccount: "481516234200"\n'
        "passkeys: {relying_party_id: nwt-sandbox-signin.auth.eu-west-1.amazoncognito.com}\n"
        "domain:\n  prefix: nwt-sandbox-signin\n"
    )


@pytest.mark.adoption
def test_the_suite_stays_green_in_an_adopted_copy(
    adopted_suite: tuple[subprocess.Popen[str], list[str], Path],
) -> None:
    process, leftovers, report = adopted_suite
    output, _ = process.communicate(timeout=900)
    assert leftovers == [], "placeholders the adoption does not replace yet"
    assert process.returncode == 0, output[-6000:]
    summary = output.strip().splitlines()[-1]
    assert re.search(r"\b[1-9]\d* passed", summary), summary
    # This test and the emulator's are left out: neither is among the tests that ran.
    cases = ElementTree.parse(report).iter("testcase")  # noqa: S314 (the inner run's own report)
    ran = {(case.get("classname"), case.get("name")) for case in cases}
    assert len(ran) > 500
    assert ("tests.test_adoption", "test_the_suite_stays_green_in_an_adopted_copy") not in ran
    emulator = {
        ".".join(p.relative_to(TESTS.parent).with_suffix("").parts)
        for p in TESTS.rglob("test_*.py")
        if EMULATOR.search(p.read_text(encoding="utf-8"))
    }
    assert emulator, "some tests start the emulator"
    assert not {module for module, _ in ran} & emulator, "the tests that start the emulator are left out"

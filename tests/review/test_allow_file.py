"""The allow file is validated before anything is synthesized, with messages that point at the entry."""

from __future__ import annotations

from pathlib import Path

import pytest

from change_review import Verdict
from change_review.allow import AllowError, load_allow_file

ROOT = Path(__file__).resolve().parents[2]


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "review-allow.yaml"
    path.write_text(text)
    return path


def test_the_shipped_allow_file_is_valid() -> None:
    # Every entry in it needs a reason; a broken file would stop every review with exit 2.
    assert all(entry.reason for entry in load_allow_file(ROOT / "review-allow.yaml"))


def test_an_entry_is_read_with_its_verdict_spelled_either_way(tmp_path: Path) -> None:
    entries = load_allow_file(
        write(
            tmp_path,
            "- {env: dev, stack: Identity, logical_id: UserPool, verdict: data_loss, reason: migrated}\n"
            "- {env: dev, stack: Identity, logical_id: SpaClient, verdict: REPLACEMENT, reason: rotate}\n",
        )
    )
    assert [(e.logical_id, e.verdict) for e in entries] == [
        ("UserPool", Verdict.DATA_LOSS),
        ("SpaClient", Verdict.REPLACEMENT),
    ]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "- {env: dev, stack: Identity, logical_id: X, verdict: REPLACEMENT, reason: '  '}\n",
            "review-allow.yaml:1: [0].reason: must not be empty",
        ),
        (
            "- {env: dev, stack: Identity, logical_id: X, verdict: SAFE, reason: r}\n",
            "SAFE changes pass without an entry",
        ),
        (
            "- {env: dev, stack: Identity, logical_id: X, verdict: OOPS, reason: r}\n",
            "review-allow.yaml:1: [0].verdict: must be one of",
        ),
        (
            "- {env: dev, stack: Identity, logical_id: X, verdict: REPLACEMENT, reason: r, ttl: 3}\n",
            "review-allow.yaml:1: [0].ttl: unknown key",
        ),
        ("env: dev\n", "must be a list of entries"),
        ("- [unclosed\n", "review-allow.yaml:2: invalid YAML"),
    ],
)
def test_a_bad_allow_file_names_the_problem(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(AllowError) as caught:
        load_allow_file(write(tmp_path, text))
    assert message in str(caught.value)


def test_the_allow_file_uses_the_config_error_format_and_reports_every_problem(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "# accepted changes\n"
        "- {env: dev, stack: Identity, logical_id: X, verdict: OOPS, reason: r}\n"
        "- env: dev\n"
        "  stack: Identity\n"
        "  logical_id: Y\n"
        "  verdict: REPLACEMENT\n"
        "  resaon: rotate\n",
    )
    with pytest.raises(AllowError) as caught:
        load_allow_file(path)
    blocking = ", ".join(v.value for v in Verdict if v.blocking)
    assert str(caught.value).splitlines() == [
        f"config error in {path}:2: [0].verdict: must be one of {blocking}",
        f"config error in {path}:3: [1].reason: required key is missing",
        f"config error in {path}:7: [1].resaon: unknown key; did you mean 'reason'?",
    ]


def test_the_allow_file_is_read_by_the_one_reader_without_yaml_traps(tmp_path: Path) -> None:
    # YAML 1.1 would read the environment `no` as false; the reader keeps it text, and refuses aliases.
    entry = "{env: no, stack: Identity, logical_id: X, verdict: REPLACEMENT, reason: r}"
    assert load_allow_file(write(tmp_path, f"- {entry}\n"))[0].env == "no"
    with pytest.raises(AllowError) as caught:
        load_allow_file(write(tmp_path, f"- &e {entry}\n- *e\n"))
    assert caught.value.problems[-1].reason == "aliases (*e) are not supported; write the value out"

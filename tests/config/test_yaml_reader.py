"""The one YAML reader has none of YAML's traps: every trap input is read or refused with a clear
problem (file, line, key path), never a traceback, and each is bounded by construction (size, depth,
count and length limits checked while parsing, and no recursion)."""

from __future__ import annotations

from pathlib import Path

import pytest

from cdk_app.config.errors import ConfigError
from cdk_app.config.yaml_io import MAX_BYTES, MAX_DEPTH, MAX_NODES, MAX_SCALAR, parse_yaml, read_yaml_file


def refused(text: str) -> ConfigError:
    with pytest.raises(ConfigError) as caught:
        parse_yaml(text, "f.yaml")
    return caught.value


def lines_of(error: ConfigError) -> list[str]:
    return str(error).splitlines()


def test_yaml_1_1_booleans_are_text_and_only_true_false_are_booleans() -> None:
    data = parse_yaml("a: [off, on, yes, no, y, n, Off, NO]\nb: [true, false, True, FALSE]\n", "f.yaml").data
    assert data == {"a": ["off", "on", "yes", "no", "y", "n", "Off", "NO"], "b": [True, False, True, False]}


def test_scalars_follow_the_yaml_1_2_core_schema() -> None:
    text = (
        "a: 012\nb: 0x1F\nc: 0o17\nd: 1.5e3\ne: ~\nf: 2024-01-01\ng: '12'\nh: !!str 12\ni: 1_000\nj: null\n"
    )
    assert parse_yaml(text, "f.yaml").data == {
        "a": 12,  # no implicit octal in 1.2
        "b": 31,
        "c": 15,
        "d": 1500.0,
        "e": None,
        "f": "2024-01-01",  # text, never a date
        "g": "12",
        "h": "12",
        "i": "1_000",  # 1.1 read 1000
        "j": None,
    }


def test_every_key_and_item_keeps_its_line() -> None:
    doc = parse_yaml("a:\n  b:\n    - x\n    - {c: 1}\nd: 2\n", "f.yaml")
    assert doc.lines == {
        ("a",): 1,
        ("a", "b"): 2,
        ("a", "b", 0): 3,
        ("a", "b", 1): 4,
        ("a", "b", 1, "c"): 4,
        ("d",): 5,
    }


def test_a_duplicate_key_is_an_error_naming_both_lines() -> None:
    error = refused("user_pool:\n  mfa:\n    mode: off\n    factors: []\n    mode: required\n")
    assert lines_of(error) == [
        "config error in f.yaml:5: user_pool.mfa.mode: key given twice, at lines 3 and 5; keep one"
    ]


def test_every_duplicate_key_is_reported_at_once() -> None:
    assert [(p.line, p.field) for p in refused("a: 1\nb: 2\na: 3\nb: 4\n").problems] == [(3, "a"), (4, "b")]


def test_a_self_referencing_alias_is_refused_without_recursion() -> None:
    error = refused("a: &loop [*loop]\n")
    assert lines_of(error) == [
        "config error in f.yaml:1: a: anchors (&loop) are not supported; write the value out",
        "config error in f.yaml:1: a[0]: aliases (*loop) are not supported; write the value out",
    ]


def test_billion_laughs_is_refused_before_anything_expands() -> None:
    rows = ["a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    rows += [f"{k}: &{k} [{', '.join([f'*{p}'] * 9)}]" for p, k in zip("abcdefgh", "bcdefghi", strict=True)]
    error = refused("\n".join(rows) + "\n")
    assert error.problems[0].reason.startswith("anchors (&a) are not supported")
    # 9 levels of 9 aliases would expand to 387 million strings; the reader stops at the cap.
    assert len(error.problems) == 20
    assert error.more >= 1
    assert lines_of(error)[-1].startswith("... and ")


def test_an_alias_cannot_smuggle_a_secret_past_the_plaintext_scan() -> None:
    error = refused("x: &s hunter2\nidentity_providers:\n  google:\n    client_secret: *s\n")
    assert [(p.line, p.field) for p in error.problems] == [
        (1, "x"),
        (4, "identity_providers.google.client_secret"),
    ]
    assert "hunter2" not in str(error)


@pytest.mark.parametrize("levels", [MAX_DEPTH + 1, 999])  # 999: just under libyaml's own limit of 1000
def test_deep_flow_nesting_is_refused_at_the_reader_s_depth(levels: int) -> None:
    error = refused("a: " + "[" * levels + "]" * levels + "\n")
    assert error.line == 1
    assert error.reason == f"nested deeper than {MAX_DEPTH} levels; a config file needs far fewer"


def test_deep_block_nesting_just_under_the_parser_limit_is_refused() -> None:
    error = refused("".join(" " * i + "a:\n" for i in range(999)))
    assert (error.line, error.reason) == (
        MAX_DEPTH + 1,
        f"nested deeper than {MAX_DEPTH} levels; a config file needs far fewer",
    )


def test_nesting_past_the_parser_limit_is_a_yaml_error_not_a_traceback() -> None:
    # libyaml's scanner counts the brackets ahead of the events, so it refuses first.
    error = refused("[" * 5000)
    assert (error.line, error.field, error.reason) == (
        1,
        None,
        "invalid YAML: exceeded maximum nesting depth",
    )


def test_nesting_within_the_limit_is_read() -> None:
    depth = MAX_DEPTH - 1
    data = parse_yaml("[" * depth + "x" + "]" * depth, "f.yaml").data
    for _ in range(depth):
        data = data[0]
    assert data == "x"


def write(tmp_path: Path, data: bytes) -> Path:
    path = tmp_path / "big.yaml"
    path.write_bytes(data)
    return path


def test_a_1_mb_file_of_comments_and_one_key_is_read(tmp_path: Path) -> None:
    key = b"tier: development\n"
    filler = b"# padding\n" * ((MAX_BYTES - len(key)) // 10)
    path = write(tmp_path, filler + key + b"#" * (MAX_BYTES - len(filler) - len(key)))
    assert path.stat().st_size == MAX_BYTES
    assert read_yaml_file(path).data == {"tier": "development"}


def test_a_1_mb_list_is_refused_at_the_value_count(tmp_path: Path) -> None:
    path = write(tmp_path, b"- a\n" * (MAX_BYTES // 4))
    with pytest.raises(ConfigError) as caught:
        read_yaml_file(path)
    assert caught.value.reason == f"more than {MAX_NODES:,} keys and values; a config file has a few hundred"
    assert caught.value.line == MAX_NODES  # the first item is the second value: the list itself counts


def test_a_1_mb_value_is_refused_by_its_length(tmp_path: Path) -> None:
    path = write(tmp_path, b"domain:\n  prefix: " + b"a" * (MAX_BYTES - 20) + b"\n")
    with pytest.raises(ConfigError) as caught:
        read_yaml_file(path)
    assert (caught.value.line, caught.value.field) == (2, "domain.prefix")
    assert caught.value.reason == f"{MAX_BYTES - 20:,} characters; no setting takes more than {MAX_SCALAR:,}"


def test_a_file_over_1_mb_is_refused_without_parsing(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as caught:
        read_yaml_file(write(tmp_path, b"[" * (MAX_BYTES + 1)))
    assert caught.value.reason == "the file is larger than 1024 KiB; a config file is a few KiB"


def test_a_file_that_is_not_utf8_names_its_line(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as caught:
        read_yaml_file(write(tmp_path, "tier: development\ntags: {owner: Zoë}\n".encode("latin-1")))
    assert caught.value.line == 2
    assert caught.value.reason == "not UTF-8 text (byte 0xeb); save it as UTF-8"


def test_a_missing_file_is_a_config_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as caught:
        read_yaml_file(tmp_path / "nope.yaml")
    assert caught.value.reason == "the file does not exist"


@pytest.mark.parametrize(
    ("text", "line", "reason"),
    [
        ("a: !!python/object:os.system x\n", 1, "the tag !!python/object:os.system is not supported"),
        ("a: !!int 3\n", 1, "the tag !!int is not supported"),
        ("a: 1\n---\nb: 2\n", 2, "only one YAML document per file"),
        ("? [a]\n: b\n", 1, "a key must be a plain name"),
        ("a: [\n", 2, "invalid YAML: did not find expected node content"),
        ("a: b: c\n", 1, "invalid YAML: mapping values are not allowed in this context"),
    ],
)
def test_other_refused_yaml_names_the_line(text: str, line: int, reason: str) -> None:
    error = refused(text)
    assert error.line == line
    assert error.reason.startswith(reason)


def test_a_byte_order_mark_is_accepted() -> None:
    assert parse_yaml("\ufefftier: staging\n", "f.yaml").data == {"tier": "staging"}

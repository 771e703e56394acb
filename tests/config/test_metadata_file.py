"""A file the config points at (SAML metadata) is read with errors naming the key, the line and the
file, and once per load however many providers name it."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from cdk_app.config import ConfigError, EnvironmentConfig, referenced_files
from tests.config.conftest import WriteConfig

Load = Callable[..., EnvironmentConfig]
METADATA = (
    '<?xml version="1.0"?><md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" '
    'entityID="https://idp.example.com"/>'
)


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A stand-in repository root for metadata files, so tests never write into the real one."""
    root = tmp_path / "repo"
    (root / "saml").mkdir(parents=True)
    monkeypatch.setattr(referenced_files, "REPO_ROOT", root)
    return root


def saml_provider(*files: str) -> Callable[[dict[str, object]], None]:
    def edit(raw: dict[str, object]) -> None:
        providers = [{"name": f"Corp{i}", "metadata_file": f} for i, f in enumerate(files)]
        raw["identity_providers"] = {"saml": providers}
        raw["clients"][0]["identity_providers"] = ["COGNITO"]  # type: ignore[index]

    return edit


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (None, "'saml/idp.xml' does not exist"),
        ("<md>caf\xe9</md>".encode("latin-1"), "'saml/idp.xml' is not UTF-8 text (line 1); save it as UTF-8"),
        (b"not xml at all", "'saml/idp.xml' is not well-formed XML (syntax error: line 1, column 0)"),
        (b"<?xml version='1.0'?><note/>", "'saml/idp.xml' has no SAML EntityDescriptor root element"),
        (b"<!DOCTYPE x [<!ENTITY a 'aaaa'>]><x>&a;</x>", "'saml/idp.xml' has a <!DOCTYPE>; SAML metadata has none"),
        (b" " * (referenced_files.MAX_FILE_BYTES + 1), "'saml/idp.xml' is larger than 1024 KiB"),
    ],
)  # fmt: skip
def test_a_bad_metadata_file_names_the_key_the_line_and_the_file(
    write_config: WriteConfig, load: Load, repo: Path, content: bytes | None, reason: str
) -> None:
    if content is not None:
        (repo / "saml" / "idp.xml").write_bytes(content)
    config = write_config(saml_provider("saml/idp.xml"))
    with pytest.raises(ConfigError) as caught:
        load()
    line = config.read_text().splitlines().index("  - name: Corp0") + 2
    assert (caught.value.field, caught.value.line) == ("identity_providers.saml[0].metadata_file", line)
    assert caught.value.reason == reason


def test_a_file_outside_the_repository_is_refused(write_config: WriteConfig, load: Load, repo: Path) -> None:
    write_config(saml_provider("../outside.xml"))
    with pytest.raises(ConfigError) as caught:
        load()
    assert caught.value.reason == "'../outside.xml' must be inside the repository"


def test_a_file_named_by_many_providers_is_read_once(
    write_config: WriteConfig, load: Load, repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (repo / "saml" / "idp.xml").write_text(METADATA)
    reads: list[str] = []
    read = referenced_files._read
    monkeypatch.setattr(referenced_files, "_read", lambda relative: reads.append(relative) or read(relative))
    write_config(saml_provider(*["saml/idp.xml"] * 5))
    config = load()
    assert [p.metadata_xml for p in config.identity_providers.saml] == [METADATA] * 5
    assert reads == ["saml/idp.xml"]

"""The one check of a SAML IdP's signing certificates (functions/idp_cert_check/signing_certificates.py),
used by the config rules, `make idp-check` and the scheduled Lambda: which certificates count, when
each expires, the one-line error and warning, untrusted XML, and fetching metadata by URL."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from functions.idp_cert_check.signing_certificates import (
    MAX_METADATA_BYTES,
    MetadataError,
    check_metadata,
    fetch_metadata,
    signing_certificates,
)
from tests.idp_metadata import Key, certificate, idp_metadata, in_days, metadata_server

TODAY = datetime.now(UTC).date()


def test_every_signing_certificate_of_the_idp_is_read_with_its_not_after() -> None:
    expiry = {"signing": in_days(400), "unset": in_days(20)}
    metadata = idp_metadata(
        Key(certificate("signing.idp.example.com", expiry["signing"]), use="signing"),
        # No use attribute: the key is for signing and encryption alike.
        Key(certificate("unset.idp.example.com", expiry["unset"]), use=None),
        Key(certificate("encryption.idp.example.com", in_days(-5)), use="encryption"),
        # A service provider's keys in the same document are not the IdP's.
        sp_keys=(Key(certificate("sp.example.com", in_days(-10))),),
    )

    found = signing_certificates(metadata)

    assert [(c.subject, c.not_after) for c in found] == [
        ("CN=signing.idp.example.com", expiry["signing"]),
        ("CN=unset.idp.example.com", expiry["unset"]),
    ]


def test_a_valid_certificate_needs_no_action() -> None:
    check = check_metadata(idp_metadata(Key(certificate("idp", in_days(90)))), "Acme", TODAY)

    assert (check.error, check.warning, check.needs_action) == (None, None, False)
    assert [(s.days_left, s.state) for s in check.certificates] == [(90, "valid")]
    assert check.days_left == 90


def test_an_expired_certificate_is_an_error_naming_the_provider_and_the_date() -> None:
    expired = in_days(-3)
    check = check_metadata(idp_metadata(Key(certificate("idp.acme.example.com", expired))), "Acme", TODAY)

    assert check.error == (
        f"SAML provider 'Acme': its signing certificate (CN=idp.acme.example.com) expired on "
        f"{expired.date()} (3 days ago); get current metadata from the IdP's administrator"
    )
    assert check.warning is None
    assert [s.state for s in check.certificates] == ["expired"]


def test_a_certificate_that_expires_today_is_already_an_error() -> None:
    check = check_metadata(idp_metadata(Key(certificate("idp", in_days(0)))), "Acme", TODAY)
    assert check.error is not None
    assert "expires today" in check.error


def test_a_certificate_inside_the_warning_window_is_one_warning_line() -> None:
    soon = in_days(10)
    check = check_metadata(idp_metadata(Key(certificate("idp.acme.example.com", soon))), "Acme", TODAY)

    assert check.error is None
    assert check.warning == (
        f"SAML provider 'Acme': its signing certificate (CN=idp.acme.example.com) expires on {soon.date()}, "
        "in 10 days (warning window: 30 days); get the IdP's new metadata before then"
    )
    assert "\n" not in check.warning
    assert check.needs_action


def test_the_warning_window_is_a_parameter() -> None:
    metadata = idp_metadata(Key(certificate("idp", in_days(45))))
    assert check_metadata(metadata, "Acme", TODAY).warning is None
    assert check_metadata(metadata, "Acme", TODAY, warning_days=60).warning is not None


def test_during_a_rotation_the_warning_names_the_certificate_that_outlives_it() -> None:
    later = in_days(700)
    metadata = idp_metadata(Key(certificate("old", in_days(10))), Key(certificate("new", later)))

    check = check_metadata(metadata, "Acme", TODAY)

    assert check.warning is not None
    assert check.warning.endswith(f"; the metadata also has one valid until {later.date()}")
    assert check.days_left == 10  # the soonest expiry counts: the IdP may still sign with the old key


BOMB = (
    '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>'
    '<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata">&lol2;</md:EntityDescriptor>'
)
EXTERNAL = (
    '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY secret SYSTEM "file:///etc/passwd">]>'
    '<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata">&secret;</md:EntityDescriptor>'
)
NO_IDP = (
    '<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="x">'
    '<md:SPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol"/>'
    "</md:EntityDescriptor>"
)


@pytest.mark.parametrize(
    ("metadata", "reason"),
    [
        (
            "<md:EntityDescriptor xmlns:md='urn:oasis:names:tc:SAML:2.0:metadata'><oops>",
            "is not well-formed XML",
        ),
        ("", "is not well-formed XML (no element found: line 1, column 0)"),
        (BOMB, "has a <!DOCTYPE>; SAML metadata has none"),
        (EXTERNAL, "has a <!DOCTYPE>; SAML metadata has none"),
        ("<EntityDescriptor/>", "has no SAML EntityDescriptor root element"),
        (NO_IDP, "has no IDPSSODescriptor"),
        (idp_metadata(Key(certificate("enc", in_days(90)), use="encryption")), "has no signing certificate"),
        (idp_metadata(Key("not base64 at all!")), "(number 1) that is not base64"),
        (
            idp_metadata(Key("UExBQ0VIT0xERVItQ0VSVElGSUNBVEU=")),
            "(number 1) that is not an X.509 certificate",
        ),
    ],
    ids=[
        "truncated",
        "empty",
        "entity-expansion",
        "external-entity",
        "wrong-root",
        "no-idp-descriptor",
        "no-signing-key",
        "bad-base64",
        "placeholder",
    ],
)
def test_unreadable_metadata_is_a_one_line_error_naming_the_provider(metadata: str, reason: str) -> None:
    with pytest.raises(MetadataError):
        signing_certificates(metadata)

    check = check_metadata(metadata, "Acme", TODAY)

    assert check.error is not None
    assert check.error.startswith("SAML provider 'Acme': its metadata ")
    assert reason in check.error
    assert "\n" not in check.error
    assert check.certificates == ()


def test_metadata_is_fetched_from_a_url() -> None:
    metadata = idp_metadata(Key(certificate("idp", in_days(90))))
    routes = {"/metadata": (200, {"Content-Type": "application/xml"}, metadata.encode())}
    with metadata_server(routes) as base:
        assert fetch_metadata(f"{base}/metadata") == metadata


@pytest.mark.parametrize(
    ("route", "reason"),
    [
        ((404, {}, b"gone"), "could not be fetched from {base}/metadata (HTTP 404)"),
        ((200, {}, b"x" * (MAX_METADATA_BYTES + 1)), "at {base}/metadata is larger than 1024 KiB"),
        ((200, {}, b"\xff\xfe<x/>"), "at {base}/metadata is not UTF-8 text"),
        # A redirect is followed only where a fetch may go: never to plain http off this machine.
        (
            (302, {"Location": "http://idp.example.com/metadata"}, b""),
            "'http://idp.example.com/metadata' is refused",
        ),
    ],
    ids=["http-error", "too-large", "not-utf8", "redirect-to-http"],
)
def test_a_failed_fetch_is_one_line(route: tuple[int, dict[str, str], bytes], reason: str) -> None:
    with metadata_server({"/metadata": route}) as base, pytest.raises(MetadataError) as raised:
        fetch_metadata(f"{base}/metadata")
    assert reason.format(base=base) in str(raised.value)


@pytest.mark.parametrize(
    "url", ["http://idp.example.com/metadata", "file:///etc/passwd", "ftp://idp/metadata"]
)
def test_only_https_urls_are_fetched_and_plain_http_only_on_this_machine(url: str) -> None:
    with pytest.raises(MetadataError, match="metadata is fetched over https only"):
        fetch_metadata(url)


def test_an_unreachable_url_is_one_line() -> None:
    with metadata_server({}) as base:
        port = base.rsplit(":", 1)[1]
    # The server is gone: nothing listens on its port any more.
    with pytest.raises(MetadataError, match=r"could not be fetched from http://127\.0\.0\.1:\d+/m \("):
        fetch_metadata(f"http://127.0.0.1:{port}/m", timeout=2)

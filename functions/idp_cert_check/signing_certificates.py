"""A SAML IdP's signing certificates and when they expire: the one home of this check.

Three places use it, each with today's date and a warning window (default ``DEFAULT_WARNING_DAYS``):

- the config rules, at synth: ``check_metadata(text, provider, today)`` on every ``metadata_file``;
  ``ExpiryCheck.error`` is the one-line synth error, ``ExpiryCheck.warning`` the one warning line;
- ``make idp-check ENV=<env>`` (``operator_tools/verbs/idp_check.py``), on each provider's file or URL;
- the scheduled Lambda in production (``handler.py`` beside this file), on what Cognito holds.

The Lambda's asset is this folder, so the module is plain Python: the standard library and
``cryptography`` (pinned in requirements-dev.txt; in Lambda it comes from the Powertools layer, whose
every-extra build requires it), never the project's packages.

Metadata is untrusted input (a URL may serve anything). It is parsed with expat and a document with a
DTD is refused outright, so no entity is ever declared or expanded (no "billion laughs", no external
entities), and a fetch reads at most ``MAX_METADATA_BYTES``.
"""

from __future__ import annotations

import base64
import binascii
import urllib.error
import urllib.request
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Literal
from urllib.parse import urlsplit
from xml.parsers import expat

from cryptography import x509
from cryptography.x509.oid import NameOID

DEFAULT_WARNING_DAYS = 30
MAX_METADATA_BYTES = 1024 * 1024
FETCH_TIMEOUT_SECONDS = 10.0
# Metadata may be fetched over plain http from this machine only (a local IdP); anything else is https.
_LOOPBACK = frozenset({"127.0.0.1", "localhost", "::1"})
_MD = "urn:oasis:names:tc:SAML:2.0:metadata"
_DS = "http://www.w3.org/2000/09/xmldsig#"
# Where a signing certificate sits, below the root EntityDescriptor.
_CERTIFICATE_PATH = (
    f"{_MD} IDPSSODescriptor",
    f"{_MD} KeyDescriptor",
    f"{_DS} KeyInfo",
    f"{_DS} X509Data",
    f"{_DS} X509Certificate",
)


class MetadataError(ValueError):
    """Metadata that cannot be read: the message completes "the metadata …" in one line."""


@dataclass(frozen=True)
class SigningCertificate:
    """One signing certificate of the IdP: who it names and when it stops being valid (UTC)."""

    subject: str
    not_after: datetime


State = Literal["valid", "expiring", "expired"]


@dataclass(frozen=True)
class CertificateStatus:
    """A certificate on a given day: its days left (negative once expired) and what that means."""

    certificate: SigningCertificate
    days_left: int
    state: State


@dataclass(frozen=True)
class ExpiryCheck:
    """One provider's certificates, checked on one day.

    ``error`` (one line, or None): the metadata cannot be read, or a certificate has expired (or
    expires today). ``warning`` (one line, or None): a certificate expires inside the warning window.
    """

    provider: str
    certificates: tuple[CertificateStatus, ...]
    error: str | None = None
    warning: str | None = None

    @property
    def days_left(self) -> int | None:
        """Days until the soonest expiry (None when no certificate could be read)."""
        return min((c.days_left for c in self.certificates), default=None)

    @property
    def needs_action(self) -> bool:
        return self.error is not None or self.warning is not None


def signing_certificates(metadata: str) -> tuple[SigningCertificate, ...]:
    """The certificates of the IdPSSODescriptor's KeyDescriptors whose ``use`` is ``signing`` or unset.

    Raises ``MetadataError`` when the text is not well-formed XML, has a DTD, is not an
    EntityDescriptor with an IDPSSODescriptor, has no signing certificate, or one is not X.509.
    """
    found = [_certificate(text, n) for n, text in enumerate(_certificate_texts(metadata), start=1)]
    if not found:
        raise MetadataError(
            'has no signing certificate (KeyDescriptor use="signing") in its IDPSSODescriptor'
        )
    return tuple(found)


def check_metadata(
    metadata: str, provider: str, today: date, warning_days: int = DEFAULT_WARNING_DAYS
) -> ExpiryCheck:
    """Check every signing certificate of ``provider``'s metadata on ``today``: never raises."""
    try:
        certificates = signing_certificates(metadata)
    except MetadataError as exc:
        return ExpiryCheck(provider, (), error=f"SAML provider {provider!r}: its metadata {exc}")
    statuses = tuple(_status(c, today, warning_days) for c in certificates)
    expired = [s for s in statuses if s.state == "expired"]
    expiring = sorted((s for s in statuses if s.state == "expiring"), key=lambda s: s.days_left)
    error = f"SAML provider {provider!r}: {'; '.join(_expired(s) for s in expired)}" if expired else None
    warning = None
    if expiring:
        soonest = expiring[0]
        later = max(statuses, key=lambda s: s.days_left)
        rotation = (
            f"; the metadata also has one valid until {later.certificate.not_after.date()}"
            if later.state == "valid"
            else "; get the IdP's new metadata before then"
        )
        warning = (
            f"SAML provider {provider!r}: its signing certificate ({soonest.certificate.subject}) expires on "
            f"{soonest.certificate.not_after.date()}, in {_days(soonest.days_left)} (warning window: "
            f"{warning_days} days){rotation}"
        )
    return ExpiryCheck(provider, statuses, error=error, warning=warning)


def fetch_metadata(url: str, timeout: float = FETCH_TIMEOUT_SECONDS) -> str:
    """The metadata document at ``url`` (https; http only on this machine), at most MAX_METADATA_BYTES.

    Redirects are followed only to URLs that pass the same rule. Raises ``MetadataError``.
    """
    _check_url(url)
    opener = urllib.request.build_opener(_CheckedRedirects())
    try:
        with opener.open(url, timeout=timeout) as response:
            data: bytes = response.read(MAX_METADATA_BYTES + 1)
    except MetadataError:
        raise  # a redirect to a URL that is refused
    except urllib.error.HTTPError as exc:
        raise MetadataError(f"could not be fetched from {url} (HTTP {exc.code})") from None
    except urllib.error.URLError as exc:
        raise MetadataError(f"could not be fetched from {url} ({exc.reason})") from None
    except (OSError, ValueError) as exc:
        raise MetadataError(f"could not be fetched from {url} ({exc})") from None
    if len(data) > MAX_METADATA_BYTES:
        raise MetadataError(f"at {url} is larger than {MAX_METADATA_BYTES // 1024} KiB")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        raise MetadataError(f"at {url} is not UTF-8 text") from None


def _certificate_texts(metadata: str) -> list[str]:
    """The base64 text of each signing certificate, in document order."""
    parser = expat.ParserCreate(namespace_separator=" ")
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    stack: list[str] = []
    uses: list[str | None] = []
    texts: list[str] = []
    collecting: list[str] | None = None
    saw_idp = False

    def refuse_dtd(*_: Any) -> None:
        raise MetadataError("has a <!DOCTYPE>; SAML metadata has none (refused: it could declare entities)")

    def start(name: str, attrs: dict[str, str]) -> None:
        nonlocal collecting, saw_idp
        if not stack and name != f"{_MD} EntityDescriptor":
            raise MetadataError("has no SAML EntityDescriptor root element")
        saw_idp = saw_idp or (len(stack) == 1 and name == _CERTIFICATE_PATH[0])
        stack.append(name)
        if name == f"{_MD} KeyDescriptor":
            uses.append(attrs.get("use"))
        if tuple(stack[1:]) == _CERTIFICATE_PATH and uses[-1] in (None, "signing"):
            collecting = []

    def end(name: str) -> None:
        nonlocal collecting
        if collecting is not None and name == _CERTIFICATE_PATH[-1]:
            texts.append("".join(collecting))
            collecting = None
        stack.pop()

    def text(data: str) -> None:
        if collecting is not None:
            collecting.append(data)

    parser.StartDoctypeDeclHandler = refuse_dtd
    parser.EntityDeclHandler = refuse_dtd
    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = text
    try:
        parser.Parse(metadata, True)
    except expat.ExpatError as exc:
        raise MetadataError(f"is not well-formed XML ({exc})") from None
    if not saw_idp:
        raise MetadataError("has no IDPSSODescriptor (is it the IdP's metadata, not a service provider's?)")
    return texts


def _certificate(text: str, number: int) -> SigningCertificate:
    try:
        der = base64.b64decode("".join(text.split()), validate=True)
        certificate = x509.load_der_x509_certificate(der)
    except (binascii.Error, ValueError) as exc:
        reason = "not base64" if isinstance(exc, binascii.Error) else "not an X.509 certificate"
        raise MetadataError(f"has a signing certificate (number {number}) that is {reason}") from None
    return SigningCertificate(_subject(certificate), certificate.not_valid_after_utc)


def _subject(certificate: x509.Certificate) -> str:
    names = certificate.subject.get_attributes_for_oid(NameOID.COMMON_NAME)
    shown = f"CN={names[0].value!s}" if names else certificate.subject.rfc4514_string() or "no subject"
    return shown if len(shown) <= 80 else shown[:79] + "…"


def _status(certificate: SigningCertificate, today: date, warning_days: int) -> CertificateStatus:
    days_left = (certificate.not_after.date() - today).days
    # A certificate that expires today is treated as expired: sign-in fails within hours.
    state: State = "expired" if days_left <= 0 else "expiring" if days_left <= warning_days else "valid"
    return CertificateStatus(certificate, days_left, state)


def _expired(status: CertificateStatus) -> str:
    when = status.certificate.not_after.date()
    said = "expires today" if status.days_left == 0 else f"expired on {when} ({_days(-status.days_left)} ago)"
    return (
        f"its signing certificate ({status.certificate.subject}) {said}; get current metadata from the "
        "IdP's administrator"
    )


def _days(n: int) -> str:
    return "1 day" if n == 1 else f"{n} days"


def _check_url(url: str) -> None:
    parts = urlsplit(url)
    if parts.scheme == "https" or (parts.scheme == "http" and (parts.hostname or "") in _LOOPBACK):
        return
    raise MetadataError(f"URL {url!r} is refused: metadata is fetched over https only")


class _CheckedRedirects(urllib.request.HTTPRedirectHandler):
    """Follows a redirect only to a URL that may be fetched itself (never https to http, or file:)."""

    def redirect_request(self, req: Any, fp: Any, code: int, msg: str, headers: Any, newurl: str) -> Any:
        _check_url(newurl)
        return super().redirect_request(req, fp, code, msg, headers, newurl)

"""Where the local IdPs keep their files: ``.local/idps/`` of the checkout (or a test's directory).

    ca.pem, ca-key.pem        the local CA (only the emulator and the test clients trust it)
    tls.pem, tls-key.pem      the IdPs' HTTPS certificate, for 127.0.0.1 and localhost
    saml/                     signing.pem, signing-key.pem, metadata.xml (the IdP's, published),
                              user.json, settings.json, server.json (its process), server.log
    oidc/                     client.json (client ID and secret), keys.json (JWKS and cookie keys),
                              user.json, settings.json, server.json (its process), server.log

Every key, secret and password file is 0600.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[3]
STATE_DIR = PROJECT_ROOT / ".local" / "idps"


@dataclass(frozen=True)
class ServerFiles:
    """The files of one IdP process."""

    directory: Path

    @property
    def user(self) -> Path:
        return self.directory / "user.json"

    @property
    def settings(self) -> Path:
        return self.directory / "settings.json"

    @property
    def record(self) -> Path:
        return self.directory / "server.json"

    @property
    def log(self) -> Path:
        return self.directory / "server.log"


@dataclass(frozen=True)
class IdpFiles:
    """The whole layout under one state directory."""

    root: Path = STATE_DIR

    @property
    def ca_cert(self) -> Path:
        return self.root / "ca.pem"

    @property
    def ca_key(self) -> Path:
        return self.root / "ca-key.pem"

    @property
    def tls_cert(self) -> Path:
        return self.root / "tls.pem"

    @property
    def tls_key(self) -> Path:
        return self.root / "tls-key.pem"

    @property
    def saml(self) -> ServerFiles:
        return ServerFiles(self.root / "saml")

    @property
    def saml_signing_cert(self) -> Path:
        return self.root / "saml" / "signing.pem"

    @property
    def saml_signing_key(self) -> Path:
        return self.root / "saml" / "signing-key.pem"

    @property
    def saml_metadata(self) -> Path:
        return self.root / "saml" / "metadata.xml"

    @property
    def oidc(self) -> ServerFiles:
        return ServerFiles(self.root / "oidc")

    @property
    def oidc_client(self) -> Path:
        return self.root / "oidc" / "client.json"

    @property
    def oidc_keys(self) -> Path:
        return self.root / "oidc" / "keys.json"


def shown(path: Path) -> str:
    """``path`` as a person reads it in a message: relative to the checkout when inside it."""
    try:
        return str(path.relative_to(PROJECT_ROOT))
    except ValueError:
        return str(path)

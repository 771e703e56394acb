"""The SAML IdP process: ``python -m operator_tools.local.idps.saml_server <settings.json>``.

``lifecycle`` starts it, with its output going to its log file. It publishes the IdP's metadata to
the settings' ``metadata_file``, then serves ``SamlApp`` over HTTPS (the local CA's certificate) on
the host and port of the IdP's URL, one thread per connection, each connection bounded in time.
SIGTERM ends it. A fatal error is its last log line, which ``lifecycle`` quotes.
"""

from __future__ import annotations

import json
import logging
import ssl
import sys
import warnings
from pathlib import Path
from socketserver import ThreadingMixIn
from typing import Any
from urllib.parse import urlsplit
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server


class _Server(ThreadingMixIn, WSGIServer):
    daemon_threads = True


class _Handler(WSGIRequestHandler):
    # A client that connects and sends nothing is dropped after this many seconds.
    timeout = 10

    def setup(self) -> None:
        super().setup()
        # The TLS handshake happens here, in this connection's thread, so a silent client never
        # holds the accepting thread.
        self.request.do_handshake()

    def log_message(self, format: str, *args: Any) -> None:
        return  # SamlApp logs each request without its query string


def _settings(path: Path) -> dict[str, Any]:
    data = json.loads(path.read_text(encoding="utf-8"))
    if not isinstance(data, dict):
        raise ValueError(f"{path} is not a JSON object")
    return data


def serve(settings_file: Path) -> None:
    """Serve the IdP described by ``settings_file`` until the process is ended."""
    from operator_tools.local.idps.saml_app import SamlApp
    from operator_tools.local.idps.saml_idp import SamlIdp, SamlSettings

    raw = _settings(settings_file)
    settings = SamlSettings(
        url=raw["url"],
        sp_metadata=Path(raw["sp_metadata"]),
        signing_cert=Path(raw["signing_cert"]),
        signing_key=Path(raw["signing_key"]),
        user_file=Path(raw["user_file"]),
        metadata_file=Path(raw["metadata_file"]),
        gateway=raw.get("gateway"),
    )
    idp = SamlIdp(settings)
    settings.metadata_file.write_text(idp.metadata_xml(), encoding="utf-8")
    parts = urlsplit(settings.url)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    context.load_cert_chain(raw["tls_cert"], raw["tls_key"])
    host, port = parts.hostname or "127.0.0.1", parts.port or 443
    httpd = make_server(host, port, SamlApp(idp), server_class=_Server, handler_class=_Handler)
    httpd.socket = context.wrap_socket(httpd.socket, server_side=True, do_handshake_on_connect=False)
    logging.getLogger("saml-idp").info(
        "listening on %s (SP metadata: %s)", settings.url, settings.sp_metadata
    )
    httpd.serve_forever()


def main(argv: list[str]) -> int:
    # Its own lines at INFO; the libraries' (pysaml2, xmlschema) from WARNING up.
    logging.basicConfig(level=logging.WARNING, format="%(asctime)s %(message)s", stream=sys.stdout)
    logging.getLogger("saml-idp").setLevel(logging.INFO)
    # pysaml2 7.5 names cryptography's CFB mode, which cryptography 50 says has moved; the IdP never
    # uses it (it neither encrypts nor decrypts). Set before serve() imports pysaml2.
    warnings.filterwarnings("ignore", message="CFB has been moved", category=UserWarning)
    if len(argv) != 1:
        print("usage: python -m operator_tools.local.idps.saml_server <settings.json>", file=sys.stderr)
        return 2
    try:
        serve(Path(argv[0]))
    except Exception as exc:  # the last line of the log is the one reason lifecycle reports
        logging.getLogger("saml-idp").error("cannot start: %s: %s", type(exc).__name__, exc)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

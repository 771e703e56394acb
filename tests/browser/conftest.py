"""Set-up of the browser test: the local deployment, the sample app on two origins, and Chromium.

These tests deploy to the embedded emulator and drive a real browser, so ``make test`` (the offline
suite) does not collect them; ``make e2e-browser`` does (it sets ``BROWSER_E2E=1``), and there a
missing browser that cannot be installed is a failure, never a skip. The deployment is brought up
once for the session and always taken down at its end, whatever happened. When a test fails, its
screenshot, page source, URL and browser console are kept under ``.local/browser-artifacts/<test>/``
(CI uploads that folder).
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from selenium.webdriver import Chrome

from cdk_app.config import EnvironmentConfig
from cdk_app.config.federation import SamlConfig
from cdk_app.config.loading import load_environment
from operator_tools.lib.front_end import choose_browser_client
from operator_tools.lib.spa_site import SpaServer, serving_origin
from operator_tools.local.idps.certificates import spki_sha256
from operator_tools.local.idps.layout import IdpFiles
from operator_tools.local.lifecycle import LocalDeployment, bring_up, take_down
from operator_tools.local.timing import Timer
from operator_tools.verbs import outputs
from operator_tools.verbs.spa import site_for
from tests.browser.chromium import Chromium, ChromiumMissingError, find_or_install

PROJECT_ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = PROJECT_ROOT / ".local" / "browser-artifacts"
# `make e2e-browser` sets these; `make test` leaves this folder out (see the docstring).
collect_ignore_glob = [] if os.environ.get("BROWSER_E2E") == "1" else ["test_*.py"]

TIMER = Timer()


@dataclass
class ServedApp:
    """The sample app served on ``origin``; ``serving`` swaps in another configuration for a while."""

    server: SpaServer
    origin: str
    config: EnvironmentConfig
    document: dict[str, Any]

    @contextlib.contextmanager
    def serving(self, document: dict[str, Any]) -> Iterator[None]:
        """Serve ``document`` as /config.json inside the block (the negative tests break it on purpose)."""
        normal = self.server.site
        self.server.site = site_for(self.config, document)
        try:
            yield
        finally:
            self.server.site = normal


@pytest.fixture(scope="session")
def chromium() -> Chromium:
    with TIMER.step("chromium"):
        try:
            return find_or_install()
        except ChromiumMissingError as exc:
            pytest.fail(f"the browser test cannot run: {exc}", pytrace=False)


@pytest.fixture(scope="session")
def config() -> EnvironmentConfig:
    return load_environment(os.environ.get("BROWSER_E2E_ENV", "local"))


@pytest.fixture(scope="session")
def deployment(config: EnvironmentConfig) -> Iterator[LocalDeployment]:
    """`make up`'s deployment for the session; `make down`'s removal after it, always."""
    cdk = os.environ.get("BROWSER_E2E_CDK", str(PROJECT_ROOT / "node_modules" / ".bin" / "cdk"))
    try:
        with TIMER.step("up"):
            deployed = bring_up(config, cdk, TIMER)
        yield deployed
    finally:
        with TIMER.step("down"):
            take_down(config, cdk, TIMER)


@pytest.fixture(scope="session")
def document(
    config: EnvironmentConfig, deployment: LocalDeployment, tmp_path_factory: pytest.TempPathFactory
) -> dict[str, Any]:
    """The front-end config, written by `make outputs`' own entry point from the deployed stacks."""
    path = tmp_path_factory.mktemp("frontend") / f"{config.name}.json"
    assert outputs.main(["--env", config.name, "--output", str(path)]) == 0
    loaded: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return loaded


@pytest.fixture(scope="session")
def app(config: EnvironmentConfig, document: dict[str, Any]) -> Iterator[ServedApp]:
    """The app where `make spa` serves it: the client's callback origin that the API allows."""
    origin, port = serving_origin(config, choose_browser_client(config, None))
    with SpaServer(site_for(config, document), port) as server:
        yield ServedApp(server, origin, config, document)


@pytest.fixture(scope="session")
def other_app(config: EnvironmentConfig, document: dict[str, Any]) -> Iterator[ServedApp]:
    """The same app on another loopback origin: no registered callback, not allowed by the API."""
    with SpaServer(site_for(config, document), 0) as server:
        origin = f"http://localhost:{server.port}"
        assert origin not in config.api.cors.allow_origins
        yield ServedApp(server, origin, config, document)


@pytest.fixture(scope="session")
def saml_provider(config: EnvironmentConfig) -> SamlConfig:
    """The environment's first SAML provider that a spa client offers (the local IdP's)."""
    offered = {name for c in config.clients if c.kind == "spa" for name in c.identity_providers}
    provider = next((p for p in config.identity_providers.saml if p.name in offered), None)
    if provider is None:
        pytest.fail(f"config/{config.name}.yaml has no SAML provider that a spa client offers", pytrace=False)
    return provider


@pytest.fixture
def saml_app(
    config: EnvironmentConfig, app: ServedApp, saml_provider: SamlConfig, tmp_path: Path
) -> Iterator[ServedApp]:
    """The app configured for the spa client that offers ``saml_provider``, on that client's origin
    (the same server as ``app`` when the origins are the same)."""
    client = next(c for c in config.clients if c.kind == "spa" and saml_provider.name in c.identity_providers)
    path = tmp_path / f"{config.name}-{client.name}.json"
    assert outputs.main(["--env", config.name, "--client", client.name, "--output", str(path)]) == 0
    document: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    origin, port = serving_origin(config, client)
    if origin == app.origin:
        with app.serving(document):
            yield ServedApp(app.server, origin, config, document)
        return
    with SpaServer(site_for(config, document), port) as server:
        yield ServedApp(server, origin, config, document)


@pytest.fixture(scope="session")
def idp_files(deployment: LocalDeployment) -> IdpFiles:
    """The local IdPs' files, made by `make up` (their HTTPS certificate, their test users)."""
    return IdpFiles()


@pytest.fixture
def browser(chromium: Chromium, idp_files: IdpFiles, tmp_path: Path) -> Iterator[Chrome]:
    """A fresh headless Chromium with an empty profile for each test. It accepts exactly the local
    IdPs' HTTPS certificate (made on this machine by a CA it does not trust), nothing else."""
    tls = idp_files.tls_cert
    driver = chromium.start(tmp_path / "profile", (spki_sha256(tls),) if tls.is_file() else ())
    try:
        yield driver
    finally:
        driver.quit()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item: pytest.Item) -> Iterator[None]:
    with TIMER.step(item.name):
        return (yield)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Any:
    report = yield
    driver = getattr(item, "funcargs", {}).get("browser")
    if report.failed and report.when == "call" and isinstance(driver, Chrome):
        _keep_artifacts(driver, item.name)
    return report


def _keep_artifacts(driver: Chrome, test: str) -> None:
    folder = ARTIFACTS / re.sub(r"[^A-Za-z0-9_.-]+", "-", test)
    folder.mkdir(parents=True, exist_ok=True)
    driver.save_screenshot(str(folder / "screenshot.png"))
    (folder / "page.html").write_text(str(driver.page_source), encoding="utf-8")
    url = str(driver.current_url).split("?", 1)[0]  # the query may hold an authorization code
    console = "\n".join(str(entry.get("message", "")) for entry in driver.get_log("browser"))
    (folder / "console.txt").write_text(f"URL: {url}\n{console}\n", encoding="utf-8")


def pytest_terminal_summary(terminalreporter: Any) -> None:
    if TIMER.rows:
        out = io.StringIO()
        TIMER.print_table(out, "e2e-browser timings")
        terminalreporter.write_line("")
        for line in out.getvalue().splitlines():
            terminalreporter.write_line(line)

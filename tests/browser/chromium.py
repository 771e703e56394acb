"""Find (or install) the headless Chromium and its driver for the browser test, and start it.

Order: ``CHROMIUM_BIN`` and ``CHROMEDRIVER_BIN`` when set (GitHub's Ubuntu runners point them at the
runner's own Chrome and matching ChromeDriver: Ubuntu's ``chromium`` package is only a snap); else
Debian's ``chromium`` and ``chromedriver`` on PATH; else, as root on a machine with apt-get, Debian's
``chromium`` and ``chromium-driver`` are installed first. Anything else is ``ChromiumMissingError``, which
the test reports as a failure, never a skip. Nothing is ever downloaded outside the package manager.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from selenium import webdriver
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service

APT_PACKAGES = ("chromium", "chromium-driver")
# Headless, as root in a container: no sandbox (it needs user namespaces), no GPU, and nothing that
# would reach the network besides the pages under test (updates, sync, QUIC probes, first-run).
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
    "--window-size=1200,900",
)


class ChromiumMissingError(Exception):
    """No usable browser and driver, and none could be installed; the message says what to do."""


@dataclass(frozen=True)
class Chromium:
    """The browser binary and the matching driver binary."""

    browser: str
    driver: str

    def start(self, profile: Path, trusted_spki: tuple[str, ...] = ()) -> webdriver.Chrome:
        """A fresh headless browser with its own empty profile, keeping the page's console log.

        ``trusted_spki``: base64 SHA-256 hashes of public keys whose certificates Chromium accepts
        although no CA it trusts issued them (the local IdPs' HTTPS certificate); every other
        certificate is checked as usual. Chromium honours the list only with a ``--user-data-dir``.
        """
        options = Options()
        options.binary_location = self.browser
        trust = (f"--ignore-certificate-errors-spki-list={','.join(trusted_spki)}",) if trusted_spki else ()
        for flag in (*FLAGS, f"--user-data-dir={profile}", *trust):
            options.add_argument(flag)
        options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
        return webdriver.Chrome(options=options, service=Service(executable_path=self.driver))


def find_or_install() -> Chromium:
    """The browser to test with; installs Debian's packages when missing and allowed (root, apt)."""
    browser, driver = os.environ.get("CHROMIUM_BIN"), os.environ.get("CHROMEDRIVER_BIN")
    if browser or driver:
        if not (browser and driver and Path(browser).is_file() and Path(driver).is_file()):
            raise ChromiumMissingError(
                f"CHROMIUM_BIN={browser!r} and CHROMEDRIVER_BIN={driver!r} must both name existing files"
            )
        return Chromium(browser, driver)
    found = _on_path()
    if found is not None:
        return found
    if os.geteuid() != 0 or shutil.which("apt-get") is None:
        raise ChromiumMissingError(
            "chromium and chromedriver are not installed and cannot be installed here (needs root and "
            f"apt-get); install them: sudo apt-get install -y {' '.join(APT_PACKAGES)}"
        )
    environ = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    for command in (
        ["apt-get", "update", "-qq"],
        ["apt-get", "install", "-y", "-qq", *APT_PACKAGES],
    ):
        done = subprocess.run(command, env=environ, capture_output=True, text=True, check=False)
        if done.returncode != 0:
            raise ChromiumMissingError(f"{' '.join(command)} failed: {done.stderr.strip()[-300:]}")
    found = _on_path()
    if found is None:
        raise ChromiumMissingError(
            f"apt-get installed {' '.join(APT_PACKAGES)}, but chromium is still not on PATH"
        )
    return found


def _on_path() -> Chromium | None:
    browser, driver = shutil.which("chromium"), shutil.which("chromedriver")
    return Chromium(browser, driver) if browser and driver else None

"""Debian Chromium for the browser tests and the benchmark: one place for its path and flags.

Never `playwright install`: Playwright drives the system Chromium (`make chromium` installs it).
Playwright is imported by the callers; this module only needs its types.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from playwright.sync_api import Browser, BrowserContext, Playwright

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    # Safety net: any other host fails to resolve at once instead of waiting on DNS.
    # The request is still recorded (and fails a test); nothing leaves the machine.
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1",
]


def launch(playwright: Playwright) -> Browser:
    """Headless Chromium; each new_context() of it starts with an empty cache and storage."""
    return playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)


def launch_persistent(playwright: Playwright, profile: Path) -> BrowserContext:
    """Headless Chromium on a profile directory that outlives it (caches, service workers)."""
    return playwright.chromium.launch_persistent_context(
        profile, executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
    )

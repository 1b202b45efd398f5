"""Shared fixtures for browser tests of the built site (Playwright sync API + Debian Chromium).

The built site (``make site`` → ``site/``) is served under ``/panduan-spbe/`` on 127.0.0.1,
as on GitHub Pages. The ``page`` fixture fails the test at teardown if the page (or one of its
workers) requested another host, logged a console error, threw, or got an HTTP error.

Playwright is imported lazily, so pure-core tests do not pay for it.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import pytest

ROOT = Path(__file__).resolve().parents[1]
# scripts/ holds standalone scripts that import each other as top-level modules.
if str(ROOT / "scripts") not in sys.path:
    sys.path.insert(0, str(ROOT / "scripts"))

from chromium import CHROMIUM, launch  # noqa: E402 (needs the path above)
from serve import PrefixServer, start_server, stop_server  # noqa: E402

if TYPE_CHECKING:
    from playwright.sync_api import (
        Browser,
        BrowserContext,
        ConsoleMessage,
        Page,
        Request,
        Response,
        WebError,
    )

SITE_DIR = ROOT / "site"
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
WCAG_21_AA = ("wcag2a", "wcag2aa", "wcag21a", "wcag21aa")
SITE_PREFIX = "/panduan-spbe/"
LOCAL_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})
# Actions wait this long by default; Pyodide boots in about 3 s here, slower on a busy CI.
DEFAULT_TIMEOUT_MS = 30_000


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "allow_errors: the page may log console errors, throw or get HTTP errors "
        "(off-host requests still fail the test)",
    )


def run_spbe(
    *args: str, stdin: str | None = None, env: Mapping[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """`python -m spbe_core ARGS`, run as a user runs it; `env` adds to the environment."""
    return subprocess.run(
        [sys.executable, "-m", "spbe_core", *args],
        input=stdin,
        capture_output=True,
        text=True,
        check=False,
        cwd=ROOT,
        env={**os.environ, **(env or {})},
    )


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Every test that drives Chromium is `browser`: `make test-fast` leaves those out."""
    for item in items:
        if "browser" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.browser)


def is_off_host(url: str) -> bool:
    """True for network URLs to anything but this machine (data:, blob: etc. are local)."""
    parts = urlsplit(url)
    if parts.scheme not in {"http", "https", "ws", "wss"}:
        return False
    return parts.hostname not in LOCAL_HOSTS


@dataclass
class PageLog:
    """What a browser context did; tests may read it or clear a list they expect to fill."""

    requests: list[str] = field(default_factory=list)
    off_host: list[str] = field(default_factory=list)
    console: list[str] = field(default_factory=list)  # every message, "type: text", for debugging
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)  # uncaught errors, workers included
    http_errors: list[str] = field(default_factory=list)  # "404 url"; worker fetches log nothing

    def on_request(self, request: Request) -> None:
        self.requests.append(request.url)
        if is_off_host(request.url):
            self.off_host.append(request.url)

    def on_response(self, response: Response) -> None:
        if response.status >= 400:
            self.http_errors.append(f"{response.status} {response.url}")

    def on_console(self, message: ConsoleMessage) -> None:
        entry = f"{message.type}: {message.text}"
        self.console.append(entry)
        if message.type == "error":
            source = message.location.get("url")
            self.console_errors.append(f"{message.text} ({source})" if source else message.text)

    def on_web_error(self, error: WebError) -> None:
        self.page_errors.append(str(error.error))

    def watch(self, context: BrowserContext) -> None:
        """Record everything from all pages and dedicated workers of ``context``."""
        context.on("request", self.on_request)
        context.on("response", self.on_response)
        context.on("console", self.on_console)
        context.on("weberror", self.on_web_error)

    def problems(self, *, allow_errors: bool = False) -> list[str]:
        found = [f"request to another host: {url}" for url in self.off_host]
        if not allow_errors:
            found += [f"console error: {text}" for text in self.console_errors]
            found += [f"uncaught error: {text}" for text in self.page_errors]
            found += [f"HTTP error: {text}" for text in self.http_errors]
        return found


@pytest.fixture(scope="session")
def site_dir() -> Path:
    """The built site; a missing build is a failure, never a skip."""
    if not (SITE_DIR / "index.html").is_file():
        pytest.fail(f"{SITE_DIR / 'index.html'} is missing: run `make site` first", pytrace=False)
    return SITE_DIR


@pytest.fixture(scope="session")
def serve_dir() -> Iterator[Callable[[Path], str]]:
    """Factory: serve a directory under /panduan-spbe/ on a free port and return its base URL."""
    servers: list[PrefixServer] = []

    def serve(root: Path) -> str:
        server, base_url = start_server(root, SITE_PREFIX)
        servers.append(server)
        return base_url

    yield serve
    for server in servers:
        stop_server(server)


@pytest.fixture(scope="session")
def site_url(site_dir: Path, serve_dir: Callable[[Path], str]) -> str:
    """Base URL of the built site, e.g. http://127.0.0.1:PORT/panduan-spbe/."""
    return serve_dir(site_dir)


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """Headless Debian Chromium, one per test session."""
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).is_file():
        pytest.fail(f"{CHROMIUM} not found: apt-get install -y chromium", pytrace=False)
    with sync_playwright() as playwright:
        browser = launch(playwright)
        yield browser
        browser.close()


@pytest.fixture
def page_log() -> PageLog:
    return PageLog()


PHASE_REPORTS = pytest.StashKey[dict[str, pytest.TestReport]]()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Any:
    """Keep each phase's report on the item, so fixtures can tell whether the test failed."""
    report = yield
    item.stash.setdefault(PHASE_REPORTS, {})[report.when] = report
    return report


def describe_failed_page(page: Page, log: PageLog, shot: Path) -> str:
    """What a failing browser test left on screen: CI keeps only its printed output."""
    lines = [f"url: {page.url}"]
    try:
        page.screenshot(path=shot, full_page=True)
        lines.append(f"screenshot: {shot}")
        lines.append("focus, and what the page says (dialogs, alerts, status lines):")
        lines.append(page.evaluate(FAILED_PAGE_JS))
    except Exception as error:  # a crashed page still reports its log
        lines.append(f"page not readable: {error}")
    lines.append(f"console ({len(log.console)} messages, last 40):")
    lines += [f"  {entry}" for entry in log.console[-40:]]
    return "\n".join(lines)


FAILED_PAGE_JS = """() => {
  const name = (el) => el ? `${el.tagName.toLowerCase()}${el.id ? "#" + el.id : ""}` : "none";
  const parts = [`focus: ${name(document.activeElement)}, scrollY: ${scrollY}`];
  const live = "dialog[open], [role=alert], [role=status], [data-status]";
  for (const el of document.querySelectorAll(live)) {
    if (el.hidden || !el.getClientRects().length) continue;
    parts.push(`${name(el)}: ${el.textContent.replace(/\\s+/g, " ").trim().slice(0, 300)}`);
  }
  return parts.join("\\n");
}"""


@pytest.fixture
def page(browser: Browser, page_log: PageLog, request: pytest.FixtureRequest) -> Iterator[Page]:
    """A fresh context (empty cache and storage) and page, checked at teardown.

    If the test failed, its report gets the page's state and console log
    (describe_failed_page) and a full-page screenshot goes to build/test-failures/.
    """
    context = browser.new_context()
    context.set_default_timeout(DEFAULT_TIMEOUT_MS)
    page_log.watch(context)
    page = context.new_page()
    yield page
    call = request.node.stash.get(PHASE_REPORTS, {}).get("call")
    if call is not None and call.failed:
        shot = ROOT / "build" / "test-failures" / f"{request.node.name}.png"
        shot.parent.mkdir(parents=True, exist_ok=True)
        context.set_default_timeout(5_000)
        # The summary at the end prints the failed report's sections, so this still shows.
        call.sections.append(("Page at failure", describe_failed_page(page, page_log, shot)))
    context.close()
    allow_errors = request.node.get_closest_marker("allow_errors") is not None
    problems = page_log.problems(allow_errors=allow_errors)
    if problems:
        pytest.fail("page problems:\n  " + "\n  ".join(problems), pytrace=False)


def serious_axe_violations(page: Page, tags: tuple[str, ...] = ()) -> list[str]:
    """axe-core on the current page: its serious and critical violations, one line each.

    `tags` limits the rules (e.g. WCAG_21_AA); by default every rule runs.
    """
    if not AXE.is_file():
        pytest.fail(f"{AXE} is missing: run `npm ci`", pytrace=False)
    # Evaluated by the test driver, not added as a <script>: the page's CSP blocks inline scripts.
    page.evaluate(AXE.read_text(encoding="utf-8"))
    options: dict[str, object] = {"resultTypes": ["violations"]}
    if tags:
        options["runOnly"] = list(tags)
    result: dict[str, Any] = page.evaluate("(options) => axe.run(document, options)", options)
    return [
        f"{v['impact']} {v['id']}: {v['help']} — "
        + "; ".join(" ".join(node["target"]) for node in v["nodes"][:5])
        for v in result["violations"]
        if v["impact"] in {"serious", "critical"}
    ]

"""Offline support: the service worker installs, the calculator computes offline, and an updated
build replaces the old cache (browser tests against the built site; not timed).

Each test uses its own context and server: going offline means stopping the server, because
Playwright's set_offline() does not reliably cut a service worker's own fetches.
"""

from __future__ import annotations

import json
import shutil
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from conftest import ROOT, SITE_PREFIX, PageLog
from serve import Site, start_server, stop_server

if TYPE_CHECKING:
    from playwright.sync_api import Browser, BrowserContext, Page

sys.path.insert(0, str(ROOT / "scripts"))
import gen_pages
import offline

pytestmark = pytest.mark.browser
METODE = f"{gen_pages.legacy_framework(gen_pages.frameworks()).slug}/metode/"
SHARE = "kalkulator/#l=3232221333232312323223133323433323322"
CACHED = """async () => {
  const found = {};
  for (const name of await caches.keys()) {
    found[name] = (await (await caches.open(name)).keys()).map((r) => r.url);
  }
  return found;
}"""


def sw_build(site: Path) -> dict[str, Any]:
    """VERSION, PRECACHE and DEFERRED as written into the service worker's manifest."""
    manifest = json.loads((site / offline.SW_MANIFEST).read_text(encoding="utf-8"))
    return {
        "VERSION": manifest["version"],
        "PRECACHE": manifest["precache"],
        "DEFERRED": manifest["deferred"],
    }


def wait_for(page: Page, script: str, check: Any, timeout: float = 60) -> Any:
    """Poll an async page function (wait_for_function does not await promises)."""
    deadline = time.monotonic() + timeout
    while True:
        value = page.evaluate(script)
        if check(value):
            return value
        if time.monotonic() > deadline:
            pytest.fail(f"timed out; last value: {value!r}", pytrace=False)
        time.sleep(0.25)


def visit(page: Page, url: str) -> None:
    """A real navigation, also when only the #fragment differs from the current URL."""
    page.goto("about:blank")
    page.goto(url)


def first_result(page: Page) -> tuple[str, bool]:
    page.locator("#hasil-indeks").filter(has_text=",").wait_for(timeout=120_000)
    start = page.locator("#status-mesin[data-mulai]").get_attribute("data-mulai")
    return page.locator("#hasil-indeks").inner_text(), start == "snapshot"


def copy_of(site_dir: Path, tmp_path: Path) -> Path:
    """A copy of the built site that a test may rebuild (offline.py) without touching site/."""
    return Path(shutil.copytree(site_dir, tmp_path / "site"))


def snapshot_cached(caches: dict[str, list[str]]) -> bool:
    return any(url.endswith("pyodide.snapshot") for urls in caches.values() for url in urls)


@pytest.fixture
def context(browser: Browser) -> Iterator[BrowserContext]:
    context = browser.new_context()
    context.set_default_timeout(60_000)
    yield context
    context.close()


def test_installs_works_offline_and_updates(
    context: BrowserContext, site_dir: Path, tmp_path: Path
) -> None:
    served = Site(copy_of(site_dir, tmp_path), SITE_PREFIX)  # this test rebuilds sw.js
    site, base = served.root, served.base_url
    log = PageLog()
    log.watch(context)
    page = context.new_page()
    try:
        # First visit: a plain boot; then the service worker precaches and fetches the snapshot.
        visit(page, base + SHARE)
        index, restored = first_result(page)
        assert not restored
        build = sw_build(site)
        caches = wait_for(page, CACHED, snapshot_cached)
        app = [name for name in caches if name.endswith(f":app:{build['VERSION']}")]
        assert len(app) == 1
        for path in build["PRECACHE"]:
            assert base + path in caches[app[0]]
        page.goto(base + METODE)  # a guide page visited online, now through the worker

        # Offline return: the snapshot restores, the figure is the same, visited pages open.
        served.stop()
        visit(page, base + SHARE)
        assert first_result(page) == (index, True)
        page.goto(base + METODE)
        assert page.locator("h1").first.inner_text().startswith("Metode")
        page.goto(base + "glosarium/")
        assert "Tanpa koneksi" in page.locator("h1").inner_text()
        served.start()

        # A new build: only what changed is downloaded; then only the new caches remain.
        css = site / "assets" / "kalkulator" / "calculator.css"
        css.write_text(css.read_text(encoding="utf-8") + "\n/* build 2 */\n", encoding="utf-8")
        offline.main([str(site)])
        new = sw_build(site)["VERSION"]
        assert new != build["VERSION"]
        start = served.position()  # what the server sends with a body (service worker included)
        deadline = time.monotonic() + 60
        while not all(name.endswith(new) for name in page.evaluate(CACHED)):
            assert time.monotonic() < deadline, page.evaluate(CACHED)
            visit(page, base + SHARE)
            first_result(page)
            # The page asks for an update check itself, but the next navigation can come first.
            page.evaluate("navigator.serviceWorker.getRegistration().then((r) => r?.update())")
        # Unchanged files (Pyodide, wheel, snapshot) are copied from the old cache.
        # The guide page visited under the old build is fetched again into the new page cache.
        assert {sent.path for sent in served.since(start)} <= {
            "sw.js",
            offline.SW_MANIFEST,
            "kalkulator/",
            "assets/kalkulator/calculator.css",
            METODE,
        }
        visit(page, base + SHARE)
        assert first_result(page) == (index, True)
        text = page.evaluate("fetch('../assets/kalkulator/calculator.css').then((r) => r.text())")
        assert text.endswith("/* build 2 */\n")
    finally:
        served.stop()
    problems = [p for p in log.problems() if "503" not in p]  # the offline page is a 503
    assert not problems


# A mark of the second build, in the guide's stylesheet (linked by every page) and in a page.
BUILD_MARK = """() => [
  getComputedStyle(document.body).getPropertyValue("--spbe-uji").trim(),
  document.querySelector('meta[name="spbe-uji"]')?.content ?? "",
  document.querySelector("h1")?.textContent ?? "",
]"""


def test_a_deploy_between_two_visits_never_mixes_builds(
    context: BrowserContext, site_dir: Path, tmp_path: Path
) -> None:
    """Build 1 is served and visited (the worker installs, a guide page is kept); build 2 (a
    changed stylesheet and page, run through offline.py like a real build) replaces it at the
    same URL. A page of build 2 is shown with build 2's stylesheet, also while build 1's worker
    still controls it; after the update, offline, the page visited under build 1 still opens,
    as build 2 with build 2's stylesheet."""
    served = Site(copy_of(site_dir, tmp_path), SITE_PREFIX)
    site, base = served.root, served.base_url
    log = PageLog()
    log.watch(context)
    page = context.new_page()
    try:
        visit(page, base + SHARE)
        first_result(page)
        old = sw_build(site)["VERSION"]
        wait_for(page, CACHED, lambda found: any(n.endswith(f":app:{old}") for n in found))
        page.goto(base + METODE)
        assert page.evaluate(BUILD_MARK)[:2] == ["", ""]

        # Build 2, deployed at the same URL.
        css = site / "assets" / "stylesheets" / "extra.css"
        css.write_text(css.read_text() + '\nbody { --spbe-uji: "2"; }\n', encoding="utf-8")
        html = site / METODE / "index.html"
        text = html.read_text(encoding="utf-8").replace(
            "</head>", '<meta name="spbe-uji" content="2"></head>', 1
        )
        html.write_text(text, encoding="utf-8")
        offline.main([str(site)])
        new = sw_build(site)["VERSION"]
        assert new != old

        # The new page, whichever worker answers: the new stylesheet, never the old one's copy.
        visit(page, base + METODE)
        assert page.evaluate(BUILD_MARK)[:2] == ['"2"', "2"]
        deadline = time.monotonic() + 60
        while not all(name.endswith(new) for name in page.evaluate(CACHED)):
            assert time.monotonic() < deadline, page.evaluate(CACHED)
            visit(page, base + SHARE)  # the calculator registers the new build's worker
            first_result(page)
            time.sleep(0.5)
        pages = [n for n in page.evaluate(CACHED) if ":pages:" in n]
        assert any(url.endswith(METODE) for n in pages for url in page.evaluate(CACHED)[n])

        # Offline: the page visited under build 1 opens, as build 2, with build 2's stylesheet.
        served.stop()
        visit(page, base + METODE)
        mark = page.evaluate(BUILD_MARK)
        assert mark[:2] == ['"2"', "2"]
        assert mark[2].startswith("Metode")
    finally:
        served.stop()
    assert not log.problems()


def test_a_service_worker_of_the_previous_release_hands_over(
    context: BrowserContext, site_dir: Path
) -> None:
    """The release before registered plain sw.js; its pages (and the browser's update checks)
    still do. That registration gets this release's sw.js as a bridge, which leaves requests to
    the network; the next page registers the versioned worker, which precaches the app."""
    server, base = start_server(site_dir, SITE_PREFIX)
    log = PageLog()
    log.watch(context)
    page = context.new_page()
    try:
        page.goto(base + "tentang/")
        page.evaluate(
            "navigator.serviceWorker.register('../sw.js').then(() => navigator.serviceWorker.ready)"
        )
        script = "navigator.serviceWorker.getRegistration().then((r) => r?.active?.scriptURL)"
        assert page.evaluate(script).endswith("/sw.js")
        visit(page, base + SHARE)
        first_result(page)
        version = sw_build(site_dir)["VERSION"]
        wait_for(page, script, lambda url: bool(url) and url.endswith(f"sw.js?v={version}"))
        caches = wait_for(page, CACHED, snapshot_cached)
        assert [name for name in caches if name.endswith(f":app:{version}")]
    finally:
        stop_server(server)
    assert not log.problems()


def test_a_damaged_snapshot_costs_only_time(context: BrowserContext, site_dir: Path) -> None:
    """A cached snapshot whose bytes are damaged (a full disk, an interrupted write): the worker
    starts Python the normal way and shows the same figure."""
    server, base = start_server(site_dir, SITE_PREFIX)
    page = context.new_page()
    try:
        visit(page, base + SHARE)
        index, _ = first_result(page)
        caches = wait_for(page, CACHED, snapshot_cached)
        url = next(u for urls in caches.values() for u in urls if u.endswith("pyodide.snapshot"))
        damaged = page.evaluate(
            """async (url) => {
              let damaged = 0;
              for (const name of await caches.keys()) {
                const cache = await caches.open(name);
                if (!(await cache.match(url))) continue;
                // Says 200 runs follow, but none does.
                await cache.put(url, new Response(new Uint8Array([0, 16, 0, 0, 200, 0, 0, 0])));
                damaged += 1;
              }
              return damaged;
            }""",
            url,
        )
        assert damaged == 1
        visit(page, base + SHARE)
        assert first_result(page) == (index, False)
    finally:
        stop_server(server)

"""What the public site must not ship or run: the benchmark's page, and (CSP) any script the
build did not put there."""

from __future__ import annotations

import re
import shutil
import sys
from collections.abc import Callable
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING

import pytest
from conftest import ROOT

from spbe_core import load_framework

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

sys.path.insert(0, str(ROOT / "scripts"))
import bench_calculator
import build_calculator
import csp


def test_site_ships_no_benchmark_page(site_dir: Path) -> None:
    for name in build_calculator.BENCH_FILES:
        assert not list(site_dir.rglob(name)), name


def test_benchmark_copy_has_the_bare_pyodide_page(
    page: Page, site_dir: Path, tmp_path: Path, serve_dir: Callable[[Path], str]
) -> None:
    """Both baselines start: plain loadPyodide(), and restoring the calculator's snapshot."""
    base = serve_dir(bench_calculator.bench_copy(site_dir, tmp_path / "site"))
    for query in ("", "?" + bench_calculator.restore_query(site_dir)):
        page.goto(base + f"{bench_calculator.BARE_DIR}/bare.html{query}")
        page.wait_for_selector("body[data-siap]", timeout=120_000)
        assert page.get_attribute("body", "data-siap") == "ya", page.text_content("#status")


# --- Content-Security-Policy ------------------------------------------------------------------

# Every violation the page (or its workers, reported to the page) sees, and whether an injected
# script ran: set up before any of the page's own scripts.
WATCH = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__violations.push(`${e.violatedDirective} ${e.blockedURI} ${e.sample}`);
});
"""


def policy_of(html: str) -> str:
    found = re.search(r'<meta http-equiv="Content-Security-Policy" content="([^"]*)">', html)
    assert found, "no CSP meta"
    return found.group(1)


def test_every_page_has_the_policy_with_its_inline_scripts(site_dir: Path) -> None:
    pages = sorted(site_dir.rglob("*.html"))
    assert len(pages) > 100
    for path in pages:
        html = path.read_text(encoding="utf-8")
        text = policy_of(html)
        assert html.index("Content-Security-Policy") < html.index("<script"), path
        directives = dict(d.strip().split(" ", 1) for d in text.split(";"))
        script_src = directives["script-src"].split()
        assert script_src[:2] == ["'self'", "'wasm-unsafe-eval'"], path
        assert "'unsafe-inline'" not in directives["script-src"], path
        assert "'unsafe-eval'" not in text, path
        assert directives["object-src"] == "'none'"
        assert directives["img-src"] == "'self' data:"
        # An independent count: every <script> without src whose type runs has its hash.
        inline = re.findall(r"<script(?![^>]*\bsrc=)([^>]*)>(.*?)</script>", html, re.S)
        runs = [body for attrs, body in inline if "application/json" not in attrs]
        assert runs, path
        for body in runs:
            assert csp.digest(body) in script_src, (path, body[:60])
        assert directives["style-src"] == "'self' 'unsafe-inline'", path


def test_build_fails_on_an_inline_event_handler() -> None:
    with pytest.raises(SystemExit, match="onerror"):
        csp.protect('<html><head></head><body><img src="x" onerror="alert(1)"></body></html>')


def test_site_build_names_the_page_with_an_inline_event_handler(tmp_path: Path) -> None:
    """Pages are checked in parallel processes: the failure still stops the build, named."""
    (tmp_path / "a").mkdir()
    for n in range(20):
        (tmp_path / f"{n}.html").write_text("<html><head></head><body>ok</body></html>")
    bad = '<html><head></head><body><img src="x" onerror="alert(1)"></body></html>'
    (tmp_path / "a" / "index.html").write_text(bad)
    with pytest.raises(SystemExit, match=re.escape("a/index.html: inline event handler onerror=")):
        csp.protect_site(tmp_path)


@pytest.mark.parametrize("framework", ["permenpan-5-2018", "permenpan-8-2026"])
def test_calculator_and_search_run_under_the_policy(
    page: Page, site_url: str, framework: str
) -> None:
    page.add_init_script(WATCH)
    url = PurePosixPath(build_calculator.page_name(load_framework(framework))).parent
    page.goto(f"{site_url}{url}/")
    page.wait_for_selector('#status-mesin[data-status="siap"]', timeout=120_000)
    page.wait_for_selector('#hasil[data-status="siap"]')  # the engine's reply is shown
    # The search (Material's worker and index) answers.
    page.click("input.md-search__input")
    page.keyboard.type("indeks")  # typed: Material listens to key events
    page.locator(".md-search-result__item").first.wait_for()
    assert page.evaluate("window.__violations") == []
    # `page` fails the test at teardown on any console error (a violation logs one).


def test_injected_inline_script_and_handler_are_blocked(
    browser: Browser, site_dir: Path, tmp_path: Path, serve_dir: Callable[[Path], str]
) -> None:
    site = tmp_path / "site"
    shutil.copytree(site_dir, site)
    target = site / "glosarium" / "index.html"
    html = target.read_text(encoding="utf-8")
    injected = (
        '<script>window.__ran = "script";</script>'
        '<img src="tidak-ada.png" onerror="window.__ran = 1">'
    )
    target.write_text(html.replace("</article>", injected + "</article>", 1), encoding="utf-8")
    context = browser.new_context()  # not `page`: the violations it logs are expected here
    page = context.new_page()
    page.add_init_script(WATCH)
    messages: list[str] = []
    page.on("console", lambda message: messages.append(message.text))
    page.goto(serve_dir(site) + "glosarium/")
    page.wait_for_function("() => window.__violations.length >= 2")
    page.wait_for_load_state("load")
    assert page.evaluate("window.__ran") is None
    violations = page.evaluate("window.__violations")
    assert all(v.startswith("script-src") for v in violations), violations
    assert any("Content Security Policy" in m for m in messages), messages
    context.close()

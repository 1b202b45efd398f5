"""Material's instant navigation (active when SITE_URL is set, as on GitHub Pages): the
calculator must start after an in-page navigation, not only after a full page load."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlsplit

from playwright.sync_api import Page

ROOT = Path(__file__).parents[1]


def test_calculator_starts_after_instant_navigation(
    page: Page, site_dir: Path, serve_dir: Callable[[Path], str], tmp_path: Path
) -> None:
    out = tmp_path / "site"
    out.mkdir()
    base_url = serve_dir(out)
    mkdocs = Path(sys.executable).parent / "mkdocs"
    env = os.environ | {"SITE_URL": base_url, "NO_MKDOCS_2_WARNING": "1"}
    subprocess.run(
        # build/mkdocs.yml: written by `make site` (scripts/gen_pages.py), like site/ itself.
        [mkdocs, "build", "--strict", "--quiet", "-f", "build/mkdocs.yml", "--site-dir", str(out)],
        cwd=ROOT,
        env=env,
        check=True,
    )
    # Same post-build step as `make site` (service worker, manifest); the snapshot is reused.
    subprocess.run([sys.executable, ROOT / "scripts" / "offline.py", out], cwd=ROOT, check=True)
    assert "navigation.instant" in (out / "index.html").read_text()
    # With site_url the 404 page's links start from its path; no root finding is needed.
    not_found = (out / "404.html").read_text()
    assert f'href="{urlsplit(base_url).path}" id="ke-beranda"' in not_found
    assert "sitemap.xml" not in not_found

    page.goto(base_url)
    page.evaluate("window.__tanpaMuatUlang = true")
    page.click("nav.md-tabs >> text=Kalkulator")
    page.wait_for_url(f"{base_url}kalkulator/")
    page.wait_for_selector('#status-mesin[data-status="siap"]', timeout=90_000)
    assert page.evaluate("window.__tanpaMuatUlang === true"), (
        "expected an instant (in-page) navigation"
    )
    page.click("#butir-25 input[value='5']")
    page.wait_for_function(
        "() => document.querySelector('#hasil-indeks').textContent.trim() === '0,25'"
    )
    assert page.text_content("#hasil-predikat").strip() == "Kurang"  # type: ignore[union-attr]

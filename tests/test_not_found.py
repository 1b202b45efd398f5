"""The 404 page under a sub-path (issue 14): the site is served under /panduan-spbe/, built
without SITE_URL, as `make site` builds it; a missing URL at any depth gets the site's 404
page, whose links, styles and scripts must lead into the site, not to the server's root."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from playwright.sync_api import Page


# The 404 answer itself, and the page's look for the site's root, are HTTP errors.
@pytest.mark.allow_errors
@pytest.mark.parametrize("missing", ["tidak-ada/", "5-2018/indikator/99/", "a/b/c/d.html"])
def test_not_found_page_leads_into_the_site(page: Page, site_url: str, missing: str) -> None:
    response = page.goto(site_url + missing)
    assert response is not None
    assert response.status == 404
    assert "Halaman tidak ditemukan" in (page.locator("h1").first.text_content() or "")
    home = page.locator("#ke-beranda")
    page.wait_for_function(
        "(url) => document.getElementById('ke-beranda').href === url", arg=site_url
    )
    calculator = page.locator("#ke-beranda ~ a").first
    assert calculator.evaluate("(a) => a.href") == site_url + "kalkulator/"
    # The theme's styles and scripts came from the site's root: a coloured header, and the
    # site's own script (a11y.js names the search dialog) ran.
    page.wait_for_function(
        "() => getComputedStyle(document.querySelector('.md-header')).backgroundColor"
        " !== 'rgba(0, 0, 0, 0)'"
    )
    page.wait_for_selector(".md-search[aria-label='Pencarian']", state="attached")
    home.click()
    page.wait_for_url(site_url)
    assert page.locator("h1").first.is_visible()

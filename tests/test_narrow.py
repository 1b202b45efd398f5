"""Tables on a phone (issue 14): at 390×844 they stack into cards instead of scrolling sideways.

Real layout in Debian Chromium: no table (nor Material's scroll wrapper) may be wider than its
box, and the criteria text of an indicator page gets most of the screen's width.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

import pytest
from conftest import WCAG_21_AA, serious_axe_violations
from test_calculator import EXAMPLE, assessment, open_calculator, wait_result
from test_calculator_plan import file_payload, open_panel

if TYPE_CHECKING:
    from collections.abc import Iterator

    from conftest import PageLog
    from playwright.sync_api import Browser, Page

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def phone(browser: Browser, page_log: PageLog) -> Iterator[Page]:
    """A 390×844 page; CSP is bypassed only so that axe-core can be injected."""
    context = browser.new_context(viewport=PHONE, bypass_csp=True)  # type: ignore[arg-type]
    page_log.watch(context)
    yield context.new_page()
    context.close()
    problems = page_log.problems(allow_errors=False)
    assert not problems, problems


# Every table and scroll box on the page wider than its own box (a sideways scroll).
OVERFLOWING = """() => [...document.querySelectorAll(
    '.md-content table, .md-typeset__scrollwrap, .tabel-gulir')]
  .filter((el) => el.offsetParent !== null && el.scrollWidth > el.clientWidth + 1)
  .map((el) => `${el.className || el.tagName}: ${el.scrollWidth} > ${el.clientWidth}`)"""


@pytest.mark.parametrize("path", ["5-2018/indikator/23/", "59-2020/indikator/1/"])
def test_criteria_table_stacks_on_a_phone(phone: Page, site_url: str, path: str) -> None:
    page = phone
    page.goto(site_url + path)
    cells = page.locator(".tabel-kriteria td:nth-child(3)")
    assert cells.count() >= 5
    widths = page.evaluate(
        "() => [...document.querySelectorAll('.tabel-kriteria td:nth-child(3)')]"
        ".map((td) => td.getBoundingClientRect().width)"
    )
    assert min(widths) >= 250, widths
    assert page.evaluate(OVERFLOWING) == []
    label = page.evaluate(
        "() => getComputedStyle(document.querySelector('.tabel-kriteria td'), '::before').content"
    )
    assert label == '"Level"'
    assert serious_axe_violations(page, WCAG_21_AA) == []


def test_criteria_table_unchanged_on_a_desktop(page: Page, site_url: str) -> None:
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(site_url + "5-2018/indikator/23/")
    assert page.evaluate(
        "getComputedStyle(document.querySelector('.tabel-kriteria tr')).display"
    ) == ("table-row")
    assert page.is_visible(".tabel-kriteria thead th")


def test_decimal_framework_pages_do_not_scroll_sideways(page: Page, site_url: str) -> None:
    # 8/2026 publishes no criteria table; its indicator page must still fit.
    page.set_viewport_size(PHONE)
    page.goto(site_url + "8-2026/indikator/1/")
    assert page.evaluate(OVERFLOWING) == []


def test_calculator_tables_stack_on_a_phone(phone: Page, site_url: str) -> None:
    page = phone
    levels: dict[str, int] = json.loads(EXAMPLE.read_text())["levels"]
    verified = levels | {"25": 1, "2": 3}
    data = assessment(levels) | {"format": "spbe-assessment/2", "verifikasi": verified}
    open_calculator(page, site_url)
    page.set_input_files("#berkas-impor", files=[file_payload(data, "v.json")])
    wait_result(page, levels)
    for panel in ("panel-rencana", "panel-verifikasi"):
        open_panel(page, panel)
    page.evaluate("document.getElementById('rencana-batasan').open = true")
    page.click("#rencana-hitung")
    page.wait_for_selector("#rencana-hasil:not([hidden])")
    page.wait_for_selector("#verifikasi-beda tr")
    for tbody in ("#rencana-langkah", "#verifikasi-angka", "#verifikasi-beda", "#batasan-isi"):
        assert page.locator(f"{tbody} tr").count() > 0
        labels = page.evaluate(
            "(sel) => [...document.querySelector(sel).rows[0].cells].map((c) => c.dataset.label)",
            tbody,
        )
        headers = page.evaluate(
            "(sel) => [...document.querySelector(sel).closest('table').tHead.rows[0].cells]"
            ".map((c) => c.textContent)",
            tbody,
        )
        assert labels == headers
    assert page.evaluate(OVERFLOWING) == []
    assert serious_axe_violations(page, WCAG_21_AA) == []

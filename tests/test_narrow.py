"""Tables on a phone (issue 14): at 390×844 they stack into cards instead of scrolling sideways.

Real layout in Debian Chromium: no table (nor Material's scroll wrapper) may be wider than its
box, and the criteria text of an indicator page gets most of the screen's width.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

import build_calculator
import gen_pages
import pytest
from conftest import WCAG_21_AA, serious_axe_violations
from test_calculator import EXAMPLE, assessment, open_calculator, wait_ready, wait_result
from test_calculator_plan import file_payload, open_panel

if TYPE_CHECKING:
    from collections.abc import Iterator

    from conftest import PageLog
    from playwright.sync_api import Browser, Page

PHONE = {"width": 390, "height": 844}
FRAMEWORKS = gen_pages.frameworks()
CALCULATORS = [build_calculator.page_name(fw).removesuffix("index.md") for fw in FRAMEWORKS]
# A representative page of every kind: Beranda, each framework's Bobot and first indicator page,
# the hand-written guide pages and each calculator.
WHOLE_PAGES = [
    "",
    *(f"{fw.slug}/bobot/" for fw in FRAMEWORKS),
    *(f"{fw.slug}/indikator/{fw.indicators[0].id}/" for fw in FRAMEWORKS),
    "glosarium/",
    "sumber/",
    "proses-evaluasi/",
    "tingkat-kematangan/",
    "tentang/",
    *CALCULATORS,
]


def render_all_items(page: Page) -> None:
    """Lays out every item of the calculator form before axe measures colours.

    Items off screen skip rendering (content-visibility: auto) and keep a height estimate, so a
    tall item's unrendered content (45-65rem on a phone) appears to overlap the next item in the
    boxes axe reads, and axe mixes the wrong backgrounds. A user never sees that: an item is
    rendered before it is on screen.
    """
    page.add_style_tag(content=".md-typeset .butir { content-visibility: visible !important; }")


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
    render_all_items(page)
    assert serious_axe_violations(page, WCAG_21_AA) == []


@pytest.mark.parametrize("path", WHOLE_PAGES)
def test_no_page_scrolls_sideways_on_a_phone(phone: Page, site_url: str, path: str) -> None:
    page = phone
    page.goto(site_url + path)
    if path in CALCULATORS:
        wait_ready(page)
    width = page.evaluate("() => [document.scrollingElement.scrollWidth, innerWidth]")
    assert width[0] <= width[1], width
    # Nor is the title taller than its words (an invisible mark wrapped onto an empty line).
    lines = page.evaluate(TITLE_SPARE_LINES)
    assert lines < 0.5, lines


# How many lines taller the page title is than its words.
TITLE_SPARE_LINES = """() => {
  const h1 = document.querySelector("article h1");
  const words = document.createRange();
  words.selectNodeContents(h1.firstChild);
  const spare = h1.getBoundingClientRect().height - words.getBoundingClientRect().height;
  return spare / parseFloat(getComputedStyle(h1).lineHeight);
}"""


# Guide pages whose tables stack: each framework's Bobot page (every table), its first aspect
# and domain page and its indicator list (the indicator tables).
STACKING_PAGES = [
    path
    for fw in FRAMEWORKS
    for path in (
        f"{fw.slug}/bobot/",
        f"{fw.slug}/aspek/{fw.aspects[0].id}/",
        *([f"{fw.slug}/domain/{fw.domains[0].id}/"] if fw.domains else []),
        f"{fw.slug}/indikator/",
    )
]


@pytest.mark.parametrize("path", STACKING_PAGES)
def test_guide_tables_stack_on_a_phone(phone: Page, site_url: str, path: str) -> None:
    page = phone
    page.goto(site_url + path)
    if path.endswith("/bobot/"):
        # Every weight table is in a stacking wrapper.
        tables = page.locator(".md-content table").count()
        assert tables == page.locator(".tabel-tumpuk table").count()
    page.wait_for_function("() => document.querySelector('.tabel-tumpuk td[data-label]') !== null")
    # Each cell is labelled with its column's header, and shows it; each table fits.
    tables = page.evaluate(
        """() => [...document.querySelectorAll('.tabel-tumpuk table')].map((table) => ({
          width: table.getBoundingClientRect().width,
          headers: [...table.tHead.rows[0].cells].map((th) => th.textContent),
          labels: [...table.tBodies[0].rows]
            .map((tr) => [...tr.cells].map((td) => td.dataset.label)),
          before: getComputedStyle(table.tBodies[0].rows[0].cells[0], '::before').content,
        }))"""
    )
    assert len(tables) >= 1
    for table in tables:
        assert table["width"] <= PHONE["width"] - 2 * 16, table["width"]
        assert all(labels == table["headers"] for labels in table["labels"])
        assert table["before"] == f'"{table["headers"][0]}"'
    assert page.evaluate(OVERFLOWING) == []
    assert serious_axe_violations(page, WCAG_21_AA) == []


def test_current_aspect_chip_stays_in_view_on_a_phone(phone: Page, site_url: str) -> None:
    # The strip of aspect chips is wider than a phone: scrolling the form to an aspect marks its
    # chip and scrolls the strip (only the strip) to show it whole.
    page = phone
    open_calculator(page, site_url)
    # Every item laid out, so that the page keeps exactly the position scrolled to.
    render_all_items(page)
    chips = page.evaluate(
        "() => [...document.querySelectorAll('[data-navigasi]')].map((a) => a.dataset.navigasi)"
    )
    strip = page.evaluate(
        "() => [document.getElementById('navigasi-chip').scrollWidth,"
        " document.getElementById('navigasi-chip').clientWidth]"
    )
    assert strip[0] > strip[1], strip  # the strip does overflow
    for aspect in [chips[-1], chips[len(chips) // 2], chips[0]]:
        top = page.evaluate(
            """(id) => {
              const heading = document.getElementById('form-aspek-' + id);
              const nav = document.getElementById('navigasi-form');
              const below = parseFloat(getComputedStyle(nav).top) + nav.offsetHeight + 2;
              const top = Math.round(heading.getBoundingClientRect().top + scrollY - below);
              scrollTo({top, behavior: 'instant'});
              return scrollY;
            }""",
            aspect,
        )
        page.wait_for_selector(f'[data-navigasi="{aspect}"][aria-current="location"]')
        assert page.locator('[aria-current="location"]').count() == 1
        shown = page.evaluate(
            """(id) => {
              const link = document.querySelector(`[data-navigasi="${id}"]`);
              const chip = link.getBoundingClientRect();
              const strip = document.getElementById('navigasi-chip').getBoundingClientRect();
              return chip.left >= strip.left - 0.5 && chip.right <= strip.right + 0.5;
            }""",
            aspect,
        )
        assert shown, aspect
        # Only the strip moved: the page stays where the reader scrolled it.
        assert page.evaluate("() => scrollY") == top
        assert page.evaluate("() => document.scrollingElement.scrollWidth <= innerWidth")


@pytest.mark.parametrize(
    ("path", "width"),
    [
        ("sumber/", 390),
        ("tingkat-kematangan/", 390),
        ("8-2026/", 390),
        ("5-2018/metode/", 390),
        ("kinerja/", 390),
        ("kinerja/", 1366),
    ],
)
def test_a_table_that_scrolls_sideways_can_be_scrolled_by_keyboard(
    page: Page, site_url: str, path: str, width: int
) -> None:
    """A table wider than the screen sits in a scroll box: the box takes focus (axe)."""
    page.set_viewport_size({"width": width, "height": 844})
    page.goto(site_url + path)
    page.wait_for_load_state("load")
    page.wait_for_function(
        "() => [...document.querySelectorAll('.md-typeset__scrollwrap')]"
        ".every((box) => box.scrollWidth <= box.clientWidth || box.tabIndex === 0)"
    )
    scrolling = page.eval_on_selector_all(
        ".md-typeset__scrollwrap",
        "(boxes) => boxes.filter((box) => box.scrollWidth > box.clientWidth).length",
    )
    assert scrolling > 0  # the page has such a table at this width
    assert serious_axe_violations(page) == []


NEXT_FRAME_BUT_ONE = """() => new Promise((done) =>
  requestAnimationFrame(() => requestAnimationFrame(() => done())))"""


def test_the_closed_drawer_is_skipped_and_opens_at_once(phone: Page, site_url: str) -> None:
    """Below 76.25em the site navigation waits in a closed drawer: its links are neither drawn
    nor reachable by Tab until the drawer opens, and then they are there at once and work."""
    phone.goto(site_url)
    phone.wait_for_load_state("load")
    # The current page's own entry is hidden in the drawer (the theme shows its contents instead).
    top = ".md-nav--primary > .md-nav__list > .md-nav__item:not(.md-nav__item--active) > a[href]"
    link = phone.locator(top).first
    skipped = "(a) => !a.checkVisibility({ contentVisibilityAuto: true })"
    assert link.evaluate(skipped)
    for _ in range(25):
        phone.keyboard.press("Tab")
        assert not phone.evaluate("() => !!document.activeElement?.closest('.md-sidebar--primary')")

    phone.click('.md-header label[for="__drawer"]')
    # The transition (extra.css) shows them from its first frame on, not at its time 0: the
    # frame that starts it still has time 0, so wait for the one after.
    phone.evaluate(NEXT_FRAME_BUT_ONE)
    assert not link.evaluate(skipped)
    assert not phone.locator(top).evaluate_all(f"(links) => links.some({skipped})")
    target = link.evaluate("(a) => a.href")
    link.click()
    phone.wait_for_url(target)

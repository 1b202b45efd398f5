"""Page polish (issue 14): what an evaluator sees in the calculator and the guide beyond the
figures. Real Pyodide in Debian Chromium, as in test_calculator.py (whose helpers are reused)."""

from __future__ import annotations

import html
import re
from pathlib import Path
from typing import TYPE_CHECKING

from test_calculator import assessment, code_of, open_calculator, wait_result
from test_calculator_plan import LEVELS, file_payload

from spbe_core import load_framework

if TYPE_CHECKING:
    from playwright.sync_api import Page


def test_an_item_not_verified_yet_is_not_shown_as_different(page: Page, site_url: str) -> None:
    verified = {i: v for i, v in LEVELS.items() if i != "3"} | {"25": 1}
    data = assessment(LEVELS) | {"format": "spbe-assessment/2", "verifikasi": verified}
    open_calculator(page, site_url)
    page.set_input_files("#berkas-impor", files=[file_payload(data, "v.json")])
    wait_result(page, LEVELS)
    page.wait_for_selector(f'#panel-verifikasi[data-kunci="{code_of(verified)}|kuesioner-2018"]')
    # Item 25 truly differs: the red note. Item 3 is only not verified yet: a neutral note.
    assert page.get_attribute("#butir-25", "data-beda") in {"naik", "turun"}
    assert "Berbeda dari mandiri" in page.text_content("#beda-25")
    assert page.get_attribute("#butir-3", "data-beda") is None
    assert page.get_attribute("#butir-3", "data-belum-verifikasi") == "ya"
    assert page.text_content("#beda-3") == "Belum diverifikasi"
    assert page.is_visible("#beda-3")
    # Verifying it clears the note.
    page.select_option("#verifikasi-3", str(LEVELS["3"]))
    verified["3"] = LEVELS["3"]
    page.wait_for_selector(f'#panel-verifikasi[data-kunci="{code_of(verified)}|kuesioner-2018"]')
    assert page.get_attribute("#butir-3", "data-belum-verifikasi") is None
    assert page.is_hidden("#beda-3")


# Material's English strings that must not reach a page of this Indonesian site.
ENGLISH = ("Page not found", "Not found", "Made with", "Back to top", "Search", "Skip to content")


def visible_text(page_html: str) -> str:
    body = re.sub(r"<(script|style)\b.*?</\1>", " ", page_html, flags=re.S)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", body)).split())


def test_404_page_and_footer_are_indonesian(site_dir: Path) -> None:
    for name in ("404.html", "index.html", "tentang/index.html"):
        text = visible_text((site_dir / name).read_text(encoding="utf-8"))
        assert [w for w in ENGLISH if w in text] == [], name
        assert "Dibuat dengan" in text
    text = visible_text((site_dir / "404.html").read_text(encoding="utf-8"))
    assert "Halaman tidak ditemukan" in text


def test_kinerja_is_no_main_tab_but_linked_from_tentang_and_the_footer(site_dir: Path) -> None:
    home = (site_dir / "index.html").read_text(encoding="utf-8")
    tabs = home[home.index('class="md-tabs"') :]
    tabs = tabs[: tabs.index("</nav>")]
    assert "Kinerja" not in tabs
    assert (site_dir / "kinerja/index.html").is_file()
    tentang = (site_dir / "tentang/index.html").read_text(encoding="utf-8")
    main = tentang[tentang.index("<article") : tentang.index("</article>")]
    assert 'href="../kinerja/"' in main
    footer = home[home.index('class="md-copyright"') :]
    assert 'href="kinerja/"' in footer


def test_the_regional_weight_table_is_named_for_what_it_is(site_dir: Path) -> None:
    scheme = load_framework("permenpan-5-2018").scheme("tabel-pedoman")
    assert "pedoman" not in scheme.name.lower()
    assert "paparan" in scheme.name.lower()
    assert "asumsi" in scheme.description
    bobot = visible_text((site_dir / "5-2018/bobot/index.html").read_text(encoding="utf-8"))
    assert scheme.name in bobot
    assert "Tabel pedoman" not in bobot


def test_the_year_example_fits_each_framework(site_dir: Path) -> None:
    pages = {"kalkulator": 2019, "kalkulator/59-2020": 2024, "kalkulator/8-2026": 2026}
    for folder, year in pages.items():
        text = (site_dir / folder / "index.html").read_text(encoding="utf-8")
        assert f'placeholder="mis. {year}"' in text, folder

"""The 59/2020 calculator as a user meets it, in real Pyodide/Chromium: the remembered
framework choice (kalkulator/ opens the framework last chosen), and on the 59/2020 page the
print view, the plan and the verified levels, each against the core or the CLI."""

from __future__ import annotations

import json
import random
from decimal import Decimal
from typing import TYPE_CHECKING, Any

import build_calculator
from conftest import run_spbe
from test_calculator import BOOT_MS, number, wait_ready, wait_started
from test_calculator_frameworks import code_of, file_of
from test_calculator_plan import open_panel, signed4, table_rows

from spbe_core import load_framework

if TYPE_CHECKING:
    from playwright.sync_api import Page

FW = load_framework("permenpan-59-2020")
DEFAULT = load_framework()
CHOICE_KEY = "spbe-kalkulator/kerangka"


def path_of(framework_id: str) -> str:
    return build_calculator.page_name(load_framework(framework_id)).removesuffix("index.md")


def spbe_json(*args: str, stdin: str) -> Any:
    done = run_spbe(*args, "--json", stdin=stdin)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def whole_levels(seed: int, low: int, high: int) -> dict[str, Decimal]:
    rng = random.Random(seed)
    return {i: Decimal(rng.randint(low, high)) for i in FW.item_ids}


def open_with(page: Page, site_url: str, levels: dict[str, Decimal]) -> None:
    """The 59/2020 page with these levels from a share link, their result on screen."""
    code = code_of(FW, levels)
    page.goto(f"{site_url}{path_of(FW.id)}#k={FW.id}&l={code}")
    wait_ready(page)
    wait_for_result(page, levels)


def wait_for_result(page: Page, levels: dict[str, Decimal]) -> None:
    key = f"{code_of(FW, levels)}|{FW.default_scheme}"
    page.wait_for_selector(f'#hasil[data-kunci="{key}"]', state="attached", timeout=BOOT_MS)


def remembered(page: Page) -> str | None:
    return page.evaluate("(key) => localStorage.getItem(key)", CHOICE_KEY)  # type: ignore[no-any-return]


def test_kalkulator_opens_the_framework_last_chosen(page: Page, site_url: str) -> None:
    default_url, fw_url = site_url + path_of(DEFAULT.id), site_url + path_of(FW.id)
    assert default_url == f"{site_url}kalkulator/"
    # A fresh browser: the default page stays (and records its framework).
    page.goto(default_url)
    wait_started(page)
    assert page.url == default_url
    assert remembered(page) == DEFAULT.id

    # Opening the 59/2020 calculator records it; the plain default page then leads there.
    page.goto(fw_url)
    wait_started(page)
    assert remembered(page) == FW.id
    page.goto(default_url)
    page.wait_for_url(fw_url)
    wait_started(page)
    assert page.get_attribute("#kalkulator", "data-framework") == FW.id

    # A share link is for the page it names: never sent elsewhere.
    share = f"{default_url}#l={'3' * len(DEFAULT.item_ids)}"
    page.goto(share)
    wait_started(page)
    page.wait_for_timeout(300)
    assert page.url in {share, default_url}  # the page drops the fragment once applied
    assert page.get_attribute("#kalkulator", "data-framework") == DEFAULT.id

    # Choosing 5/2018 in the chooser of the 59/2020 page stays on 5/2018, also after a reload.
    page.goto(fw_url)
    wait_started(page)
    page.click(f'.kalk-kerangka a[data-kerangka="{DEFAULT.id}"]')
    page.wait_for_url(default_url)
    wait_started(page)
    assert remembered(page) == DEFAULT.id
    page.reload()
    wait_started(page)
    page.wait_for_timeout(300)
    assert page.url == default_url
    assert page.get_attribute("#kalkulator", "data-framework") == DEFAULT.id

    # Beranda's "Pilih kerangka" links record the choice the same way.
    page.goto(site_url)
    page.click(f'#pilih-kerangka ~ ul a[data-kerangka="{FW.id}"]')
    page.wait_for_url(fw_url)
    page.goto(site_url)
    page.click(f'#pilih-kerangka ~ ul a[data-kerangka="{DEFAULT.id}"]')
    page.wait_for_url(default_url)
    wait_started(page)
    page.wait_for_timeout(300)
    assert page.url == default_url


# --- the 59/2020 page: print, plan, verification ------------------------------------------------


def test_print_view_of_the_59_2020_page(page: Page, site_url: str) -> None:
    levels = whole_levels(59, FW.min_level, FW.max_level)
    del levels["12"], levels["40"]  # a partial assessment prints its empty items as such
    open_with(page, site_url, levels)
    page.fill("#instansi", "Pemerintah Kota Contoh")
    page.fill("#tahun", "2024")
    page.emulate_media(media="print")
    assert page.is_hidden("#form-penilaian")
    assert page.is_visible(".kalk-cetak-kepala")
    assert page.is_visible(".kalk-cetak-butir")
    assert page.text_content("#cetak-instansi") == "Pemerintah Kota Contoh"
    assert page.text_content("#cetak-tahun") == "2024"
    scheme = next(s for s in FW.schemes if s.id == FW.default_scheme)
    assert scheme.name in (page.text_content("#cetak-skema") or "")
    assert FW.name in (page.text_content(".kalk-cetak-kepala") or "")
    cells = page.eval_on_selector_all(
        ".kalk-cetak-butir td.cetak-level",
        "tds => tds.map((td) => [td.dataset.cetak, td.textContent])",
    )
    assert [item for item, _ in cells] == list(FW.item_ids)
    assert len(cells) == 47
    for item, text in cells:
        if item in levels:
            assert text.startswith(f"Level {levels[item]}"), (item, text)
        else:
            assert text == "belum diisi", (item, text)
    want = spbe_json("score", "-", stdin=file_of(FW, levels))
    assert page.text_content("#hasil-indeks") == number(want["index"])
    assert page.is_visible("#hasil-indeks")
    page.emulate_media(media="screen")


def test_plan_on_the_59_2020_page_equals_spbe_rencana(page: Page, site_url: str) -> None:
    levels = whole_levels(2020, FW.min_level, 3)
    open_with(page, site_url, levels)
    open_panel(page, "panel-rencana")
    assert page.input_value("#rencana-langkah-maks") == "1"  # one level per item by default
    page.select_option("#rencana-target", "Sangat Baik")
    page.click("#rencana-hitung")
    page.wait_for_selector("#rencana-hasil:not([hidden])")
    page.wait_for_function("() => !document.querySelector('#rencana-hitung').disabled")
    want = spbe_json("rencana", "-", "--target", "Sangat Baik", stdin=file_of(FW, levels))
    rows = table_rows(page, "#rencana-langkah")
    assert rows
    assert [(r[1], r[3], r[4]) for r in rows] == [
        (s["item"], f"{s['from']} → {s['to']}", signed4(s["gain"])) for s in want["steps"]
    ]
    for row in rows:
        start, end = (int(part) for part in row[3].split(" → "))
        assert end - start <= 1, row
    reachable = page.get_attribute("#rencana-hasil", "data-tercapai") == "ya"
    assert reachable is want["reachable"]
    final = page.text_content("#rencana-akhir") or ""
    assert f"indeks {number(want['index'])} ({want['predikat']})" in final


def test_verified_levels_on_the_59_2020_page_equal_the_cli(page: Page, site_url: str) -> None:
    levels = whole_levels(47, 2, 4)
    open_with(page, site_url, levels)
    page.check("#tampil-verifikasi")
    page.click("#verifikasi-dari-mandiri")
    verified = dict(levels)
    for item, level in (("5", 1), ("33", 5)):
        page.select_option(f"#verifikasi-{item}", str(level))
        verified[item] = Decimal(level)
    key = f"{code_of(FW, verified)}|{FW.default_scheme}"
    page.wait_for_selector(f'#panel-verifikasi[data-kunci="{key}"]', state="attached")
    want = spbe_json("score", "-", stdin=file_of(FW, verified))
    mine = spbe_json("score", "-", stdin=file_of(FW, levels))
    assert page.text_content("#hasil-verifikasi-indeks") == number(want["index"])
    assert page.text_content("#hasil-verifikasi-predikat") == want["predikat"]
    assert page.text_content("#hasil-indeks") == number(mine["index"])
    open_panel(page, "panel-verifikasi")
    figures = table_rows(page, "#verifikasi-angka")
    assert figures[0][1:] == [number(mine["index"]), number(want["index"])]
    assert sorted(r[0] for r in table_rows(page, "#verifikasi-beda")) == ["33", "5"]

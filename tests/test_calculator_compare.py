"""Year over year across frameworks in the browser: the 59/2020 calculator page compares a
5/2018 file with a 59/2020 one by index and predikat only, with the note; real Pyodide in
Debian Chromium, every figure equal to `spbe banding --json`."""

from __future__ import annotations

import json
import random
import subprocess
import sys
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from test_calculator import ITEMS, wait_ready
from test_calculator_plan import file_payload, open_panel, table_rows
from test_compare_frameworks import random_file

from spbe_core import format_number, load_framework
from spbe_core._reports import CROSS_NOTE

if TYPE_CHECKING:
    from playwright.sync_api import Page

ROOT = Path(__file__).resolve().parents[1]


def banding_json(*paths: str) -> Any:
    done = subprocess.run(
        [sys.executable, "-m", "spbe_core", "banding", *paths, "--json"],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    )
    return json.loads(done.stdout)


def test_a_5_2018_file_on_the_59_2020_page(page: Page, site_url: str, tmp_path: Path) -> None:
    rng = random.Random(2018)
    old = random_file("permenpan-5-2018", rng, 2018)
    new = random_file("permenpan-59-2020", rng, 2023)
    later = random_file("permenpan-59-2020", rng, 2024)
    paths = {}
    for data in (old, new, later):
        path = tmp_path / f"{data['tahun']}.json"
        path.write_text(json.dumps(data))
        paths[data["tahun"]] = str(path)

    page.goto(f"{site_url}kalkulator/59-2020/")
    wait_ready(page)
    open_panel(page, "panel-banding")
    page.uncheck("#banding-saat-ini")
    page.set_input_files(
        "#banding-berkas",
        files=[file_payload(new, "2023.json"), file_payload(old, "2018.json")],
    )
    page.wait_for_selector('#panel-banding[data-kunci^="2018|2023|"]')
    want = banding_json(paths[2018], paths[2023])
    fws = [load_framework(r["framework"]) for r in want["results"]]
    assert [fw.id for fw in fws] == ["permenpan-5-2018", "permenpan-59-2020"]
    heads = page.locator("#banding-kepala th").all_text_contents()
    assert [h.strip() for h in heads] == ["", "2018", "2023"]
    assert table_rows(page, "#banding-angka") == [
        ["Kerangka", *[fw.short_name for fw in fws]],
        ["Nama indeks", *[fw.index_name for fw in fws]],
        ["Indeks", *[format_number(json_decimal(r["index"])) for r in want["results"]]],
        ["Predikat", *[r["predikat"] for r in want["results"]]],
    ]
    note = page.locator("#banding-catatan")
    assert note.is_visible()
    assert note.text_content() == CROSS_NOTE == want["note"]
    assert page.locator("#banding-grafik").is_hidden()
    assert page.locator("#banding-ubah > *").count() == 0
    assert page.locator("#banding-galat .kalk-pesan").count() == 0

    # Without the 5/2018 file, and with another 59/2020 one: the full comparison again.
    page.click('#banding-daftar li:has-text("2018.json") button')
    page.set_input_files("#banding-berkas", files=[file_payload(later, "2024.json")])
    page.wait_for_selector('#panel-banding[data-kunci^="2023|2024|"]')
    same = banding_json(paths[2023], paths[2024])
    assert "note" not in same
    assert page.locator("#banding-catatan").is_hidden()
    assert page.locator("#banding-grafik").is_visible()
    rows = table_rows(page, "#banding-angka")
    assert rows[0][1:3] == [format_number(json_decimal(r["index"])) for r in same["results"]]
    assert len(rows) == 2 + len(fws[1].domains) + len(fws[1].aspects)  # index, predikat, ...
    assert page.locator("#banding-ubah .banding-ubah").count() == 1
    assert axis(page) == ["1", "2", "3", "4", "5"]  # this page's framework, 59/2020

    # Two 5/2018 files on this page: their chart is on the 5/2018 scale (levels 0-5).
    for year in ("2023", "2024"):
        page.click(f'#banding-daftar li:has-text("{year}.json") button')
    second = random_file("permenpan-5-2018", rng, 2019)
    page.set_input_files(
        "#banding-berkas", files=[file_payload(old, "2018.json"), file_payload(second, "2019.json")]
    )
    page.wait_for_selector('#panel-banding[data-kunci^="2018|2019|"]')
    assert page.locator("#banding-catatan").is_hidden()
    assert axis(page) == ["0", "1", "2", "3", "4", "5"]


def axis(page: Page) -> list[str]:
    """The level labels on the chart's vertical axis (the labels of the years end with them)."""
    texts = page.locator("#banding-svg svg text.tren-sumbu").all_text_contents()
    return [t for t in texts if len(t) == 1]


def json_decimal(value: float) -> Decimal:
    """A published figure from JSON (two decimals) back to its exact decimal."""
    return Decimal(repr(value)).quantize(Decimal("0.01"))


# Every pair of the chart's texts whose boxes (in CSS px) overlap by more than half a pixel.
OVERLAPPING_LABELS = """() => {
  const boxes = [...document.querySelectorAll('#banding-svg svg text')].map((text) => {
    const r = text.getBoundingClientRect();
    return {text: text.textContent, left: r.left, right: r.right, top: r.top, bottom: r.bottom};
  });
  const svg = document.querySelector('#banding-svg svg').getBoundingClientRect();
  const outside = boxes.filter((b) => b.left < svg.left - 0.5 || b.right > svg.right + 0.5)
    .map((b) => `${b.text} outside`);
  const pairs = [];
  boxes.forEach((a, i) => boxes.slice(i + 1).forEach((b) => {
    const w = Math.min(a.right, b.right) - Math.max(a.left, b.left);
    const h = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);
    if (w > 0.5 && h > 0.5) pairs.push(`${a.text} / ${b.text}`);
  }));
  return [...outside, ...pairs];
}"""


@pytest.mark.parametrize("width", [390, 1280])
def test_chart_labels_never_overlap(page: Page, site_url: str, width: int) -> None:
    # Every domain at the same index as the whole (all items at level 3), then all at level 1:
    # the domains' names meet at one point next to the index's value; long file names without
    # a year label the x axis.
    fw = load_framework("permenpan-5-2018")
    files = [
        (
            {
                "format": "spbe-assessment/1",
                "framework": fw.id,
                "levels": dict.fromkeys(ITEMS, level),
            },
            name,
        )
        for level, name in (
            (3, "penilaian-mandiri-kabupaten-contoh-pertama.json"),
            (1, "penilaian-mandiri-kabupaten-contoh-kedua.json"),
            (3, "penilaian-mandiri-kabupaten-contoh-ketiga.json"),
        )
    ]
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(f"{site_url}kalkulator/")
    wait_ready(page)
    open_panel(page, "panel-banding")
    page.uncheck("#banding-saat-ini")
    page.set_input_files("#banding-berkas", files=[file_payload(d, n) for d, n in files])
    page.wait_for_selector("#banding-svg svg text.tren-nilai")
    page.check("#banding-domain")
    assert page.locator("#banding-svg svg text.tren-nama").count() == len(fw.domains)
    page.locator("#banding-svg").scroll_into_view_if_needed()
    assert page.evaluate(OVERLAPPING_LABELS) == []
    # Each shortened file name keeps the whole name as its title.
    titles = page.locator("#banding-svg svg text.tren-sumbu title").all_text_contents()
    assert set(titles) <= {name.removesuffix(".json") for _, name in files}

"""The calculator's issue-6 panels: planner, self vs verified levels, year over year, follow-up.

Real Pyodide in Debian Chromium, as in test_calculator.py (whose helpers are reused); every
figure on screen must equal what the CLI (`spbe rencana`, `spbe banding`) or the core computes.
"""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import build_calculator
from conftest import WCAG_21_AA, serious_axe_violations
from test_calculator import (
    EXAMPLE,
    FW,
    ITEMS,
    assessment,
    click_level,
    code_of,
    core_problems,
    download,
    number,
    open_calculator,
    stored,
    wait_ready,
    wait_result,
    wait_started,
)

from spbe_core import handle_request, level_differences, score

if TYPE_CHECKING:
    from playwright.sync_api import FilePayload, Page

ROOT = Path(__file__).resolve().parents[1]
LEVELS: dict[str, int] = json.loads(EXAMPLE.read_text())["levels"]


def spbe_json(*args: str, stdin: str = "") -> Any:
    done = subprocess.run(
        [sys.executable, "-m", "spbe_core", *args, "--json"],
        input=stdin,
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    )
    return json.loads(done.stdout)


def ask(**request: Any) -> Any:
    return json.loads(handle_request(json.dumps(request)))


def signed4(value: float) -> str:
    return f"{value:+.4f}".replace(".", ",").replace("-", "−")


def open_panel(page: Page, panel: str) -> None:
    page.evaluate("(id) => { document.getElementById(id).open = true; }", panel)


def file_payload(data: dict[str, Any] | str, name: str) -> FilePayload:
    text = data if isinstance(data, str) else json.dumps(data)
    return {"name": name, "mimeType": "application/json", "buffer": text.encode()}


def table_rows(page: Page, tbody: str) -> list[list[str]]:
    return page.evaluate(  # type: ignore[no-any-return]
        """(sel) => [...document.querySelectorAll(sel + ' tr')]
            .map((tr) => [...tr.cells].map((c) => c.textContent.trim()))""",
        tbody,
    )


def set_constraint(page: Page, item: str, kind: str, value: str | bool) -> None:
    field = page.locator(f'#batasan-isi tr[data-butir="{item}"] [data-batasan="{kind}"]')
    if isinstance(value, bool):
        field.set_checked(value)
    elif kind == "max":
        field.select_option(value)
    else:
        field.fill(value)


# --- planner ---------------------------------------------------------------------------------


def test_planner_equals_spbe_rencana(page: Page, site_url: str, tmp_path: Path) -> None:
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    open_calculator(page, site_url, f"#l={code_of(LEVELS)}")
    wait_result(page, LEVELS)
    open_panel(page, "panel-rencana")
    data = json.dumps(assessment(LEVELS))
    effort_file = tmp_path / "upaya.json"
    cases: list[tuple[str, dict[str, Any]]] = [
        ("Baik", {}),
        ("3,00", {"effort": {"25": 2.5, "26": None, "31": 0.5}, "max_level": {"30": 4}}),
        ("Memuaskan", {"effort": dict.fromkeys(ITEMS[:30])}),  # unreachable
    ]
    page.evaluate("document.getElementById('rencana-batasan').open = true")
    for target, constraints in cases:
        page.click("#batasan-kosongkan")
        for item, effort in constraints.get("effort", {}).items():
            if effort is None:
                set_constraint(page, item, "tidak", True)
            else:
                set_constraint(page, item, "effort", str(effort).replace(".", ","))
        for item, level in constraints.get("max_level", {}).items():
            set_constraint(page, item, "max", str(level))
        if target[0].isdigit():
            page.select_option("#rencana-target", "indeks")
            page.fill("#rencana-indeks", target)
        else:
            page.select_option("#rencana-target", target)
        page.click("#rencana-hitung")
        effort_file.write_text(json.dumps(constraints))
        want = spbe_json(
            "rencana", "-", "--target", target, "--effort", str(effort_file), stdin=data
        )
        page.wait_for_selector("#rencana-hasil:not([hidden])")
        page.wait_for_function("() => !document.querySelector('#rencana-hitung').disabled")
        reachable = page.get_attribute("#rencana-hasil", "data-tercapai") == "ya"
        assert reachable is want["reachable"], target
        rows = table_rows(page, "#rencana-langkah")
        assert [(r[1], r[3], r[4]) for r in rows] == [
            (s["item"], f"{s['from']} → {s['to']}", signed4(s["gain"])) for s in want["steps"]
        ], target
        assert [float(r[5].replace(",", ".")) for r in rows] == [s["effort"] for s in want["steps"]]
        final = page.text_content("#rencana-akhir") or ""
        assert f"indeks {number(want['index'])} ({want['predikat']})" in final
        if not want["reachable"]:
            assert "tidak dapat dicapai" in (page.text_content("#rencana-ringkas") or "")
            assert "Terbaik yang mungkin" in final

    # Export: CSV and "Salin rencana" carry the core's own figures and text.
    core = ask(
        op="plan", assessment=assessment(LEVELS), target="Memuaskan", constraints=cases[2][1]
    )["plan"]
    name, text = download(page, "#rencana-csv")
    assert name.startswith("rencana-spbe")
    assert name.endswith(".csv")
    assert text.replace("\r\n", "\n") == core["csv"].replace("\r\n", "\n")
    page.click("#rencana-salin")
    page.wait_for_function("() => document.querySelector('#rencana-status').textContent")
    assert page.evaluate("navigator.clipboard.readText()") == core["text"]

    # Bad input: the core's messages, the field marked, nothing lost (also after a reload).
    set_constraint(page, "33", "effort", "banyak")
    page.click("#rencana-hitung")
    box = page.locator("#rencana-galat")
    box.wait_for()
    problems = box.locator("li").all_text_contents()
    assert "effort.33: upaya harus angka lebih dari 0 (atau null = tidak mungkin naik)" in problems
    assert page.get_attribute('tr[data-butir="33"] [data-batasan="effort"]', "aria-invalid")
    page.select_option("#rencana-target", "indeks")
    page.fill("#rencana-indeks", "7,5")
    page.click("#rencana-hitung")
    page.wait_for_function(
        "() => document.querySelector('#rencana-galat').textContent.includes('target')"
    )
    assert page.get_attribute("#rencana-indeks", "aria-invalid") == "true"
    page.reload()
    wait_started(page)
    assert page.input_value('tr[data-butir="33"] [data-batasan="effort"]') == "banyak"
    assert page.is_checked('tr[data-butir="1"] [data-batasan="tidak"]')
    assert page.input_value("#rencana-indeks") == "7,5"
    assert page.input_value("#rencana-target") == "indeks"
    wait_result(page, LEVELS)  # the assessment itself is untouched


# --- self-assessment vs verified -------------------------------------------------------------


def test_verified_levels_show_both_indices_and_differences(page: Page, site_url: str) -> None:
    verified = LEVELS | {"25": 1, "2": 3, "31": 2}
    data = assessment(LEVELS) | {"format": "spbe-assessment/2", "verifikasi": verified}
    open_calculator(page, site_url)
    page.set_input_files("#berkas-impor", files=[file_payload(data, "v.json")])
    wait_result(page, LEVELS)
    key = f"{code_of(verified)}|kuesioner-2018"
    page.wait_for_selector(f'#panel-verifikasi[data-kunci="{key}"]')
    assert page.is_checked("#tampil-verifikasi")
    assert page.is_visible("#verifikasi-25")
    want = score(FW, verified)
    self_result = score(FW, LEVELS)
    assert page.text_content("#hasil-verifikasi-indeks") == number(float(want.published))
    assert page.text_content("#hasil-verifikasi-predikat") == want.predikat
    open_panel(page, "panel-verifikasi")
    figures = table_rows(page, "#verifikasi-angka")
    assert figures[0][1:] == [number(float(self_result.published)), number(float(want.published))]
    assert figures[1][1:] == [self_result.predikat, want.predikat]
    diffs = level_differences(FW, dict(LEVELS), verified)
    rows = table_rows(page, "#verifikasi-beda")
    assert [r[0] for r in rows] == [d.item for d in diffs]
    impacts = [abs(float(r[4].replace(",", ".").replace("−", "-"))) for r in rows]
    assert impacts == sorted(impacts, reverse=True)  # largest index impact first
    assert [r[4] for r in rows] == [signed4(float(d.impact)) for d in diffs]
    for diff in diffs:
        assert page.get_attribute(f"#butir-{diff.item}", "data-beda") in {"naik", "turun"}
    assert page.get_attribute("#butir-1", "data-beda") is None

    # Changing a verified level by hand recomputes both.
    page.select_option("#verifikasi-31", str(LEVELS["31"]))
    verified["31"] = LEVELS["31"]
    page.wait_for_selector(f'#panel-verifikasi[data-kunci="{code_of(verified)}|kuesioner-2018"]')
    remaining = [d.item for d in level_differences(FW, dict(LEVELS), verified)]
    assert [r[0] for r in table_rows(page, "#verifikasi-beda")] == remaining
    want = score(FW, verified)
    assert page.text_content("#hasil-verifikasi-indeks") == number(float(want.published))
    assert stored(page)["verifikasi"] == verified
    # "Salin level mandiri" fills only the items without a verified level.
    page.select_option("#verifikasi-7", "")
    page.click("#verifikasi-dari-mandiri")
    page.wait_for_selector(f'#panel-verifikasi[data-kunci="{code_of(verified)}|kuesioner-2018"]')
    assert stored(page)["verifikasi"] == verified


# --- year over year ------------------------------------------------------------------------------


def test_comparison_equals_spbe_banding(page: Page, site_url: str, tmp_path: Path) -> None:
    first = assessment(LEVELS, tahun=2018)
    second = assessment(LEVELS | {"25": 5, "3": 1}, tahun=2019)
    third = assessment(LEVELS | {"25": 5, "3": 4, "30": 5}, "tabel-pedoman", tahun=2020)
    paths = []
    for data in (first, second, third):
        path = tmp_path / f"{data['tahun']}.json"
        path.write_text(json.dumps(data))
        paths.append(str(path))
    open_calculator(page, site_url, f"#l={code_of(LEVELS)}")
    page.fill("#tahun", "2018")
    wait_result(page, LEVELS)
    open_panel(page, "panel-banding")
    assert page.is_visible("#banding-kurang")

    # A bad file: the core's messages; nothing else changes.
    bad = json.dumps({**second, "levels": {"5": 9}})
    page.set_input_files("#banding-berkas", files=[file_payload(bad, "rusak.json")])
    box = page.locator("#banding-galat .kalk-pesan")
    box.wait_for()
    assert "rusak.json" in (box.text_content() or "")
    assert box.locator("li").all_text_contents() == core_problems(bad)

    # The current form (2018) plus two files, added out of order: sorted by year.
    page.set_input_files(
        "#banding-berkas",
        files=[file_payload(third, "2020.json"), file_payload(second, "2019.json")],
    )
    page.wait_for_selector('#panel-banding[data-kunci^="2018|2019|2020|"]')
    want = spbe_json("banding", *paths)
    check_comparison(page, want)
    assert page.locator("#banding-galat .kalk-pesan").count() == 0
    assert page.locator("#banding-svg svg polyline").count() == 1
    page.check("#banding-domain")
    assert page.locator("#banding-svg svg polyline").count() == 1 + len(FW.domains)
    labels = page.locator("#banding-svg svg text.tren-nilai").all_text_contents()
    assert labels == [number(r["index"]) for r in want["results"]]

    # Two files only, without the current form.
    page.click('#banding-daftar li:has-text("2020.json") button')
    page.uncheck("#banding-saat-ini")
    page.set_input_files("#banding-berkas", files=[file_payload(first, "2018.json")])
    page.wait_for_function(
        "() => /^2018\\|2019\\|[^|]*$/.test(document.querySelector('#panel-banding').dataset.kunci)"
    )
    check_comparison(page, spbe_json("banding", paths[0], paths[1]))
    # Fewer than two: a plain message, no stale figures.
    page.click('#banding-daftar li:has-text("2019.json") button')
    page.wait_for_selector("#banding-kurang:not([hidden])")
    assert page.is_hidden("#banding-hasil")


def check_comparison(page: Page, want: dict[str, Any]) -> None:
    rows = table_rows(page, "#banding-angka")
    assert [
        c.strip() for c in page.locator("#banding-kepala th").all_text_contents()[1:-1]
    ] == want["labels"]
    assert rows[0][1:-1] == [number(r["index"]) for r in want["results"]]
    assert rows[1][1:-1] == [r["predikat"] for r in want["results"]]
    domains = [r for r in rows if r[0].startswith("Domain")]
    for pos, row in enumerate(domains):
        assert row[1:-1] == [number(r["domains"][pos]["index"]) for r in want["results"]]
    aspects = [r for r in rows if r[0].startswith("Aspek")]
    for pos, row in enumerate(aspects):
        assert row[1:-1] == [number(r["aspects"][pos]["index"]) for r in want["results"]]
    shown_changes = page.evaluate(
        """() => [...document.querySelectorAll('#banding-ubah .banding-ubah')]
            .map((b) => [...b.querySelectorAll('li')].map((li) => li.dataset.butir))"""
    )
    assert shown_changes == [[c["item"] for c in changes] for changes in want["changes"]]


# --- follow-up list ------------------------------------------------------------------------------


FOLLOW_UPS = {
    "23": {
        "rekomendasi": "Susun rencana integrasi <b>aplikasi</b>",
        "unit": "Diskominfo",
        "tenggat": "2019-06-30",
        "status": "proses",
    },
    "1": {
        "rekomendasi": "Tetapkan SK Tim Pengarah",
        "unit": "",
        "tenggat": "",
        "status": "selesai",
    },
}
NOTES = {"23": "Menunggu anggaran"}


def fill_follow_up(page: Page, item: str, entry: dict[str, str]) -> None:
    page.locator(f"#butir-{item} .butir-ekstra summary").click()
    page.fill(f"#rekomendasi-{item}", entry["rekomendasi"])
    page.fill(f"#unit-{item}", entry["unit"])
    if entry["tenggat"]:
        page.fill(f"#tenggat-{item}", entry["tenggat"])
    page.select_option(f"#status-{item}", entry["status"])


def test_follow_up_persists_exports_prints_and_copies(
    page: Page, site_url: str, tmp_path: Path
) -> None:
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    open_calculator(page, site_url, f"#l={code_of(LEVELS)}")
    page.fill("#instansi", "Kota <i>Contoh</i>")
    page.fill("#tahun", "2018")
    wait_result(page, LEVELS)
    for item, entry in FOLLOW_UPS.items():
        fill_follow_up(page, item, entry)
    page.fill("#catatan-23", NOTES["23"])
    want = assessment(LEVELS, instansi="Kota <i>Contoh</i>", tahun=2018) | {
        "format": "spbe-assessment/2",
        "catatan": NOTES,
        "tindak_lanjut": {i: FOLLOW_UPS[i] for i in ITEMS if i in FOLLOW_UPS},
    }
    assert stored(page) == want

    page.reload()
    wait_ready(page)
    for item, entry in FOLLOW_UPS.items():
        for field, value in entry.items():
            if field != "status":
                assert page.input_value(f"#{field}-{item}") == value
        assert page.input_value(f"#status-{item}") == entry["status"]
    assert page.input_value("#catatan-23") == NOTES["23"]
    open_panel(page, "panel-tindak")
    rows = table_rows(page, "#tindak-isi")
    assert [r[0] for r in rows] == ["1", "23"]  # framework order
    assert rows[1][2:] == [
        FOLLOW_UPS["23"]["rekomendasi"],
        "Diskominfo",
        "2019-06-30",
        "Dalam proses",
    ]

    # Export (format 2) works in the CLI and comes back after Mulai ulang + import.
    core = ask(op="follow_up", assessment=want)
    _, text = download(page, "#tombol-ekspor")
    exported = json.loads(text)
    assert exported == want
    path = tmp_path / "tl.json"
    path.write_text(text)
    assert spbe_json("score", str(path))["index"] == float(score(FW, LEVELS).published)
    name, csv_text = download(page, "#tindak-csv")
    assert name == "tindak-lanjut-spbe-kota-i-contoh-i-2018.csv"
    assert list(csv.reader(io.StringIO(csv_text), delimiter=";")) == list(
        csv.reader(io.StringIO(core["csv"]), delimiter=";")
    )
    page.click("#tindak-salin")
    page.wait_for_function("() => document.querySelector('#tindak-status').textContent")
    assert "disalin" in (page.text_content("#tindak-status") or "")
    assert page.evaluate("navigator.clipboard.readText()") == core["text"]

    # Print view: the follow-up table with the note, user text as text.
    page.emulate_media(media="print")
    assert page.is_visible("#cetak-tindak")
    printed = table_rows(page, "#cetak-tindak-isi")
    assert printed[1] == [
        "23",
        printed[1][1],
        FOLLOW_UPS["23"]["rekomendasi"],
        "Diskominfo",
        "30 Juni 2019",
        "Dalam proses",
        NOTES["23"],
    ]
    assert page.is_hidden("#lanjutan")
    page.emulate_media(media="screen")
    assert page.locator("#kalkulator b, #kalkulator i").count() == 0

    page.click("#tombol-mulai-ulang")
    page.click("#dialog-ya")
    wait_result(page, {})
    assert page.input_value("#rekomendasi-23") == ""
    assert page.is_visible("#tindak-kosong")
    page.set_input_files("#berkas-impor", path)
    wait_result(page, LEVELS)
    assert page.input_value("#rekomendasi-23") == FOLLOW_UPS["23"]["rekomendasi"]
    assert page.input_value("#status-1") == "selesai"
    assert stored(page) == want

    # No clipboard access: the text is shown to copy by hand, with a message.
    page.evaluate(
        "() => { navigator.clipboard.writeText = () => Promise.reject(new Error('ditolak')); }"
    )
    page.click("#tindak-salin")
    page.wait_for_selector("#salin-cadangan:not([hidden])")
    assert page.input_value("#salin-teks") == core["text"]
    assert "Ctrl+C" in (page.text_content("#tindak-status") or "")


# Every cell of the printed tables within its own box, and each table within its section.
OVERFLOWS_JS = """(sel) => {
    const section = document.querySelector(sel);
    const table = section.querySelector('table');
    const cells = [...table.querySelectorAll('th, td')]
        .filter((c) => c.scrollWidth > c.clientWidth + 1)
        .map((c) => c.textContent);
    return {
        section: [section.scrollWidth, section.clientWidth],
        right: [table.getBoundingClientRect().right, section.getBoundingClientRect().right],
        page: document.documentElement.scrollWidth - document.documentElement.clientWidth,
        cells,
    };
}"""


def test_rarely_used_fields_join_the_page_when_needed_and_keep_their_values(
    page: Page, site_url: str
) -> None:
    """Notes and follow-up, verified levels and plan constraints wait in <template>s (fewer
    elements at start); each appears when opened or switched on, by keyboard too, and after a
    reload those that hold something are back with their values."""
    open_calculator(page, site_url)
    fields = "[id^=catatan-], [id^=verifikasi-]:is(select, input), #batasan-isi tr"
    assert page.locator(fields).count() == 0
    page.focus("#butir-3 .butir-ekstra summary")
    page.keyboard.press("Enter")
    page.fill("#catatan-3", "Dokumen masih konsep")  # fill waits until the field is visible
    assert page.is_visible("#status-3")
    assert page.locator("#catatan-4").count() == 0
    page.check("#tampil-verifikasi")
    page.select_option("#verifikasi-5", "2")
    open_panel(page, "panel-rencana")
    page.locator("#rencana-batasan summary").click()
    rows = table_rows(page, "#batasan-isi")
    assert [row[:2] for row in rows] == [[i, build_calculator.item_name(FW, i)] for i in ITEMS]
    set_constraint(page, "7", "effort", "2")
    assert page.text_content("#batasan-jumlah") == "(1 butir dibatasi)"

    page.reload()
    wait_started(page)
    assert page.input_value("#catatan-3") == "Dokumen masih konsep"
    assert page.is_visible("#butir-3 .butir-ekstra-tanda")
    assert page.locator("#catatan-4").count() == 0
    assert page.input_value("#verifikasi-5") == "2"
    assert page.input_value('#batasan-isi tr[data-butir="7"] [data-batasan="effort"]') == "2"
    assert page.text_content("#batasan-jumlah") == "(1 butir dibatasi)"
    page.click("#tombol-mulai-ulang")
    page.click("#dialog-ya")
    page.wait_for_function("() => !document.querySelector('#catatan-3').value")
    assert page.input_value("#verifikasi-5") == ""


def assert_fits(page: Page, section: str) -> None:
    box = page.evaluate(OVERFLOWS_JS, section)
    assert box["section"][0] <= box["section"][1], box
    assert box["right"][0] <= box["right"][1] + 0.5, box
    assert box["page"] <= 0, box
    assert box["cells"] == [], box


def test_print_fits_the_page_with_indonesian_dates_and_the_plan(page: Page, site_url: str) -> None:
    page.set_viewport_size({"width": 794, "height": 1123})  # A4 at 96 dpi
    open_calculator(page, site_url, f"#l={code_of(LEVELS)}")
    wait_result(page, LEVELS)
    long_word = "Penyelenggaraan" * 6
    fill_follow_up(
        page,
        "23",
        {
            "rekomendasi": f"Susun {long_word} rencana integrasi aplikasi " * 4,
            "unit": "Dinas Komunikasi, Informatika, Statistik dan Persandian",
            "tenggat": "2026-12-03",
            "status": "proses",
        },
    )
    fill_follow_up(page, "1", FOLLOW_UPS["1"])
    page.fill("#catatan-23", f"Menunggu {long_word} anggaran perubahan")

    page.emulate_media(media="print")
    assert page.is_visible("#cetak-tindak")
    assert page.is_hidden("#cetak-rencana")  # no plan computed: nothing printed for it
    assert_fits(page, "#cetak-tindak")
    printed = table_rows(page, "#cetak-tindak-isi")
    assert printed[1][4] == "3 Desember 2026"
    assert printed[0][4] == ""
    widths = page.evaluate(
        "() => [...document.querySelectorAll('#cetak-tindak thead th')]"
        ".map((th) => th.getBoundingClientRect().width)"
    )
    assert widths[2] > 3 * widths[0]  # recommendation wide, item number narrow
    page.emulate_media(media="screen")
    assert page.input_value("#tenggat-23") == "2026-12-03"  # the screen field keeps ISO

    open_panel(page, "panel-rencana")
    page.select_option("#rencana-target", "Baik")
    page.click("#rencana-hitung")
    page.wait_for_selector("#rencana-hasil:not([hidden])")
    page.wait_for_function("() => !document.querySelector('#rencana-hitung').disabled")
    steps = table_rows(page, "#rencana-langkah")
    assert steps
    page.emulate_media(media="print")
    assert page.is_hidden("#lanjutan")
    assert page.is_visible("#cetak-rencana-tabel")
    assert table_rows(page, "#cetak-rencana-langkah") == steps
    assert page.text_content("#cetak-rencana-ringkas") == page.text_content("#rencana-ringkas")
    assert page.text_content("#cetak-rencana-akhir") == page.text_content("#rencana-akhir")
    limits = page.text_content("#cetak-rencana-batas") or ""
    assert "paling banyak 1 level per butir" in limits
    assert page.is_hidden("#cetak-rencana-basi")
    assert_fits(page, "#cetak-rencana")
    page.emulate_media(media="screen")
    click_level(page, "1", 5)  # the plan is stale now, and says so in print too
    page.emulate_media(media="print")
    page.wait_for_selector("#cetak-rencana-basi", state="visible")
    page.emulate_media(media="screen")


def test_bad_follow_up_in_a_file_is_refused_and_changes_nothing(page: Page, site_url: str) -> None:
    open_calculator(page, site_url, f"#l={code_of(LEVELS)}")
    wait_result(page, LEVELS)
    fill_follow_up(page, "23", FOLLOW_UPS["23"])
    saved = stored(page)
    bad = json.dumps(
        assessment(LEVELS)
        | {
            "format": "spbe-assessment/2",
            "tindak_lanjut": {"5": {"tenggat": "30/06/2019", "status": "nanti"}, "99": {}},
        }
    )
    page.set_input_files("#berkas-impor", files=[file_payload(bad, "tl.json")])
    box = page.locator('#pesan [data-pesan="impor"]')
    box.wait_for()
    assert box.locator("li").all_text_contents() == core_problems(bad)
    assert stored(page) == saved
    assert page.input_value("#rekomendasi-23") == FOLLOW_UPS["23"]["rekomendasi"]


def test_corrupt_planner_storage_is_dropped_with_a_notice(page: Page, site_url: str) -> None:
    page.goto(site_url + "kalkulator/")
    page.evaluate("localStorage.setItem('spbe-kalkulator/alat', '{\"effort\": 5}')")
    page.reload()
    box = page.locator('#pesan [data-pesan="alat"]')
    box.wait_for()
    assert "dikosongkan" in (box.text_content() or "")
    wait_ready(page)
    assert page.evaluate("localStorage.getItem('spbe-kalkulator/alat')") is None


# --- access ------------------------------------------------------------------------------------


def test_axe_with_every_panel_open(page: Page, site_url: str) -> None:
    verified = LEVELS | {"25": 1}
    data = assessment(LEVELS, tahun=2018) | {
        "format": "spbe-assessment/2",
        "verifikasi": verified,
        "tindak_lanjut": {"23": FOLLOW_UPS["23"]},
    }
    open_calculator(page, site_url)
    page.set_input_files("#berkas-impor", files=[file_payload(data, "a.json")])
    wait_result(page, LEVELS)
    for panel in ("panel-rencana", "panel-verifikasi", "panel-banding", "panel-tindak"):
        open_panel(page, panel)
    page.evaluate("document.getElementById('rencana-batasan').open = true")
    page.locator("#butir-23 .butir-ekstra summary").click()
    page.click("#rencana-hitung")
    page.wait_for_selector("#rencana-hasil:not([hidden])")
    later = assessment(LEVELS | {"25": 5}, tahun=2019)
    page.set_input_files("#banding-berkas", files=[file_payload(later, "2019.json")])
    page.wait_for_selector("#banding-hasil:not([hidden])")
    assert serious_axe_violations(page, WCAG_21_AA) == []

"""The calculator's saved work in the browser: what a hostile or odd file, stored entry or second
tab can do to it. Nothing is lost without a question or a notice, and every refusal is a clear
Indonesian message (never Python's). Real Pyodide and Debian Chromium, as in test_calculator.py.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from conftest import run_spbe
from test_calculator import (
    STORAGE_KEY,
    assessment,
    checked_levels,
    click_level,
    code_of,
    core_view,
    download,
    notice,
    open_calculator,
    shown,
    stored,
    wait_ready,
    wait_result,
)

if TYPE_CHECKING:
    from playwright.sync_api import BrowserContext, FilePayload, Page

LEVELS = {"1": 3, "2": 1, "7": 4, "35-2": 2}
# A spreadsheet runs a cell starting with one of these (OWASP: CSV injection).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def payload(data: bytes, name: str) -> FilePayload:
    return {"name": name, "mimeType": "application/json", "buffer": data}


def import_bytes(page: Page, data: bytes, name: str) -> None:
    page.set_input_files("#berkas-impor", files=[payload(data, name)])


def notice_text(page: Page, topic: str) -> str:
    box = notice(page, topic)
    box.wait_for()
    return box.text_content() or ""


def refused(page: Page, data: bytes, name: str) -> list[str]:
    """Import `data`: it must be refused with an error notice; its lines."""
    import_bytes(page, data, name)
    box = notice(page, "impor").and_(page.locator('[data-jenis="galat"]', has_text=name))
    box.wait_for()
    assert "Isian Anda tidak diubah" in (box.text_content() or "")
    lines: list[str] = box.locator("li").all_text_contents()
    for line in lines:
        assert "Traceback" not in line, line
        assert "Error" not in line, line
    return lines


# --- files ------------------------------------------------------------------------------------


def test_files_not_utf8_too_large_too_deep_or_too_long_keep_the_work(
    page: Page, site_url: str, tmp_path: Path
) -> None:
    open_calculator(page, site_url, f"#l={code_of(LEVELS)}")
    page.fill("#instansi", "Kota Tetap")
    page.fill("#tahun", "2020")
    page.locator("#butir-2 .butir-ekstra summary").click()
    page.fill("#catatan-2", "Catatan yang diketik")
    wait_result(page, LEVELS)
    before, saved = shown(page), stored(page)
    good = assessment({"1": 2}, instansi="Kabupaten Bandung é")

    # Latin-1 bytes: refused at the byte Python (and so the CLI) names, nothing replaced.
    latin = json.dumps(good, ensure_ascii=False).encode("latin-1")
    at = latin.index("é".encode("latin-1")) + 1
    path = tmp_path / "latin.json"
    path.write_bytes(latin)
    cli = run_spbe("validate", str(path))
    assert cli.returncode == 2
    assert f"byte ke-{at})" in cli.stderr
    lines = refused(page, latin, "latin.json")
    assert len(lines) == 1
    assert f"bukan teks UTF-8: byte ke-{at} (baris 1)" in lines[0]
    # A cut-off character at the very end, and a stray continuation byte on line 3.
    utf8 = json.dumps(good, ensure_ascii=False, indent=1).encode()
    assert f"byte ke-{len(utf8) + 1} " in refused(page, utf8 + b"\xc3", "potong.json")[0]
    stray = utf8.replace(b"\n", b"\n\x80", 2)
    second = stray.index(b"\x80") + 1
    assert f"byte ke-{second} (baris 2)" in refused(page, stray, "sisa.json")[0]

    # The size limit is the core's, in bytes, and the message says so.
    body = json.dumps(good, ensure_ascii=False).encode()
    exactly = body + b" " * (1_000_000 - len(body))
    assert len(exactly) == 1_000_000
    (big,) = refused(page, exactly + b" ", "besar.json")
    assert "lebih dari 1 MB" in big
    assert "1.000.001 byte, batasnya 1.000.000 byte" in big

    # Nested 3,000 deep and a 5,000-digit number: the core's located message, no fatal error.
    deep = b"[" * 3000 + b"]" * 3000
    (nested,) = refused(page, deep, "dalam.json")
    assert "bersarang terlalu dalam" in nested
    digits = json.dumps({**good, "levels": {"1": 0}}).replace('"1": 0', '"1": ' + "1" * 5000)
    (long_number,) = refused(page, digits.encode(), "angka.json")
    assert "angka terlalu panjang" in long_number

    # The comparison reads files the same way.
    page.set_input_files("#banding-berkas", files=[payload(latin, "banding.json")])
    assert f"byte ke-{at} (baris 1)" in (
        page.locator("#banding-galat", has_text="banding.json").text_content() or ""
    )

    for _ in range(2):  # nothing changed, and the engine still answers
        assert checked_levels(page) == LEVELS
        assert shown(page) == before
        assert stored(page) == saved
        assert page.input_value("#catatan-2") == "Catatan yang diketik"
    click_level(page, "3", 5)
    wait_result(page, {**LEVELS, "3": 5})
    assert shown(page) == core_view({**LEVELS, "3": 5})

    # A file of exactly the limit (multi-byte characters included) is read.
    click_level(page, "3", None)
    wait_result(page, LEVELS)
    import_bytes(page, exactly, "pas.json")
    page.wait_for_selector("#dialog-konfirmasi[open]")
    page.click("#dialog-ya")
    wait_result(page, {"1": 2})
    assert page.input_value("#instansi") == "Kabupaten Bandung é"


# --- two tabs ---------------------------------------------------------------------------------


def tab_notice(page: Page) -> str:
    return notice_text(page, "tab-lain")


def test_two_tabs_never_lose_each_others_work(page: Page, site_url: str) -> None:
    a = page
    b = page.context.new_page()
    # For later: B can miss storage events (one that comes late), by a listener before the page's.
    b.add_init_script(
        """window.addEventListener("storage", (event) => {
          if (window.tundaStorage) event.stopImmediatePropagation();
        });"""
    )
    open_calculator(a, site_url)
    open_calculator(b, site_url)

    # Edits in A reach B at once (B had nothing of its own): B says so.
    for item, level in {"1": 3, "2": 4}.items():
        click_level(a, item, level)
    a.fill("#instansi", "Kota A")
    a.locator("#butir-5 .butir-ekstra summary").click()
    a.fill("#catatan-5", "Catatan dari tab A")
    wait_result(a, {"1": 3, "2": 4})
    box = tab_notice(b)
    assert "Isian diperbarui dari tab lain" in box
    assert "level butir 1, 2" in box
    assert "catatan butir 5" in box
    wait_result(b, {"1": 3, "2": 4})
    assert b.input_value("#instansi") == "Kota A"
    assert b.input_value("#catatan-5") == "Catatan dari tab A"

    # One click in B, then reload A: nothing of A is lost, and A has B's click.
    click_level(b, "9", 2)
    wait_result(b, {"1": 3, "2": 4, "9": 2})
    a.reload()
    wait_ready(a)
    wait_result(a, {"1": 3, "2": 4, "9": 2})
    assert a.input_value("#instansi") == "Kota A"
    assert a.input_value("#catatan-5") == "Catatan dari tab A"

    # B misses A's save (an event that comes late): B's own save still merges per field, and
    # where both changed the same item, B's newer click wins and B says so.
    notice(b, "tab-lain").get_by_role("button", name="Tutup").click()
    b.evaluate("() => { window.tundaStorage = true; }")
    click_level(a, "3", 4)
    click_level(a, "4", 1)
    wait_result(a, {"1": 3, "2": 4, "9": 2, "3": 4, "4": 1})
    click_level(b, "3", 1)
    merged = {"1": 3, "2": 4, "9": 2, "3": 1, "4": 1}
    wait_result(b, merged)
    box = tab_notice(b)
    assert "Diambil dari tab lain: level butir 4." in box
    assert "yang dipakai isian tab ini: level butir 3." in box
    assert stored(b)["levels"] == merged
    b.evaluate("() => { window.tundaStorage = false; }")
    # A hears of B's save and takes it in.
    wait_result(a, merged)
    assert "level butir 3" in tab_notice(a)

    # Mulai ulang in A empties B too, with a notice in B whose "Batalkan" brings B's work back,
    # for both tabs. (An open notice gathers what follows; "Batalkan" undoes all it lists.)
    notice(b, "tab-lain").get_by_role("button", name="Tutup").click()
    a.click("#tombol-mulai-ulang")
    a.click("#dialog-ya")
    wait_result(a, {})
    wait_result(b, {})
    assert b.input_value("#instansi") == ""
    notice(b, "tab-lain").get_by_role("button", name="Batalkan").click()
    wait_result(b, merged)
    assert b.input_value("#catatan-5") == "Catatan dari tab A"
    wait_result(a, merged)
    assert a.input_value("#instansi") == "Kota A"
    assert stored(a)["levels"] == merged
    b.close()


# --- undo and questions -------------------------------------------------------------------------


def fill_everything(page: Page) -> None:
    """Levels, verified level, note, follow-up, instansi, tahun and a scheme, as a user types."""
    page.fill("#instansi", "Kota Asal")
    page.fill("#tahun", "2020")
    page.click('label:has(input[value="tabel-pedoman"])')
    page.check("#tampil-verifikasi")
    page.select_option("#verifikasi-1", "2")
    page.locator("#butir-2 .butir-ekstra summary").click()
    page.fill("#catatan-2", "Catatan yang diketik")
    page.fill("#rekomendasi-2", "Susun kebijakan")
    wait_result(page, LEVELS, "tabel-pedoman")


def form_levels(page: Page) -> dict[str, int]:
    """The checked level of every item (checked_levels reads the other checkboxes too)."""
    pairs = page.evaluate(
        """() => [...document.querySelectorAll('#form-penilaian input[name^="l-"]:checked')]
            .map((input) => [input.name.slice(2), input.value])"""
    )
    return {item: int(value) for item, value in pairs if value != ""}


def assert_everything_back(page: Page, full: dict[str, Any]) -> None:
    wait_result(page, LEVELS, "tabel-pedoman")
    assert stored(page) == full
    assert form_levels(page) == LEVELS
    assert page.input_value("#instansi") == "Kota Asal"
    assert page.input_value("#tahun") == "2020"
    assert page.is_checked('input[value="tabel-pedoman"]')
    assert page.input_value("#verifikasi-1") == "2"
    assert page.input_value("#catatan-2") == "Catatan yang diketik"
    assert page.input_value("#rekomendasi-2") == "Susun kebijakan"


def undo(page: Page, topic: str) -> None:
    notice(page, topic).get_by_role("button", name="Batalkan").click()
    notice(page, topic).filter(has_text="Dibatalkan").wait_for()


def test_import_asks_what_it_replaces_and_import_and_mulai_ulang_can_be_undone(
    page: Page, site_url: str
) -> None:
    open_calculator(page, site_url, f"#l={code_of(LEVELS)}")
    fill_everything(page)
    full = stored(page)
    other = {
        **assessment({"1": 1, "5": 5}, instansi="Kota Lain", tahun=2019),
        "format": "spbe-assessment/2",
        "catatan": {"2": "Catatan berkas"},
    }
    text = json.dumps(other).encode()

    # The question names everything the file would replace; "Batal" keeps it all.
    import_bytes(page, text, "lain.json")
    page.wait_for_selector("#dialog-konfirmasi[open]")
    question = page.text_content("#dialog-isi") or ""
    for part in [
        "level butir 1, 2, 7, 35-2",  # 1 differs, the others are not in the file
        "level verifikasi butir 1",
        "catatan butir 2",
        "tindak lanjut butir 2",
        "instansi",
        "tahun",
        "skema bobot",
    ]:
        assert part in question, part
    page.click("#dialog-batal")
    notice(page, "impor").filter(has_text="Impor dibatalkan").wait_for()
    assert_everything_back(page, full)

    # Replaced, then undone: every part comes back, and stays after a reload.
    import_bytes(page, text, "lain.json")
    page.click("#dialog-ya")
    wait_result(page, {"1": 1, "5": 5})
    assert stored(page) == other
    assert page.input_value("#rekomendasi-2") == ""
    undo(page, "impor")
    assert_everything_back(page, full)
    page.reload()
    wait_ready(page)
    assert_everything_back(page, full)

    # Mulai ulang, undone.
    page.click("#tombol-mulai-ulang")
    page.click("#dialog-ya")
    wait_result(page, {})
    assert page.input_value("#catatan-2") == ""
    undo(page, "mulai-ulang")
    assert_everything_back(page, full)

    # Only a typed year: the question names just that; a file that only adds asks nothing.
    page.click("#tombol-mulai-ulang")
    page.click("#dialog-ya")
    wait_result(page, {})
    page.fill("#tahun", "2021")
    import_bytes(page, json.dumps(assessment({"1": 1}, tahun=2019)).encode(), "tahun.json")
    page.wait_for_selector("#dialog-konfirmasi[open]")
    assert "akan menggantikan isian Anda saat ini: tahun." in (
        page.text_content("#dialog-isi") or ""
    )
    page.click("#dialog-ya")
    wait_result(page, {"1": 1})
    more = assessment({"1": 1, "2": 2}, tahun=2019, instansi="Kota Baru")
    import_bytes(page, json.dumps(more).encode(), "tambah.json")
    notice(page, "impor").filter(has_text="tambah.json").wait_for()
    assert page.is_hidden("#dialog-konfirmasi")
    wait_result(page, {"1": 1, "2": 2})
    assert stored(page) == more


# --- stored data ------------------------------------------------------------------------------


ODD_TEXT = 'kutip " ] \\ \' ` ${x} </script> [data-x="y"]'


def test_odd_characters_in_stored_work_never_leave_the_page_stuck(
    context_page: tuple[BrowserContext, Page], site_url: str
) -> None:
    context, page = context_page
    odd = {
        **assessment({"1": 2}, instansi=ODD_TEXT),
        "format": "spbe-assessment/2",
        "catatan": {"1": ODD_TEXT},
        "tindak_lanjut": {
            "1": {"rekomendasi": ODD_TEXT, "unit": ODD_TEXT, "tenggat": "", "status": "proses"}
        },
    }
    bad_status = {
        **odd,
        "tindak_lanjut": {"1": {**odd["tindak_lanjut"]["1"], "status": 'x"] , [y'}},
    }
    entries = [json.dumps(odd), json.dumps(bad_status)]
    context.add_init_script(
        "const entries = "
        + json.dumps(entries)
        + """;
        const n = Number(sessionStorage.getItem("uji") ?? "0");
        if (n < entries.length) {
          sessionStorage.setItem("uji", String(n + 1));
          localStorage.setItem("""
        + json.dumps(STORAGE_KEY)
        + """, entries[n]);
        }"""
    )
    # Odd but valid text comes back as it was.
    page.goto(site_url + "kalkulator/")
    wait_ready(page)
    wait_result(page, {"1": 2})
    assert page.input_value("#instansi") == ODD_TEXT
    assert page.input_value("#rekomendasi-1") == ODD_TEXT
    assert page.input_value("#status-1") == "proses"
    assert stored(page) == odd
    # A status the core does not know: a clear notice, and the page works.
    page.reload()
    wait_ready(page)
    box = notice(page, "penyimpanan")
    box.wait_for()
    assert "tindak_lanjut.1.status" in (box.text_content() or "")
    wait_result(page, {})
    click_level(page, "4", 3)
    wait_result(page, {"4": 3})
    assert shown(page) == core_view({"4": 3})
    page.reload()  # and it stays working
    wait_ready(page)
    wait_result(page, {"4": 3})
    assert notice(page, "penyimpanan").count() == 0


# --- exports ----------------------------------------------------------------------------------


def test_a_formula_typed_as_a_follow_up_is_neutralised_in_the_csv(
    page: Page, site_url: str
) -> None:
    formula = '=HYPERLINK("http://x";"klik")'
    open_calculator(page, site_url, f"#l={code_of(LEVELS)}")
    page.locator("#butir-1 .butir-ekstra summary").click()
    page.fill("#rekomendasi-1", formula)
    page.fill("#unit-1", "+62 Diskominfo")
    page.locator("#butir-2 .butir-ekstra summary").click()
    page.fill("#rekomendasi-2", "@SUM(1+1)")
    page.fill("#unit-2", "-")
    wait_result(page, LEVELS)
    page.evaluate("() => { document.getElementById('panel-tindak').open = true; }")
    name, text = download(page, "#tindak-csv")
    assert name.endswith(".csv")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert [row[3:5] for row in rows[1:]] == [
        ["'" + formula, "'+62 Diskominfo"],
        ["'@SUM(1+1)", "'-"],
    ]
    assert not [cell for row in rows for cell in row if cell.startswith(FORMULA_START)]


# --- fixtures ---------------------------------------------------------------------------------


@pytest.fixture
def context_page(page: Page) -> tuple[BrowserContext, Page]:
    return page.context, page

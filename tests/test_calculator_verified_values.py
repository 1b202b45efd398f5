"""Verified values of a decimal-valued framework (8/2026): typed like the self value (decimal
comma, 1–5, at most 4 decimals), checked the same way, and scored exactly as the CLI scores the
exported file. Level frameworks keep their level choice. Real Pyodide in Debian Chromium."""

from __future__ import annotations

import json
import re
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

import build_calculator
from conftest import run_spbe, serious_axe_violations
from test_calculator import BOOT_MS, WCAG_21_AA, download, wait_ready
from test_calculator_frameworks import code_of

from spbe_core import load_framework

if TYPE_CHECKING:
    from playwright.sync_api import Page

FW = load_framework("permenpan-8-2026")
SELF = {"1": "3.5", "2": "4", "3": "4", "4": "2.25", "5": "1", "9": "5", "12": "3.1234"}


def test_decimal_verified_value_is_typed_and_scored_as_the_cli(
    page: Page, site_url: str, tmp_path: Path
) -> None:
    values = {item: Decimal(text) for item, text in SELF.items()}
    code = code_of(FW, values)
    page.goto(site_url + build_calculator.page_name(FW).removesuffix("index.md"))
    wait_ready(page)
    page.evaluate(
        "([id, code]) => { location.hash = `k=${id}&l=${encodeURIComponent(code)}`; }",
        [FW.id, code],
    )
    scheme = FW.default_scheme
    page.wait_for_selector(
        f'#hasil[data-kunci="{code}|{scheme}"]', state="attached", timeout=BOOT_MS
    )
    page.check("#tampil-verifikasi")
    page.fill("#verifikasi-3", "2,75")
    page.click("#verifikasi-dari-mandiri")  # the other items take their self values
    verified = values | {"3": Decimal("2.75")}
    key = f"{code_of(FW, verified)}|{scheme}"
    page.wait_for_selector(f'#panel-verifikasi[data-kunci="{key}"]', state="attached")
    assert page.input_value("#verifikasi-3") == "2,75"
    assert page.input_value("#verifikasi-1") == "3,5"  # copied, shown with a decimal comma
    assert page.is_hidden("#verifikasi-galat-3")

    name, text = download(page, "#tombol-ekspor")
    exported = json.loads(text)
    assert exported["framework"] == FW.id
    assert exported["verifikasi"] == {i: float(v) for i, v in verified.items()}
    assert re.search(r'"3": 2\.75\b', text)  # a JSON number, as the self values
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    done = run_spbe("score", str(path))
    assert done.returncode == 0, done.stderr
    found = re.search(r"^Verifikasi\s*: (\S+) \((.+)\)$", done.stdout, re.M)
    assert found, done.stdout
    index, predikat = found.groups()
    assert page.text_content("#hasil-verifikasi-indeks") == index
    assert page.text_content("#hasil-verifikasi-predikat") == predikat
    assert page.text_content("#verifikasi-beda tr[data-butir='3'] td:nth-child(4)") == "2,75"

    # Out of range: the Indonesian note next to the field, nothing stored, nothing recomputed.
    page.fill("#verifikasi-3", "5,5")
    assert page.is_visible("#verifikasi-galat-3")
    assert "koma desimal" in (page.text_content("#verifikasi-galat-3") or "")
    assert page.get_attribute("#verifikasi-3", "aria-invalid") == "true"
    assert page.get_attribute("#panel-verifikasi", "data-kunci") == key
    assert page.text_content("#hasil-verifikasi-indeks") == index
    assert serious_axe_violations(page, WCAG_21_AA) == []  # the fields and their error note
    _, again = download(page, "#tombol-ekspor")
    assert json.loads(again)["verifikasi"] == exported["verifikasi"]
    # More than 4 decimals is refused the same way; a valid value clears the note.
    page.fill("#verifikasi-3", "2,12345")
    assert page.is_visible("#verifikasi-galat-3")
    page.fill("#verifikasi-3", "2,75")
    assert page.is_hidden("#verifikasi-galat-3")
    assert page.get_attribute("#verifikasi-3", "aria-invalid") == "false"


def test_verified_field_is_a_value_for_decimal_and_a_level_choice_otherwise(
    site_dir: Path,
) -> None:
    for framework_id in ("permenpan-5-2018", "permenpan-59-2020", "permenpan-8-2026"):
        fw = load_framework(framework_id)
        page = build_calculator.page_name(fw).removesuffix("index.md") + "index.html"
        text = (site_dir / page).read_text(encoding="utf-8")
        field = re.search(r'<(select|input)\b[^>]*data-isian="verifikasi"', text)
        assert field, framework_id
        assert field.group(1) == ("input" if fw.decimal else "select"), framework_id


def test_core_reads_decimal_verified_values_and_refuses_bad_ones(tmp_path: Path) -> None:
    data = {
        "format": "spbe-assessment/2",
        "framework": FW.id,
        "levels": {"1": 3},
        "verifikasi": {"1": 2.75, "2": "4,5"},
    }
    path = tmp_path / "v.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    done = run_spbe("score", str(path))
    assert done.returncode == 0, done.stderr
    assert "Verifikasi" in done.stdout
    data["verifikasi"] = {"1": 5.5, "2": 2.12345}
    path.write_text(json.dumps(data), encoding="utf-8")
    bad = run_spbe("score", str(path))
    assert bad.returncode == 2
    assert "Traceback" not in bad.stderr
    assert "verifikasi.1:" in bad.stderr
    assert "verifikasi.2:" in bad.stderr

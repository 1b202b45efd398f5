"""The calculator's form navigation and result guidance (issue 14), in real Pyodide/Chromium:
chips with progress per aspect, "next empty item", folding filled items, the distance to the
next predikat (equal to what the CLI's plan derives), the neutral empty state, and the
realistic default plan."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import TYPE_CHECKING, Any

import build_calculator
import pytest
from conftest import run_spbe
from test_calculator import ITEMS, code_of, open_calculator, wait_result
from test_calculator_frameworks import code_of as framework_code

from spbe_core import format_number, load_framework, score

if TYPE_CHECKING:
    from playwright.sync_api import Page

FW = load_framework("permenpan-5-2018")


def chip_texts(page: Page) -> dict[str, str]:
    return dict(
        page.evaluate(
            """() => [...document.querySelectorAll('[data-navigasi]')]
                .map((a) => [a.dataset.navigasi, a.textContent.trim()])"""
        )
    )


def focused_item(page: Page) -> str | None:
    return page.evaluate(  # type: ignore[no-any-return]
        "() => document.activeElement?.closest('[data-butir]')?.dataset.butir ?? null"
    )


def test_chips_show_progress_and_next_empty_item_wraps(page: Page, site_url: str) -> None:
    open_calculator(page, site_url)
    chips = chip_texts(page)
    assert list(chips) == [a.id for a in FW.aspects]
    first = FW.aspects[0]
    assert chips[first.id] == f"Aspek {first.id}: 0/{len(first.items)}"
    # Keyboard: the first item of aspect 1, ArrowDown twice = level 1, Enter = next empty item.
    page.click("#butir-kosong-berikutnya")
    assert focused_item(page) == ITEMS[0]
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    assert focused_item(page) == ITEMS[1]
    levels = {ITEMS[0]: 1}
    wait_result(page, levels)
    assert chip_texts(page)[first.id] == f"Aspek {first.id}: 1/{len(first.items)}"
    label = page.get_attribute(f'[data-navigasi="{first.id}"]', "aria-label")
    assert label is not None
    assert f"1 dari {len(first.items)} butir terisi" in label
    # Everything but the last item filled by a share link: "next" from the top wraps to it.
    almost = dict.fromkeys(ITEMS[:-1], 3)
    page.evaluate("(code) => { location.hash = 'l=' + code; }", code_of(almost))
    page.click("#dialog-ya")
    wait_result(page, almost)
    page.focus(f'#butir-{ITEMS[-1]} input[value=""]')
    page.click("#butir-kosong-berikutnya")
    assert focused_item(page) == ITEMS[-1]
    assert page.text_content("#navigasi-status") == f"Butir {ITEMS[-1]}: 1 butir belum diisi."
    for aspect in FW.aspects:
        done = len([i for i in aspect.items if i in almost])
        assert chip_texts(page)[aspect.id] == f"Aspek {aspect.id}: {done}/{len(aspect.items)}"
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    assert page.text_content("#navigasi-status") == f"Semua {len(ITEMS)} butir sudah terisi."


def test_fold_filled_items_is_remembered_and_opens_by_keyboard(page: Page, site_url: str) -> None:
    levels = dict.fromkeys(ITEMS[:5], 2)
    open_calculator(page, site_url, f"#l={code_of(levels)}")
    wait_result(page, levels)
    page.check("#opsi-ringkas")
    first = page.locator(f"#butir-{ITEMS[0]}")
    assert first.get_attribute("data-ringkas") == "ya"
    assert not first.locator(".opsi-daftar").is_visible()
    assert "Level 2" in (first.locator("legend").text_content() or "")
    assert page.locator(f"#butir-{ITEMS[6]} .opsi-daftar").is_visible()  # empty: never folded
    page.reload()
    open_calculator(page, site_url)
    assert page.is_checked("#opsi-ringkas")
    assert first.get_attribute("data-ringkas") == "ya"
    button = first.locator("[data-buka-butir]")
    button.focus()
    page.keyboard.press("Enter")
    assert first.get_attribute("data-ringkas") == "tidak"
    assert first.locator(".opsi-daftar").is_visible()
    assert focused_item(page) == ITEMS[0]


def next_expected(framework_id: str, levels: dict[str, Any]) -> tuple[str, list[str]]:
    """The next predikat text and items, derived from `spbe score` and `spbe rencana`."""
    framework = load_framework(framework_id)
    text = json.dumps({"format": "spbe-assessment/1", "framework": framework_id, "levels": levels})
    scored = json.loads(run_spbe("score", "-", "--json", stdin=text).stdout)
    published = Decimal(str(scored["index"]))
    band = min((b for b in framework.predikat if b.min > published), key=lambda b: b.min)
    planned = run_spbe("rencana", "-", "--target", band.name, "--json", stdin=text)
    steps = [s["item"] for s in json.loads(planned.stdout)["steps"]]
    return f"{format_number(band.min - published, signed=True)} menuju {band.name}", steps


@pytest.mark.parametrize(
    "framework_id", ["permenpan-5-2018", "permenpan-59-2020", "permenpan-8-2026"]
)
def test_empty_form_is_neutral_and_next_predikat_matches_the_cli(
    page: Page, site_url: str, framework_id: str
) -> None:
    framework = load_framework(framework_id)
    page.goto(site_url + build_calculator.page_name(framework).removesuffix("index.md"))
    page.wait_for_selector('#hasil[data-status="siap"]', timeout=120_000)
    assert page.text_content("#hasil-indeks") == "–"
    assert page.text_content("#hasil-predikat") == "belum ada isian"
    assert page.get_attribute("#hasil-predikat", "data-pita") is None
    assert page.locator("#hasil-berikut").is_hidden()
    levels = dict.fromkeys(framework.item_ids[:3], framework.min_level + 1)
    code = framework_code(framework, {i: Decimal(v) for i, v in levels.items()})
    page.evaluate(
        "([id, code]) => { location.hash = `k=${id}&l=${encodeURIComponent(code)}`; }",
        [framework.id, code],
    )
    text, steps = next_expected(framework_id, levels)
    page.wait_for_function(
        "(t) => document.getElementById('hasil-berikut-teks').textContent.startsWith(t)", arg=text
    )
    links = page.eval_on_selector_all(
        "#hasil-berikut-daftar a[href^='#butir-']", "(as) => as.map((a) => a.hash.slice(7))"
    )
    assert links == steps[:5]
    assert score(framework, levels).published < max(b.min for b in framework.predikat)


def test_top_predikat_says_so(page: Page, site_url: str) -> None:
    top = dict.fromkeys(ITEMS, 5)
    open_calculator(page, site_url, f"#l={code_of(top)}")
    wait_result(page, top)
    assert (
        page.text_content("#hasil-berikut-teks") == "Predikat tertinggi (Memuaskan) sudah tercapai."
    )


def test_default_plan_raises_each_item_at_most_one_level(page: Page, site_url: str) -> None:
    levels = dict.fromkeys(ITEMS, 2)
    open_calculator(page, site_url, f"#l={code_of(levels)}")
    wait_result(page, levels)
    page.click("#panel-rencana summary")
    assert page.is_visible("#rencana-langkah-maks")
    assert "paling banyak 1 level per butir" in (page.text_content("#rencana-batas-teks") or "")
    page.select_option("#rencana-target", "Sangat Baik")
    page.click("#rencana-hitung")
    page.wait_for_selector("#rencana-hasil:not([hidden])")
    cells = page.eval_on_selector_all(
        "#rencana-langkah tr td:nth-child(4)", "(tds) => tds.map((td) => td.textContent)"
    )
    steps = [tuple(int(x) for x in c.split(" → ")) for c in cells]
    assert steps
    assert all(to - start <= 1 for start, to in steps)
    cli = json.loads(
        run_spbe(
            "rencana",
            "-",
            "--target",
            "Sangat Baik",
            "--json",
            stdin=json.dumps({"format": "spbe-assessment/1", "framework": FW.id, "levels": levels}),
        ).stdout
    )
    assert len(steps) == len(cli["steps"])
    page.select_option("#rencana-langkah-maks", "")
    assert "tanpa batas" in (page.text_content("#rencana-batas-teks") or "")
    page.click("#rencana-ulang")
    page.wait_for_selector("#rencana-basi[hidden]", state="attached")

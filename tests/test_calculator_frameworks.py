"""The calculators of the frameworks added as data (59/2020: whole levels 1–5; 8/2026: decimal
values 1,00–5,00 without domains) show exactly what the CLI computes.

Real Pyodide in Debian Chromium, as in test_calculator.py: each framework's own calculator page
(kalkulator/<slug>/) gets 30 random assessments through share links, and every figure on the
page must equal `spbe score --json` for the same file.
"""

from __future__ import annotations

import random
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal
from typing import TYPE_CHECKING, Any

import build_calculator
import pytest
from test_calculator import BOOT_MS, cli_score, expected_view, shown, wait_ready

from spbe_core import Framework, load_framework

if TYPE_CHECKING:
    from playwright.sync_api import Page

CASES = 30


def random_values(fw: Framework, rng: random.Random, fill: float) -> dict[str, Decimal]:
    """Whole levels, or for a decimal framework values with up to 2 decimals (official results
    hold values such as 1,26 and 2,5)."""
    values: dict[str, Decimal] = {}
    for item in fw.item_ids:
        if rng.random() >= fill:
            continue
        if fw.decimal and rng.random() < 0.6:
            hundredths = rng.randint(fw.min_level * 100, fw.max_level * 100)
            values[item] = Decimal(hundredths) / 100
        else:
            values[item] = Decimal(rng.randint(fw.min_level, fw.max_level))
    return values


def text_of(value: Decimal) -> str:
    """A value as the page writes it in a share code: shortest form, decimal comma."""
    return format(value.normalize(), "f").replace(".", ",")


def code_of(fw: Framework, values: dict[str, Decimal]) -> str:
    texts = [text_of(values[i]) if i in values else "-" for i in fw.item_ids]
    return ("~" if fw.decimal else "").join(texts)


def file_of(fw: Framework, values: dict[str, Decimal]) -> str:
    """The assessment file, its numbers written as their exact decimal text."""
    levels = ", ".join(f'"{i}": {format(v.normalize(), "f")}' for i, v in values.items())
    return f'{{"format": "spbe-assessment/1", "framework": "{fw.id}", "levels": {{{levels}}}}}'


@pytest.mark.parametrize("framework_id", ["permenpan-59-2020", "permenpan-8-2026"])
def test_thirty_random_assessments_match_the_cli(
    page: Page, site_url: str, framework_id: str
) -> None:
    fw = load_framework(framework_id)
    rng = random.Random(framework_id)
    top = {i: Decimal(fw.max_level) for i in fw.item_ids}
    cases = [top, {}]
    while len(cases) < CASES:
        cases.append(random_values(fw, rng, rng.choice([1.0, 1.0, 0.8, 0.4])))
    with ThreadPoolExecutor(max_workers=4) as pool:  # one CLI process per case
        results: list[dict[str, Any]] = list(pool.map(cli_score, [file_of(fw, c) for c in cases]))

    page.goto(site_url + build_calculator.page_name(fw).removesuffix("index.md"))
    wait_ready(page)
    scheme, current = fw.default_scheme, ""
    for values, result in zip(cases, results, strict=True):
        code = code_of(fw, values)
        page.evaluate(
            "([id, code]) => { location.hash = `k=${id}&l=${encodeURIComponent(code)}`; }",
            [fw.id, code],
        )
        if current.strip("-~") and code != current:
            page.click("#dialog-ya")  # replacing different work asks first
        current = code
        page.wait_for_selector(
            f'#hasil[data-kunci="{code}|{scheme}"]', state="attached", timeout=BOOT_MS
        )
        want = expected_view(result)
        if not code.strip("-~"):  # nothing filled: a neutral state, not the partial index
            want |= {"index": "–", "predikat": "belum ada isian"}
        assert shown(page) == want, f"{fw.id}: {code}"
        assert len(want["domains"]) == len(fw.domains)  # none for 8/2026

"""Words for an item's value (issue 14): a decimal-valued framework (8/2026) has values
("nilai", "nilai verifikasi"), the others levels. The calculator's own modules, as the browser
loads them from the built site, with each framework's facts from the page's contract."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import build_calculator
import gen_pages
import pytest
from test_calculator import wait_started

if TYPE_CHECKING:
    from playwright.sync_api import Page

FRAMEWORKS = gen_pages.frameworks()

# describeFields and startOverText for the page's framework (from its contract).
WORDS = """async () => {
  const root = document.querySelector('#kalkulator');
  const contract = await (await fetch(new URL(root.dataset.kontrak, document.baseURI))).json();
  const fw = contract.frameworks.find((f) => f.id === root.dataset.framework);
  const boot = document.querySelector('script[src*="boot.js"]');
  const store = await import(new URL('store.js', boot.src));
  const items = fw.items.map((item) => item.id);
  const fields = ['tahun', `levels/${items[0]}`,
    `verifikasi/${items[0]}`, `verifikasi/${items[1]}`];
  return {
    kind: fw.value_kind,
    fields: store.describeFields(fields, items, fw),
    first: items.slice(0, 2),
    startOver: store.startOverText(fw),
  };
}"""


@pytest.mark.parametrize("fw", FRAMEWORKS, ids=[fw.slug for fw in FRAMEWORKS])
def test_value_words_follow_the_framework(page: Page, site_url: str, fw: Any) -> None:
    page.goto(site_url + build_calculator.page_name(fw).removesuffix("index.md"))
    wait_started(page)
    words = page.evaluate(WORDS)
    word = "nilai" if fw.value_kind == "decimal" else "level"
    assert words["kind"] == fw.value_kind
    one, two = words["first"]
    assert words["fields"] == [
        "tahun",
        f"{word} butir {one}",
        f"{word} verifikasi butir {one}, {two}",
    ]
    assert words["startOver"].startswith(f"Semua {word}, {word} verifikasi, catatan,")
    other = "level" if word == "nilai" else "nilai"
    assert other not in words["startOver"]

"""Fill all items of the 5/2018 calculator by keyboard alone and print the key presses and time.

Not a test: figures for the note (issue 14). Two strategies, both choosing level 3 on every
item with the arrow keys:
  tab  - what a keyboard user can do on any build: Tab until the next item's levels.
  nav  - with the form navigation: "Butir kosong berikutnya" once, then Enter after each level.
Usage: python scripts/measure_keyboard.py [--site DIR] [--strategy tab|nav|both]
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from chromium import launch
from playwright.sync_api import Page, sync_playwright
from serve import start_server, stop_server

PREFIX = "/panduan-spbe/"
LEVEL = 3
IN_ITEM = """() => { const e = document.activeElement;
  return e?.name?.startsWith('l-') ? e.name.slice(2) : null; }"""


class Keys:
    def __init__(self, page: Page) -> None:
        self.page = page
        self.count = 0

    def press(self, key: str) -> None:
        self.page.keyboard.press(key)
        self.count += 1


def tab_to(keys: Keys, done: str, limit: int = 400) -> None:
    """Tab until the JS predicate `done` holds for the focused element."""
    for _ in range(limit):
        if keys.page.evaluate(done):
            return
        keys.press("Tab")
    raise RuntimeError(f"not reached in {limit} Tab presses: {done}")


def fill(page: Page, strategy: str) -> tuple[int, float, int]:
    items = str(page.get_attribute("#kalkulator", "data-butir")).split()
    keys = Keys(page)
    page.evaluate("document.activeElement?.blur()")
    start = time.perf_counter()
    if strategy == "tab":
        for item in items:
            tab_to(keys, f"() => ({IN_ITEM})() === {item!r}")
            for _ in range(LEVEL + 1):  # from "Belum diisi" down to level 3 (levels 0-5)
                keys.press("ArrowDown")
    else:
        tab_to(keys, "() => document.activeElement?.id === 'butir-kosong-berikutnya'")
        keys.press("Enter")
        for _ in items:
            for _ in range(LEVEL + 1):
                keys.press("ArrowDown")
            keys.press("Enter")
    seconds = time.perf_counter() - start
    checked = "#form-penilaian input[name^='l-']:checked:not([value=''])"
    filled = page.evaluate("(s) => document.querySelectorAll(s).length", checked)
    return keys.count, seconds, int(filled)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site", default="site", help="built site directory")
    parser.add_argument("--strategy", choices=["tab", "nav", "both"], default="both")
    args = parser.parse_args()
    server, base = start_server(Path(args.site), PREFIX)
    strategies = ["tab", "nav"] if args.strategy == "both" else [args.strategy]
    try:
        with sync_playwright() as playwright:
            browser = launch(playwright)
            for strategy in strategies:
                context = browser.new_context(viewport={"width": 1366, "height": 768})
                page = context.new_page()
                page.goto(base + "kalkulator/")
                page.wait_for_selector('#status-mesin[data-status="siap"]', timeout=180_000)
                if strategy == "nav" and not page.query_selector("#butir-kosong-berikutnya"):
                    print("nav: this build has no form navigation")
                    continue
                presses, seconds, filled = fill(page, strategy)
                print(f"{strategy}: {filled} items filled, {presses} key presses, {seconds:.1f} s")
                context.close()
            browser.close()
    finally:
        stop_server(server)


if __name__ == "__main__":
    main()

"""The 59/2020 calculator as a user meets it, in real Pyodide/Chromium: the remembered
framework choice (kalkulator/ opens the framework last chosen), and on the 59/2020 page the
print view, the plan and the verified levels, each against the core or the CLI."""

from __future__ import annotations

from typing import TYPE_CHECKING

import build_calculator
from test_calculator import wait_started

from spbe_core import load_framework

if TYPE_CHECKING:
    from playwright.sync_api import Page

FW = load_framework("permenpan-59-2020")
DEFAULT = load_framework()
CHOICE_KEY = "spbe-kalkulator/kerangka"


def path_of(framework_id: str) -> str:
    return build_calculator.page_name(load_framework(framework_id)).removesuffix("index.md")


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

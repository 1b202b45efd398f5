"""What the public site must not ship or run: the benchmark's page, and (CSP) any script the
build did not put there."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from conftest import ROOT

if TYPE_CHECKING:
    from playwright.sync_api import Page

sys.path.insert(0, str(ROOT / "scripts"))
import bench_calculator
import build_calculator


def test_site_ships_no_benchmark_page(site_dir: Path) -> None:
    for name in build_calculator.BENCH_FILES:
        assert not list(site_dir.rglob(name)), name


def test_benchmark_copy_has_the_bare_pyodide_page(
    page: Page, site_dir: Path, tmp_path: Path, serve_dir: Callable[[Path], str]
) -> None:
    base = serve_dir(bench_calculator.bench_copy(site_dir, tmp_path / "site"))
    page.goto(base + f"{bench_calculator.BARE_DIR}/bare.html")
    page.wait_for_selector("body[data-siap]", timeout=120_000)
    assert page.get_attribute("body", "data-siap") == "ya"

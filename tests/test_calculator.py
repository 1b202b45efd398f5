"""The in-browser calculator (site/kalkulator/): spbe_core in Pyodide in a module worker.

Real Pyodide, no mocks: every test serves the built site (`make site`) under /panduan-spbe/ and
drives Debian Chromium. The `page` fixture (conftest.py) fails a test on any request to another
host, console error or uncaught error. One Pyodide boot takes a few seconds, so each test does
as much as it can in one page session.
"""

from __future__ import annotations

import _imp
import ast
import csv
import dataclasses
import hashlib
import io
import json
import random
import re
import subprocess
import sys
import zipfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING, Any

import build_calculator
import pytest
from conftest import WCAG_21_AA, serious_axe_violations

from spbe_core import (
    Framework,
    InvalidAssessment,
    load_framework,
    parse_assessment,
    parse_framework,
    score,
)

if TYPE_CHECKING:
    from conftest import PageLog
    from playwright.sync_api import BrowserContext, FilePayload, Page

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "docs" / "assets" / "contoh-penilaian.json"
FW = load_framework("permenpan-5-2018")
ITEMS = FW.item_ids
# Saved work, one entry per framework; the release before kept one entry, under LEGACY_KEY.
LEGACY_KEY = "spbe-kalkulator/penilaian"
STORAGE_KEY = f"{LEGACY_KEY}/{FW.id}"
RESULT_KEY = "spbe-kalkulator/hasil-terakhir"
BOOT_MS = 90_000  # Pyodide boots in about 3 s here; a busy CI machine can be much slower
SCHEMES = [s.id for s in FW.schemes]

SHOWN_JS = """() => {
  const text = (s) => document.querySelector(s).textContent.trim();
  const rows = (kind) => Object.fromEntries([...document.querySelectorAll(`[data-${kind}]`)]
    .filter((row) => row.classList.contains("grafik-baris"))
    .map((row) => [row.dataset[kind], row.querySelector(".grafik-nilai").textContent]));
  return {
    index: text("#hasil-indeks"),
    predikat: text("#hasil-predikat"),
    domains: rows("domain"),
    aspects: rows("aspek"),
    complete: document.querySelector("#hasil-kurang").hidden,
    missing: [...document.querySelectorAll("#hasil-kurang-daftar a")]
      .map((a) => a.hash.replace("#butir-", "")),
  };
}"""


# --- helpers ----------------------------------------------------------------------------------


def number(value: float) -> str:
    """The CLI's published 2-decimal figure as the page writes it (decimal comma)."""
    return f"{value:.2f}".replace(".", ",")


def expected_view(cli_json: dict[str, Any]) -> dict[str, Any]:
    return {
        "index": number(cli_json["index"]),
        "predikat": cli_json["predikat"],
        "domains": {d["id"]: number(d["index"]) for d in cli_json["domains"]},
        "aspects": {a["id"]: number(a["index"]) for a in cli_json["aspects"]},
        "complete": cli_json["complete"],
        "missing": cli_json["missing"],
    }


def assessment(
    levels: dict[str, int], scheme: str = "kuesioner-2018", **extra: Any
) -> dict[str, Any]:
    return {
        "format": "spbe-assessment/1",
        "framework": FW.id,
        "scheme": scheme,
        **extra,
        "levels": {i: levels[i] for i in ITEMS if i in levels},
    }


def cli_score(data: dict[str, Any] | str) -> dict[str, Any]:
    """`spbe score - --json`, run as a user would run it."""
    text = data if isinstance(data, str) else json.dumps(data)
    done = subprocess.run(
        [sys.executable, "-m", "spbe_core", "score", "-", "--json"],
        input=text,
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    )
    return json.loads(done.stdout)  # type: ignore[no-any-return]


def core_view(levels: dict[str, int], scheme: str = "kuesioner-2018") -> dict[str, Any]:
    return expected_view(score(FW, levels, scheme).to_dict())


def code_of(levels: dict[str, int]) -> str:
    return "".join(str(levels[i]) if i in levels else "-" for i in ITEMS)


def open_calculator(page: Page, site_url: str, fragment: str = "") -> None:
    page.goto(f"{site_url}kalkulator/{fragment}")
    wait_ready(page)


def wait_started(page: Page) -> None:
    """The calculator module has run (it restores saved work before Pyodide is ready)."""
    page.wait_for_selector("#kalkulator[data-aktif]")


def wait_ready(page: Page) -> None:
    page.wait_for_selector('#status-mesin[data-status="siap"]', timeout=BOOT_MS)


def wait_result(page: Page, levels: dict[str, int], scheme: str = "kuesioner-2018") -> None:
    """Wait until the results on screen are the ones for exactly these levels and scheme."""
    page.wait_for_selector(f'#hasil[data-kunci="{code_of(levels)}|{scheme}"]', timeout=BOOT_MS)


def shown(page: Page) -> dict[str, Any]:
    return page.evaluate(SHOWN_JS)  # type: ignore[no-any-return]


def checked_levels(page: Page) -> dict[str, int]:
    pairs = page.evaluate(
        """() => [...document.querySelectorAll('#form-penilaian input:checked')]
            .map((input) => [input.name.slice(2), input.value])"""
    )
    return {item: int(value) for item, value in pairs if value != ""}


def click_level(page: Page, item: str, level: int | None) -> None:
    """Click the option's label, as a user does (option 0 is "belum diisi")."""
    page.locator(f"#butir-{item} .opsi").nth(0 if level is None else level + 1).click()


def notice(page: Page, topic: str) -> Any:
    return page.locator(f'#pesan [data-pesan="{topic}"]')


def import_text(page: Page, text: str, name: str = "penilaian.json") -> None:
    payload: FilePayload = {"name": name, "mimeType": "application/json", "buffer": text.encode()}
    page.set_input_files("#berkas-impor", files=[payload])


def download(page: Page, button: str) -> tuple[str, str]:
    with page.expect_download() as info:
        page.click(button)
    value = info.value
    return value.suggested_filename, Path(value.path()).read_text(encoding="utf-8-sig")


def stored(page: Page) -> Any:
    text = page.evaluate("(key) => localStorage.getItem(key)", STORAGE_KEY)
    return None if text is None else json.loads(text)


def random_levels(rng: random.Random, fill: float) -> dict[str, int]:
    return {i: rng.randint(0, 5) for i in ITEMS if rng.random() < fill}


# --- the build --------------------------------------------------------------------------------


def test_build_ships_only_what_the_worker_needs(site_dir: Path) -> None:
    pyodide = site_dir / "assets" / "pyodide"
    shipped = {p.name for p in pyodide.iterdir()}
    assert shipped == {*build_calculator.PYODIDE_FILES, "LICENSE.txt"}
    assert "Mozilla Public License" in (pyodide / "LICENSE.txt").read_text()
    wheels = list((site_dir / "assets" / "kalkulator" / "wheels").glob("*/*.whl"))
    assert [w.name for w in wheels] == ["spbe_core-0.1.0-py3-none-any.whl"]
    # The JS modules ship as they are; the contract names the wheel.
    worker = (site_dir / "assets" / "kalkulator" / "worker.js").read_text()
    assert worker == (ROOT / "calculator" / "worker.js").read_text()
    [contract] = (site_dir / "assets" / "kalkulator").glob("kalkulator.*.json")
    runtime = json.loads(contract.read_text())["runtime"]
    assert runtime["wheel"] == f"wheels/{wheels[0].parent.name}/{wheels[0].name}"
    # The runtime files made for this wheel sit next to it; the standard library is bytecode
    # only, and smaller than Pyodide's own.
    folder = wheels[0].parent
    assert {p.name for p in folder.iterdir()} == {wheels[0].name, *build_calculator.RUNTIME_FILES}
    with zipfile.ZipFile(folder / build_calculator.STDLIB) as stdlib:
        names = stdlib.namelist()
    assert all(name.endswith(".pyc") for name in names)
    assert {"fractions.pyc", "tomllib/__init__.pyc", "_pyodide/_base.pyc"} <= set(names)
    size = (folder / build_calculator.STDLIB).stat().st_size
    assert size < (pyodide / "python_stdlib.zip").stat().st_size
    # The zip holds what the build's workload imported. Every standard-library module that
    # spbe_core names in an import anywhere (also inside a function, on a path the workload
    # might miss) and that Pyodide ships as a file must be in it too, unless the interpreter
    # has it built in (frozen, like io and os).
    with zipfile.ZipFile(pyodide / "python_stdlib.zip") as stock:
        as_file = {module_of(name) for name in stock.namelist() if name.endswith(".py")}
    ours = {module_of(name) for name in names}
    missing = (imported_stdlib_modules() & as_file) - ours
    assert missing <= set(_imp._frozen_module_names())  # type: ignore[attr-defined]
    html = (site_dir / "kalkulator" / "index.html").read_text()
    for item in ITEMS:
        assert f'id="butir-{item}"' in html
    # Generated outputs go to build/ (gitignored), never into the hand-written docs/.
    assert "build/" in (ROOT / ".gitignore").read_text().split()
    for path in ("docs/kalkulator", "docs/assets/kalkulator", "docs/assets/pyodide"):
        assert not (ROOT / path).exists()


def module_of(path: str) -> str:
    """'importlib/resources/__init__.pyc' -> 'importlib.resources'."""
    parts = path.rsplit(".", 1)[0].split("/")
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported_stdlib_modules() -> set[str]:
    """Standard-library modules (and their parent packages) named by the imports of the
    spbe_core modules the worker can reach (not the CLI's)."""
    found: set[str] = set()
    for source in (ROOT / "spbe_core").glob("*.py"):
        if source.name in {"_cli.py", "__main__.py"}:
            continue
        for node in ast.walk(ast.parse(source.read_text())):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            else:
                continue
            for name in names:
                if name.split(".")[0] in sys.stdlib_module_names:
                    parts = name.split(".")
                    found.update(".".join(parts[: n + 1]) for n in range(len(parts)))
    return found


def test_form_is_generated_from_the_framework(site_dir: Path) -> None:
    html = (site_dir / "kalkulator" / "index.html").read_text()
    for item in FW.items:
        indicator = FW.indicator(item.indicator)
        assert f'href="../{FW.slug}/indikator/{indicator.id}/"' in html
        for criterion in indicator.criteria:
            assert build_calculator.esc(criterion) in html
        assert html.count(f'name="l-{item.id}"') == 7  # belum diisi + levels 0–5
    assert (site_dir / FW.slug / "indikator" / "35" / "index.html").is_file()


# Share links list the levels in this order: changing it would break every link already shared.
SHARE_ORDER_5_2018 = (*(str(n) for n in range(1, 35)), "35-1", "35-2", "35-3")
UJI_LEVEL = parse_framework((ROOT / "tests" / "frameworks" / "uji-level.toml").read_text())


def test_item_order_of_share_links_is_unchanged() -> None:
    assert FW.item_ids == SHARE_ORDER_5_2018


def test_contract_states_the_framework_facts(site_dir: Path) -> None:
    [path] = (site_dir / "assets" / "kalkulator").glob("kalkulator.*.json")
    contract = json.loads(path.read_text())
    assert path.name == f"kalkulator.{hashlib.sha256(path.read_bytes()).hexdigest()[:12]}.json"
    [facts] = [f for f in contract["frameworks"] if f["id"] == FW.id]
    assert facts == build_calculator.framework_facts(FW)
    assert [item["id"] for item in facts["items"]] == list(SHARE_ORDER_5_2018)
    assert (facts["min_level"], facts["max_level"]) == (0, 5)
    bands = [(b["position"], b["name"], b["min_text"]) for b in facts["predikat"]]
    assert bands == [
        (0, "Kurang", "0,00"),
        (1, "Cukup", "1,80"),
        (2, "Baik", "2,60"),
        (3, "Sangat Baik", "3,50"),
        (4, "Memuaskan", "4,20"),
    ]
    html = (site_dir / "kalkulator" / "index.html").read_text()
    assert f'data-kontrak="../assets/kalkulator/{path.name}"' in html
    # Nothing in the shipped JavaScript or CSS names a framework, a predikat or a level bound.
    shipped = [*(ROOT / "calculator").glob("*.js"), ROOT / "calculator" / "calculator.css"]
    for source in shipped:
        text = source.read_text().lower()
        assert FW.id not in text, source
        for band in FW.predikat:
            assert f'"{band.name.lower()}"' not in text, source


def jsdoc_properties(typedef: str) -> set[str]:
    """The @property names of a JSDoc typedef in calculator/contract.js."""
    text = (ROOT / "calculator" / "contract.js").read_text()
    block = text.split(f"}} {typedef}")[1].split("@typedef")[0]
    return set(re.findall(r"@property \{.*\}\s+(\w+)", block))


def test_the_contract_and_its_jsdoc_types_name_the_same_fields(site_dir: Path) -> None:
    """calculator/contract.js declares the contract's shape for the type checker: it must name
    exactly what scripts/build_calculator.py writes."""
    [path] = (site_dir / "assets" / "kalkulator").glob("kalkulator.*.json")
    contract = json.loads(path.read_text())
    assert jsdoc_properties("Contract") == set(contract)
    facts = contract["frameworks"][0]
    assert jsdoc_properties("FrameworkFacts") == set(facts)
    assert jsdoc_properties("ItemFacts") == set(facts["items"][0])
    assert jsdoc_properties("Band") == set(facts["predikat"][0])


# The links a calculator page is rendered with (build_calculator.main computes the real ones).
TEST_LINKS = {
    "up": "../",
    "guide": "../uji/",
    "tingkat": "../tingkat-kematangan/",
    "kontrak": "k.json",
    "worker": "w.js",
}


def test_form_of_a_framework_with_levels_1_to_4() -> None:
    facts = build_calculator.framework_facts(UJI_LEVEL)
    assert (facts["min_level"], facts["max_level"]) == (1, 4)
    assert [b["position"] for b in facts["predikat"]] == [0, 1, 2]
    data = build_calculator.contract([UJI_LEVEL], UJI_LEVEL.id, {})
    page = build_calculator.render_page(UJI_LEVEL, data, "v", TEST_LINKS)
    item = UJI_LEVEL.items[0]
    names = UJI_LEVEL.model(UJI_LEVEL.indicator(item.indicator).model).level_names
    options = page.split(f'id="butir-{item.id}"')[1].split("</fieldset>")[0]
    assert options.count(f'name="l-{item.id}"') == 5  # belum diisi + levels 1–4
    for level, name in zip(range(1, 5), names, strict=True):
        assert (
            f'<input type="radio" name="l-{item.id}" value="{level}"><span class="opsi-level">'
            f'Level {level} <span class="opsi-nama">{build_calculator.esc(name)}</span>'
        ) in options
    assert 'value="0"' not in options
    assert "Skala 1–4" in page
    assert UJI_LEVEL.partial.text in page
    axis = page.split('class="skala-sumbu"')[1].split("</div>")[0]
    assert axis == ' aria-hidden="true"><span>1</span><span>2</span><span>3</span><span>4</span>'
    legend = page.split('<ol class="skala-legenda">')[1].split("</ol>")[0]
    assert legend.count('class="skala-pita"') == 3
    assert '<li class="skala-pita" data-pita="0"><span class="skala-nama">Rendah</span>' in legend


def decimal_variant() -> Framework:
    """The test framework with decimal values and no domains (form rendering only)."""
    return dataclasses.replace(UJI_LEVEL, value_kind="decimal", domains=())


def test_form_of_a_decimal_valued_framework_without_domains() -> None:
    fw = decimal_variant()
    page = build_calculator.render_page(
        fw, build_calculator.contract([fw], fw.id, {}), "v", TEST_LINKS
    )
    assert 'aria-labelledby="form-domain-' not in page
    assert page.count('<section class="kalk-domain">') == 1
    assert '<ul class="grafik"></ul>' in page
    for item in fw.items:
        fieldset = page.split(f'id="butir-{item.id}"')[1].split("</fieldset>")[0]
        assert (
            f'<input id="nilai-{item.id}" type="text" inputmode="decimal" maxlength="7"'
            f' autocomplete="off" placeholder="mis. 3,25" data-nilai="{item.id}"'
        ) in fieldset
        assert "Nilai (1–4, paling banyak 4 desimal)" in fieldset
        values = [v.split('"')[0] for v in fieldset.split(f'name="l-{item.id}" value="')[1:]]
        assert values == ["", "1", "2", "3", "4"]  # the quick choices


SHARE_JS = """
import { codeOf, levelsOfCode } from "./calculator/share.js";
const [fw, levels, codes] = JSON.parse(process.argv[1]);
console.log(JSON.stringify([codeOf(fw, levels), codes.map((code) => levelsOfCode(fw, code))]));
"""


def share_codes(fw: Framework, levels: dict[str, Any], codes: list[str]) -> Any:
    """calculator/share.js run in Node on the framework's facts from the build contract."""
    facts = build_calculator.framework_facts(fw)
    done = subprocess.run(
        ["node", "--input-type=module", "-e", SHARE_JS, json.dumps([facts, levels, codes])],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    )
    return json.loads(done.stdout)


def test_share_codes_of_whole_levels_and_of_decimal_values() -> None:
    levels = {"1": 0, "5": 5, "35-3": 2}
    code, [decoded, bad, wrong] = share_codes(FW, levels, [code_of(levels), "12345", "9" * 37])
    assert code == code_of(levels)
    assert decoded == {"levels": levels}
    assert "(5 karakter)" in bad["problems"][1]
    assert "problems" in wrong
    fw = decimal_variant()
    ids = [item.id for item in fw.items]
    values = {ids[0]: 3.25, ids[2]: 1, ids[-1]: 4}
    text = "~".join({3.25: "3,25", 1: "1", 4: "4"}.get(values.get(i, 0), "-") for i in ids)
    code, [decoded, too_fine, too_high] = share_codes(
        fw, values, [text, text.replace("3,25", "3,12345"), text.replace("3,25", "4,5")]
    )
    assert code == text
    assert decoded == {"levels": values}
    assert "problems" in too_fine
    assert "problems" in too_high


def test_guide_pages_load_no_calculator_code(page: Page, site_url: str, page_log: PageLog) -> None:
    for path in ("", f"{FW.slug}/indikator/23/", f"{FW.slug}/metode/"):
        page.goto(site_url + path)
        page.wait_for_load_state("load")
    page.wait_for_timeout(300)
    loaded = [u for u in page_log.requests if "pyodide" in u or "/assets/kalkulator/" in u]
    # Page links carry the file's revision (?v=…, scripts/offline.py). A page with a table that
    # stacks on a phone (the criteria table) also loads the small DOM helpers (labelCells), and
    # boot.js records a framework chosen on Beranda with choice.js; no engine, no calculator.
    allowed = (
        "/assets/kalkulator/boot.js",
        "/assets/kalkulator/dom.js",
        "/assets/kalkulator/choice.js",
    )
    assert all(u.split("?")[0].endswith(allowed) for u in loaded), loaded


def test_calculator_fetches_its_modules_and_contract_once(page: Page, site_url: str) -> None:
    """The page's module preloads are the URLs its imports ask for, not a second copy. The
    contract is asked for once, and not at all on a return visit (this browser kept it)."""
    asked: list[str] = []  # by the page itself (the service worker's caching is not counted)
    page.on("request", lambda request: asked.append(request.url))
    open_calculator(page, site_url)
    modules = [
        u.split("?")[0]
        for u in asked
        if "/assets/kalkulator/" in u and u.split("?")[0].endswith(".js")
    ]
    preloaded = page.eval_on_selector_all(
        'link[rel="modulepreload"]', "(links) => links.map((link) => link.href)"
    )
    assert preloaded, "the calculator preloads its modules"
    assert len(modules) == len(set(modules)), sorted(modules)
    assert set(preloaded) <= set(asked)
    # As the browser counts them (a request served by its memory cache fires no event here).
    fetched = """() => performance.getEntriesByName(new URL(
        document.querySelector('#kalkulator').dataset.kontrak, document.baseURI).href).length"""
    assert page.evaluate(fetched) == 1
    page.reload()
    wait_ready(page)
    assert page.evaluate(fetched) == 0


def test_first_visit_progress_counts_pyodide_s_download(page: Page, site_url: str) -> None:
    """The download progress the engine reports reaches every byte of Pyodide's own files (it
    never counted them when they were asked for by URL object, and the bar stayed at 0 %)."""
    page.add_init_script(
        """window.spbeUnduhan = 0;
        const Native = window.Worker;
        window.Worker = class extends Native {
          constructor(...args) {
            super(...args);
            this.addEventListener("message", ({ data }) => {
              if (data?.type === "progress")
                window.spbeUnduhan = Math.max(window.spbeUnduhan, data.loaded / data.total);
            });
          }
        };"""
    )
    open_calculator(page, site_url)
    assert page.evaluate("() => window.spbeUnduhan") == 1


# --- filling and figures ----------------------------------------------------------------------


def test_filling_by_clicking_shows_the_core_figures(page: Page, site_url: str) -> None:
    page.goto(site_url + "kalkulator/")
    # The form is usable before Pyodide is ready, and the status says what is loading.
    click_level(page, "1", 3)
    assert page.get_attribute("#status-mesin", "data-status") in {"memuat", "siap"}
    wait_ready(page)
    levels = {"1": 3}
    wait_result(page, levels)
    assert shown(page) == core_view(levels)
    assert page.text_content("#hasil-kurang-jumlah") == "36"

    rng = random.Random(5)
    for item in ITEMS[:12]:
        levels[item] = rng.randint(0, 5)
        click_level(page, item, levels[item])
    wait_result(page, levels)
    view = shown(page)
    assert view == core_view(levels)
    assert view["complete"] is False
    assert view["missing"] == list(ITEMS[12:])
    assert page.text_content("#hasil-terisi") == f"12 dari {len(ITEMS)} butir terisi"
    assert page.is_visible("#hasil-kurang")

    for item in ITEMS[12:]:
        levels[item] = rng.randint(0, 5)
        click_level(page, item, levels[item])
    wait_result(page, levels)
    assert shown(page) == core_view(levels)
    assert page.is_hidden("#hasil-kurang")

    # Each item says what it adds now and what one more level would add (from the core).
    text = page.text_content("#kontribusi-35-2") or ""
    assert "Menyumbang" in text or "level tertinggi" in text
    # Unset an item again; switch the weight scheme.
    click_level(page, "7", None)
    del levels["7"]
    page.click('label:has(input[value="tabel-pedoman"])')
    wait_result(page, levels, "tabel-pedoman")
    assert shown(page) == core_view(levels, "tabel-pedoman")
    assert "Hasil simulasi, bukan nilai resmi" in (page.text_content(".kalk-simulasi") or "")
    # Material's instant navigation rewrites hrefs to absolute URLs; the built HTML stays relative.
    link = page.eval_on_selector("a.kalk-skema-tautan", "(a) => a.href")
    assert link == f"{site_url}{FW.slug}/bobot/"


def test_thirty_random_assessments_match_the_cli(page: Page, site_url: str) -> None:
    rng = random.Random(20180501)
    cases = [(dict.fromkeys(ITEMS, 5), SCHEMES[0]), (dict.fromkeys(ITEMS, 0), SCHEMES[1])]
    while len(cases) < 32:
        cases.append((random_levels(rng, rng.choice([1.0, 1.0, 0.8, 0.4])), rng.choice(SCHEMES)))
    with ThreadPoolExecutor(max_workers=4) as pool:  # one CLI process per case
        results = pool.map(cli_score, [assessment(lv, sc) for lv, sc in cases])
        expected = [expected_view(result) for result in results]

    open_calculator(page, site_url)
    scheme, current = "kuesioner-2018", ""
    for (levels, case_scheme), want in zip(cases, expected, strict=True):
        if case_scheme != scheme:
            page.click(f'label:has(input[value="{case_scheme}"])')
            scheme = case_scheme
        code = code_of(levels)
        page.evaluate("(code) => { location.hash = 'l=' + code; }", code)
        if current.strip("-") and code != current:
            page.click("#dialog-ya")  # replacing different work asks first
        current = code
        wait_result(page, levels, scheme)
        assert shown(page) == want, f"levels {code}, {scheme}"
        assert checked_levels(page) == levels


# --- share links ------------------------------------------------------------------------------


def test_share_link_loads_levels_and_asks_before_replacing(page: Page, site_url: str) -> None:
    first = random_levels(random.Random(1), 0.9)
    open_calculator(page, site_url, f"#l={code_of(first)}")
    wait_result(page, first)
    assert checked_levels(page) == first
    assert shown(page) == core_view(first)
    assert "#" not in page.url  # handled once; a reload shows the saved work instead

    page.click("#tombol-bagikan")
    link = page.input_value("#tautan-bagi")
    assert link == f"{site_url}kalkulator/#l={code_of(first)}"
    assert len(link.split("#l=")[1]) == 37

    # A different link while work exists: the in-page dialog asks; Escape keeps the work.
    # The theme's instant navigation must not reload the page for it (that drops the dialog).
    page.evaluate("window.kalkulatorAwal = document.getElementById('kalkulator')")
    second = random_levels(random.Random(2), 1.0)
    page.evaluate("(code) => { location.hash = 'l=' + code; }", code_of(second))
    page.wait_for_selector("#dialog-konfirmasi[open]")
    assert page.evaluate("document.activeElement.id") == "dialog-batal"
    page.keyboard.press("Escape")
    page.locator('#pesan [data-pesan="tautan"]', has_text="tidak dimuat").wait_for()
    assert checked_levels(page) == first
    page.evaluate("(code) => { location.hash = 'l=' + code; }", code_of(second))
    page.click("#dialog-ya")
    wait_result(page, second)
    assert checked_levels(page) == second
    assert shown(page) == core_view(second)
    assert stored(page)["levels"] == second
    assert page.evaluate("document.getElementById('kalkulator') === window.kalkulatorAwal")


# --- files ------------------------------------------------------------------------------------


def test_export_import_round_trip_with_the_cli(page: Page, site_url: str, tmp_path: Path) -> None:
    levels = random_levels(random.Random(3), 0.85)
    open_calculator(page, site_url, f"#l={code_of(levels)}")
    page.fill("#instansi", "Pemerintah Kabupaten Contoh")
    page.fill("#tahun", "2019")
    page.click('label:has(input[value="tabel-pedoman"])')
    wait_result(page, levels, "tabel-pedoman")

    name, text = download(page, "#tombol-ekspor")
    assert name == "penilaian-spbe-pemerintah-kabupaten-contoh-2019.json"
    want = assessment(levels, "tabel-pedoman", instansi="Pemerintah Kabupaten Contoh", tahun=2019)
    assert json.loads(text) == want
    exported = tmp_path / name
    exported.write_text(text, encoding="utf-8")
    # The same file works in the CLI, with the same figures.
    assert expected_view(cli_score(exported.read_text())) == shown(page)

    name, text = download(page, "#tombol-csv")
    assert name.endswith(".csv")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert rows[0] == ["jenis", "id", "nama", "level", "bobot (%)", "indeks"]
    assert rows[1][-1] == shown(page)["index"]
    assert [r[1] for r in rows if r[0] == "butir"] == list(ITEMS)

    # Mulai ulang asks in the page, then clears everything.
    page.click("#tombol-mulai-ulang")
    page.click("#dialog-ya")
    wait_result(page, {})
    assert checked_levels(page) == {}
    assert page.input_value("#instansi") == ""
    assert page.is_checked('input[value="kuesioner-2018"]')

    page.set_input_files("#berkas-impor", exported)
    wait_result(page, levels, "tabel-pedoman")
    assert checked_levels(page) == levels
    assert page.input_value("#instansi") == "Pemerintah Kabupaten Contoh"
    assert page.input_value("#tahun") == "2019"
    assert stored(page) == want

    # A file made for the CLI (the guide's example) imports too, after asking.
    page.set_input_files("#berkas-impor", EXAMPLE)
    page.click("#dialog-ya")
    example = parse_assessment(EXAMPLE.read_bytes())
    wait_result(page, dict(example.levels), example.scheme or "kuesioner-2018")
    assert shown(page) == expected_view(cli_score(EXAMPLE.read_text()))
    assert page.input_value("#instansi") == example.instansi


def test_reload_keeps_the_work_and_print_view(page: Page, site_url: str) -> None:
    levels = random_levels(random.Random(4), 0.7)
    open_calculator(page, site_url, f"#l={code_of(levels)}")
    page.fill("#instansi", "Dinas Komunikasi dan Informatika")
    page.fill("#tahun", "2018")
    page.click('label:has(input[value="tabel-pedoman"])')
    wait_result(page, levels, "tabel-pedoman")
    before = shown(page)

    page.reload()
    wait_started(page)
    # Restored at once from storage, before Pyodide is ready.
    assert checked_levels(page) == levels
    assert page.input_value("#instansi") == "Dinas Komunikasi dan Informatika"
    wait_result(page, levels, "tabel-pedoman")
    assert shown(page) == before

    page.emulate_media(media="print")
    assert page.is_hidden("#form-penilaian")
    assert page.is_hidden(".kalk-alat")
    assert page.is_visible(".kalk-cetak-kepala")
    assert page.is_visible(".kalk-cetak-butir")
    assert page.text_content("#cetak-instansi") == "Dinas Komunikasi dan Informatika"
    assert page.text_content("#cetak-tahun") == "2018"
    assert (page.text_content("#cetak-tanggal") or "–") != "–"
    assert "Tabel paparan daerah" in (page.text_content("#cetak-skema") or "")
    for item in ITEMS:
        cell = page.text_content(f'[data-cetak="{item}"]') or ""
        if item in levels:
            assert cell.startswith(f"Level {levels[item]} "), cell  # "Level 3 Terdefinisi"
        else:
            assert cell == "belum diisi"
    assert page.is_visible("#hasil-indeks")
    assert "bukan nilai resmi" in (page.text_content(".kalk-cetak-catatan") or "")
    page.emulate_media(media="screen")


def test_last_result_is_shown_at_once_only_for_the_same_request_and_build(
    page: Page, site_url: str
) -> None:
    levels = random_levels(random.Random(11), 0.8)
    open_calculator(page, site_url, f"#l={code_of(levels)}")
    wait_result(page, levels)
    before = shown(page)
    saved = page.evaluate("(key) => JSON.parse(localStorage.getItem(key))", RESULT_KEY)
    assert saved["versi"] == page.get_attribute("#kalkulator", "data-versi")
    assert json.loads(saved["request"])["assessment"]["levels"] == levels

    marks = """() => Object.fromEntries(
        ["spbe-hasil-ingatan", "spbe-hasil-mesin", "spbe-permintaan-awal"].map(
            (name) => [name, performance.getEntriesByName(name)[0]?.startTime ?? null]))"""
    page.reload()
    wait_result(page, levels)
    page.wait_for_function("() => performance.getEntriesByName('spbe-hasil-mesin').length > 0")
    times = page.evaluate(marks)
    # Shown from memory before the engine had computed it, and the engine agreed.
    assert times["spbe-hasil-ingatan"] < times["spbe-hasil-mesin"]
    # Even before Material's bundle ran: the page starts the app first (calculator/theme).
    loaded = page.evaluate(
        "performance.getEntriesByType('navigation')[0].domContentLoadedEventStart"
    )
    assert times["spbe-hasil-ingatan"] < loaded
    assert shown(page) == before
    assert page.get_attribute("#hasil", "data-sumber") == "mesin"
    # The engine's own result answered the request the page's inline starter sent in <head>.
    assert times["spbe-permintaan-awal"] is not None

    # Another build's result, or another request's, is never shown. The request sent early is
    # the engine's answer for this build, so it serves whenever its text is the page's own;
    # another request (here an invalid one) is answered and dropped.
    other_build = '{...saved, versi: "lain"}'
    other_request = '{...saved, request: saved.request.replace("levels", "x")}'
    for change, early in ((other_build, True), (other_request, False)):
        page.evaluate(
            f"([key, saved]) => localStorage.setItem(key, JSON.stringify({change}))",
            [RESULT_KEY, saved],
        )
        page.reload()
        wait_result(page, levels)
        page.wait_for_function("() => performance.getEntriesByName('spbe-hasil-mesin').length > 0")
        times = page.evaluate(marks)
        assert times["spbe-hasil-ingatan"] is None
        assert (times["spbe-permintaan-awal"] is not None) == early
        assert shown(page) == before
        assert page.locator("#pesan [data-pesan]").count() == 0


# --- bad input --------------------------------------------------------------------------------


def core_problems(text: str) -> list[str]:
    with pytest.raises(InvalidAssessment) as caught:
        parse_assessment(text)
    return [str(p) for p in caught.value.problems]


def test_bad_imports_list_the_core_problems_and_change_nothing(page: Page, site_url: str) -> None:
    levels = random_levels(random.Random(6), 1.0)
    open_calculator(page, site_url, f"#l={code_of(levels)}")
    page.fill("#instansi", "Instansi Tetap")
    wait_result(page, levels)
    before, saved = shown(page), stored(page)
    good = assessment(levels)
    bad_files = {
        "rusak.json": '{"format": "spbe-assessment/1", "levels": {',
        "kerangka.json": json.dumps({**good, "framework": "permenpan-59-2020"}),
        "level.json": json.dumps({**good, "levels": {**good["levels"], "5": 7, "36": 1}}),
        "bukan-objek.json": "[1, 2, 3]",
    }
    for name, text in bad_files.items():
        import_text(page, text, name)
        box = notice(page, "impor")
        box.wait_for()
        assert box.get_attribute("data-jenis") == "galat"
        assert name in (box.locator(".kalk-pesan-judul").text_content() or "")
        assert box.locator("li").all_text_contents() == core_problems(text), name
        assert page.is_hidden("#dialog-konfirmasi")
        assert checked_levels(page) == levels
        assert shown(page) == before
        assert stored(page) == saved
        assert page.input_value("#instansi") == "Instansi Tetap"


@pytest.mark.parametrize(
    "saved",
    [
        "{bukan json",
        '{"foo": 1}',
        json.dumps(assessment({"1": 9})),
        json.dumps({**assessment({"1": 2}), "framework": "lain"}),
        json.dumps({**assessment({"1": 2}), "levels": {"99": 1}}),
        "null",
    ],
    ids=["not-json", "foreign", "level-9", "framework", "item", "null"],
)
@pytest.mark.parametrize("key", [STORAGE_KEY, LEGACY_KEY], ids=["stored", "legacy"])
def test_corrupt_storage_gives_a_notice_and_a_clean_start(
    context_page: tuple[BrowserContext, Page], site_url: str, saved: str, key: str
) -> None:
    context, page = context_page
    context.add_init_script(
        f"try {{ localStorage.setItem({json.dumps(key)}, {json.dumps(saved)}); }} catch {{}}"
    )
    page.goto(site_url + "kalkulator/")
    box = notice(page, "penyimpanan")
    box.wait_for()
    assert "dimulai dari awal" in (box.text_content() or "")
    assert checked_levels(page) == {}
    # The page still works: the form saves and (once Pyodide is up) computes.
    click_level(page, "2", 4)
    assert checked_levels(page) == {"2": 4}


def test_work_saved_by_the_previous_release_still_loads(page: Page, site_url: str) -> None:
    """The release before frameworks were plural kept one assessment under LEGACY_KEY: it
    loads, and moves to its framework's own entry."""
    levels = {"1": 3, "2": 0, "35-2": 5}
    saved = {
        **assessment(levels, scheme="tabel-pedoman", instansi="Kota Lama", tahun=2019),
        "format": "spbe-assessment/2",
        "catatan": {"2": "Belum ada kebijakan"},
    }
    page.goto(site_url + "kalkulator/")
    page.evaluate(
        "([k, v]) => { localStorage.clear(); localStorage.setItem(k, v); }",
        [LEGACY_KEY, json.dumps(saved)],
    )
    page.reload()
    wait_started(page)
    assert checked_levels(page) == levels
    assert page.input_value("#instansi") == "Kota Lama"
    assert page.input_value("#catatan-2") == "Belum ada kebijakan"
    wait_result(page, levels, "tabel-pedoman")
    assert shown(page) == core_view(levels, "tabel-pedoman")
    assert stored(page) == saved
    assert page.evaluate("(key) => localStorage.getItem(key)", LEGACY_KEY) is None


def test_stored_data_the_core_rejects_also_starts_clean(page: Page, site_url: str) -> None:
    # Passes the page's quick structural check; only the core sees the bad level inside.
    bad = {**assessment({"1": 2}), "format": "spbe-assessment/2", "verifikasi": {"1": 9}}
    page.goto(site_url + "kalkulator/")
    page.evaluate("([k, v]) => localStorage.setItem(k, v)", [STORAGE_KEY, json.dumps(bad)])
    page.reload()
    wait_ready(page)
    box = notice(page, "penyimpanan")
    box.wait_for()
    problem = "verifikasi.1: level harus bilangan bulat 0–5, bukan 9"
    assert problem in box.locator("li").all_text_contents()
    wait_result(page, {})
    click_level(page, "3", 2)
    wait_result(page, {"3": 2})
    assert shown(page) == core_view({"3": 2})


def test_html_is_shown_as_text_and_bad_share_links_are_explained(page: Page, site_url: str) -> None:
    attack = '<img src=x onerror="window.__diserang=1"><b>Tebal</b>'
    open_calculator(page, site_url, "#l=12345")
    box = notice(page, "tautan")
    box.wait_for()
    assert box.get_attribute("data-jenis") == "galat"
    assert "tidak sah" in (box.text_content() or "")
    assert "(5 karakter)" in (box.text_content() or "")
    assert checked_levels(page) == {}

    page.evaluate("(code) => { location.hash = 'l=' + code; }", "<b>x</b>" + "1" * 29)
    page.wait_for_function(
        "() => document.querySelector('#pesan [data-pesan=\"tautan\"]')"
        "?.textContent.includes('<b>x</b>')"
    )
    page.fill("#instansi", attack)
    assert page.text_content("#cetak-instansi") == attack
    import_text(page, json.dumps(assessment({"1": 1}, instansi=attack)), "<i>berkas</i>.json")
    wait_result(page, {"1": 1})
    page.reload()
    wait_started(page)
    assert page.input_value("#instansi") == attack
    wait_result(page, {"1": 1})
    assert page.evaluate("window.__diserang") is None
    assert page.locator("#kalkulator img, #pesan b, #pesan i, #cetak-instansi *").count() == 0


@pytest.mark.allow_errors
def test_engine_failure_is_explained_and_keeps_the_data(
    context_page: tuple[BrowserContext, Page], site_url: str, page_log: PageLog
) -> None:
    context, page = context_page
    context.route("**/assets/pyodide/pyodide.mjs", lambda route: route.abort())
    page.goto(site_url + "kalkulator/")
    page.wait_for_selector('#status-mesin[data-status="gagal"]', timeout=BOOT_MS)
    assert "gagal dimuat" in (page.text_content("#status-teks") or "")
    box = notice(page, "mesin")
    assert box.get_attribute("role") == "alert"
    assert "tetap ada" in (box.text_content() or "")
    assert "gagal" in (page.text_content("#hasil-menunggu") or "")
    click_level(page, "1", 2)
    page.fill("#instansi", "Tetap tersimpan")
    assert stored(page)["levels"] == {"1": 2}
    # The work can still be saved as a file without the engine.
    _, text = download(page, "#tombol-ekspor")
    assert json.loads(text) == assessment({"1": 2}, instansi="Tetap tersimpan")
    page.reload()
    wait_started(page)
    assert checked_levels(page) == {"1": 2}
    page_log.console_errors.clear()


# --- access -----------------------------------------------------------------------------------


def test_keyboard_only_filling(page: Page, site_url: str) -> None:
    page.goto(site_url + "kalkulator/")
    wait_ready(page)
    focused = "() => document.activeElement?.id || document.activeElement?.name || ''"
    for _ in range(40):
        page.keyboard.press("Tab")
        if page.evaluate(focused) == "instansi":
            break
    else:
        pytest.fail("Tab never reached the Instansi field")
    page.keyboard.type("Sekretariat Daerah")
    page.keyboard.press("Tab")
    page.keyboard.type("2018")

    rng = random.Random(8)
    levels: dict[str, int] = {}
    for item in ITEMS:
        for _ in range(40):  # before item 1: the tools, the switches and the navigation chips
            page.keyboard.press("Tab")
            if page.evaluate(focused) == f"l-{item}":
                break
        else:
            pytest.fail(f"Tab never reached item {item}")
        # Focus lands on the checked option, "belum diisi"; each arrow moves one level up.
        levels[item] = rng.randint(0, 5)
        for _ in range(levels[item] + 1):
            page.keyboard.press("ArrowDown")
    outline = page.evaluate(
        "() => getComputedStyle(document.activeElement.closest('label')).outlineStyle"
    )
    assert outline not in {"", "none"}, "focused option has no visible outline"
    wait_result(page, levels)
    assert checked_levels(page) == levels
    assert shown(page) == core_view(levels)
    assert page.input_value("#instansi") == "Sekretariat Daerah"
    assert page.input_value("#tahun") == "2018"

    # Mulai ulang by keyboard: the dialog opens on "Batal"; Escape keeps everything.
    page.focus("#tombol-mulai-ulang")
    page.keyboard.press("Enter")
    page.wait_for_selector("#dialog-konfirmasi[open]")
    assert page.evaluate(focused) == "dialog-batal"
    page.keyboard.press("Escape")
    assert checked_levels(page) == levels
    page.keyboard.press("Enter")  # focus went back to the button
    page.wait_for_selector("#dialog-konfirmasi[open]")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    wait_result(page, {})
    assert checked_levels(page) == {}


def test_a_question_asked_again_at_once_gets_its_own_answer(page: Page, site_url: str) -> None:
    levels = random_levels(random.Random(5), 0.5)
    open_calculator(page, site_url, f"#l={code_of(levels)}")
    wait_result(page, levels)
    page.click("#tombol-mulai-ulang")
    page.wait_for_selector("#dialog-konfirmasi[open]")
    # Cancel and ask again in one go: the first close event arrives while the second is open.
    page.evaluate(
        """() => {
          document.getElementById("dialog-konfirmasi").close("");
          document.getElementById("tombol-mulai-ulang").click();
        }"""
    )
    assert page.is_visible("#dialog-konfirmasi[open]")
    assert checked_levels(page) == levels  # the cancel kept everything
    page.click("#dialog-ya")
    wait_result(page, {})
    assert checked_levels(page) == {}


def test_axe_finds_no_serious_violation(page: Page, site_url: str) -> None:
    levels = random_levels(random.Random(9), 0.6)
    open_calculator(page, site_url, f"#l={code_of(levels)}")
    wait_result(page, levels)
    page.click("#tombol-bagikan")
    assert serious_axe_violations(page, WCAG_21_AA) == []


# --- fixtures ---------------------------------------------------------------------------------


@pytest.fixture
def context_page(page: Page) -> tuple[BrowserContext, Page]:
    """The checked `page` with its context, for tests that route or script the context."""
    return page.context, page

"""The guide site built by `make site`: generated pages, worked example, links, hosts, a11y.

`make test` builds site/ first; a missing build fails (the `site_dir` fixture in conftest.py).
Browser tests serve site/ under /panduan-spbe/ on 127.0.0.1 and use Debian Chromium.
"""

from __future__ import annotations

from fractions import Fraction
from html.parser import HTMLParser
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urldefrag, urlsplit

import build_calculator
import gen_pages
import pytest
from conftest import serious_axe_violations

from spbe_core import format_number, parse_assessment, score

if TYPE_CHECKING:
    from conftest import PageLog
    from playwright.sync_api import Browser, Page

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
EXAMPLE = DOCS / "assets" / "contoh-penilaian.json"
FRAMEWORKS = gen_pages.frameworks()
LEGACY = gen_pages.legacy_framework(FRAMEWORKS)  # the framework of the unprefixed old URLs
by_slug = pytest.mark.parametrize("fw", FRAMEWORKS, ids=lambda fw: fw.slug)


class PageText(HTMLParser):
    """The parts of a built page the tests read: h1, tables, hrefs and data-nilai figures."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.h1 = ""
        self.tables: list[list[list[str]]] = []
        self.hrefs: list[str] = []
        self.nilai: dict[str, str] = {}
        self._in_h1 = False
        self._skip = 0  # depth inside a heading permalink (¶), which is not heading text
        self._cell: list[str] | None = None
        self._nilai: tuple[str, list[str]] | None = None
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attr = dict(attrs)
        if tag == "a" and attr.get("href"):
            self.hrefs.append(attr["href"] or "")
        if tag == "a" and (self._skip or "headerlink" in (attr.get("class") or "")):
            self._skip += 1
        if tag == "h1":
            self._in_h1 = True
        elif tag == "table":
            self.tables.append([])
        elif tag == "tr" and self.tables:
            self.tables[-1].append([])
        elif tag in {"td", "th"}:
            self._cell = []
        elif tag == "span" and attr.get("data-nilai"):
            self._nilai = (attr["data-nilai"] or "", [])

    def handle_endtag(self, tag: str) -> None:
        if tag == "a" and self._skip:
            self._skip -= 1
        elif tag == "h1":
            self._in_h1 = False
        elif tag in {"td", "th"} and self._cell is not None and self.tables:
            self.tables[-1][-1].append(" ".join("".join(self._cell).split()))
            self._cell = None
        elif tag == "span" and self._nilai is not None:
            key, parts = self._nilai
            self.nilai[key] = "".join(parts).strip()
            self._nilai = None

    def handle_data(self, data: str) -> None:
        if self._skip:
            return
        if self._in_h1:
            self.h1 += data
        if self._cell is not None:
            self._cell.append(data)
        if self._nilai is not None:
            self._nilai[1].append(data)

    def table_with(self, header: list[str]) -> list[list[str]]:
        """Body rows of the first table with exactly this header."""
        for rows in self.tables:
            if rows and rows[0] == header:
                return rows[1:]
        raise AssertionError(
            f"no table with header {header}; tables: {[t[:1] for t in self.tables]}"
        )


def built(site_dir: Path, page: str) -> PageText:
    """Parse the built HTML of a docs page given by its URL path (directory URLs)."""
    path = site_dir / page / "index.html"
    assert path.is_file(), f"{path} was not built"
    return PageText(path.read_text(encoding="utf-8"))


def flat(text: str) -> str:
    return " ".join(text.split())


# --- The generated pages ----------------------------------------------------------------------


@by_slug
def test_every_domain_and_aspect_has_a_page_listing_its_parts(site_dir: Path, fw: Any) -> None:
    for domain in fw.domains:
        page = built(site_dir, f"{fw.slug}/domain/{domain.id}")
        assert flat(page.h1) == f"Domain {domain.id}: {domain.name}"
        for aspect_id in domain.aspects:
            assert f"../../aspek/{aspect_id}/" in page.hrefs
    for aspect in fw.aspects:
        page = built(site_dir, f"{fw.slug}/aspek/{aspect.id}")
        assert flat(page.h1) == f"Aspek {aspect.id}: {aspect.name}"
        if fw.domains:
            assert f"../../domain/{aspect.domain}/" in page.hrefs
        for indicator_id in aspect.indicators:
            assert f"../../indikator/{indicator_id}/" in page.hrefs


@pytest.mark.parametrize(
    ("fw", "indicator"),
    [(fw, i) for fw in FRAMEWORKS for i in fw.indicators],
    ids=lambda v: getattr(v, "slug", None) or f"indikator-{v.id}",
)
def test_indicator_page_shows_every_level_and_links_to_the_calculator(
    site_dir: Path, fw: Any, indicator: Any
) -> None:
    page = built(site_dir, f"{fw.slug}/indikator/{indicator.id}")
    assert flat(page.h1) == f"Indikator {gen_pages.indicator_number(indicator)}: {indicator.name}"
    if getattr(fw, "criteria_available", True):
        names = fw.model(indicator.model).level_names
        expected = [
            [str(level), names[level - fw.min_level], flat(criterion)]
            for level, criterion in zip(fw.levels, indicator.criteria, strict=True)
        ]
        assert page.table_with(["Level", "Nama level", "Kriteria"]) == expected
        assert len(expected) == fw.max_level - fw.min_level + 1  # every level, in order
    calculator = build_calculator.page_name(fw).removesuffix("index.md")
    for item in indicator.items:
        assert f"../../../{calculator}#butir-{item}" in page.hrefs
    for link in indicator.continues:
        other_id, other_indicator = link.split(":")
        other = next(f for f in FRAMEWORKS if f.id == other_id)
        assert f"../../../{other.slug}/indikator/{other_indicator}/" in page.hrefs
        back = built(site_dir, f"{other.slug}/indikator/{other_indicator}")
        assert f"../../../{fw.slug}/indikator/{indicator.id}/" in back.hrefs


@by_slug
def test_indicator_index_lists_all_indicators(site_dir: Path, fw: Any) -> None:
    page = built(site_dir, f"{fw.slug}/indikator")
    for indicator in fw.indicators:
        assert f"{indicator.id}/" in page.hrefs


@by_slug
def test_metode_worked_example_is_what_spbe_core_computes(site_dir: Path, fw: Any) -> None:
    levels, scheme, *_, example_file = gen_pages.example_levels(fw)
    if example_file:
        # The page links the built copy of the example; compute from that same file.
        example = site_dir / "assets" / example_file
        assert example.read_bytes() == (DOCS / "assets" / example_file).read_bytes()
        assessment = parse_assessment(example.read_bytes())
        levels, scheme = dict(assessment.levels), fw.scheme(assessment.scheme)
    result = score(fw, levels, scheme.id)
    expected = {"indeks": format_number(result.index), "predikat": result.predikat}
    expected |= {f"domain-{d.id}": format_number(d.value) for d in result.domains}
    expected |= {f"aspek-{a.id}": format_number(a.value) for a in result.aspects}
    if len(fw.schemes) > 1:
        for other_scheme in fw.schemes:
            other = score(fw, levels, other_scheme.id)
            expected[f"indeks-{other_scheme.id}"] = format_number(other.index)
            expected[f"predikat-{other_scheme.id}"] = other.predikat
    assert built(site_dir, f"{fw.slug}/metode").nilai == expected


def test_the_example_file_is_the_worked_example_of_its_framework() -> None:
    framework = parse_assessment(EXAMPLE.read_bytes()).framework
    fw = next(fw for fw in FRAMEWORKS if fw.id == framework)
    assert gen_pages.example_levels(fw)[-1] == EXAMPLE.name


@by_slug
def test_bobot_lists_every_indicator_under_every_scheme(site_dir: Path, fw: Any) -> None:
    header = ["No", "Indikator", "Aspek", *(f"Bobot {s.id}" for s in fw.schemes)]
    rows = built(site_dir, f"{fw.slug}/bobot").table_with(header)
    indicators = {i.id for i in fw.indicators}
    assert [row[0] for row in rows if row[0] in indicators] == [i.id for i in fw.indicators]
    assert {row[0] for row in rows} >= set(fw.item_ids)


@by_slug
def test_bobot_compares_unequal_weights_heaviest_first(site_dir: Path, fw: Any) -> None:
    ranking = gen_pages.weight_ranking(gen_pages.Guide(fw), fw.scheme())
    page = built(site_dir, f"{fw.slug}/bobot")
    if not ranking:
        assert not [t for t in page.tables if t and t[0][:2] == ["Urutan", "Indikator"]]
        return
    rows = page.table_with(["Urutan", "Indikator", "Aspek", "Bobot", "Perbandingan"])
    assert [row[3] for row in rows] == [gen_pages.percent(r.share) for r in ranking]
    weights = [Fraction(row[3].rstrip("%").replace(",", ".")) for row in rows]
    assert weights == sorted(weights, reverse=True)
    assert [row[1].split(". ")[0].split(" ")[0] for row in rows] == [
        r.indicator.id for r in ranking
    ]
    bars = [len(row[4]) for row in rows]
    assert bars == sorted(bars, reverse=True)
    assert bars[0] == gen_pages.BAR_WIDTH


# --- Home and hand-written guide pages with several frameworks ----------------------------------


def test_the_home_page_lets_the_user_pick_every_framework(site_dir: Path) -> None:
    text = (site_dir / "index.html").read_text(encoding="utf-8")
    section = text.split('id="pilih-kerangka"')[1].split("<h2")[0]
    links = PageText(section).hrefs
    # Every framework's overview, newest first (the data's order is oldest first).
    overviews = [f"{fw.slug}/" for fw in FRAMEWORKS]
    assert [href for href in links if href in overviews] == overviews[::-1]
    for fw in FRAMEWORKS:
        assert fw.short_name in flat(section)


@pytest.mark.parametrize(
    ("page", "section"), [("tingkat-kematangan", "tingkat"), ("proses-evaluasi", "proses")]
)
def test_hand_written_pages_point_to_each_framework_s_own_section(
    site_dir: Path, page: str, section: str
) -> None:
    """Pages written for 5/2018 say so and link the other frameworks' own sections."""
    hrefs = built(site_dir, page).hrefs
    for fw in FRAMEWORKS:
        if not gen_pages.Guide(fw).prose(section):
            continue
        assert f"../{fw.slug}/#{section}" in hrefs
        overview = (site_dir / fw.slug / "index.html").read_text(encoding="utf-8")
        assert f'id="{section}"' in overview


def test_generator_escapes_data_text() -> None:
    assert gen_pages.markdown_text("a|b <c> & *d*") == r"a\|b &lt;c&gt; &amp; \*d\*"


def test_generator_assembles_the_docs_dir_and_cleans_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    docs_dir, config = tmp_path / "build" / "docs", tmp_path / "build" / "mkdocs.yml"
    monkeypatch.setattr(gen_pages, "DOCS_DIR", docs_dir)
    monkeypatch.setattr(gen_pages, "CONFIG", config)
    gen_pages.main()
    stale = docs_dir / FRAMEWORKS[0].slug / "indikator" / "99.md"
    stale.write_text("old")
    gen_pages.main()
    assert not stale.exists()
    written = {p.relative_to(docs_dir).as_posix() for p in docs_dir.rglob("*") if p.is_file()}
    hand_written = {
        p.relative_to(DOCS).as_posix()
        for p in DOCS.rglob("*")
        if p.is_file() and not any(part.startswith("_") for part in p.relative_to(DOCS).parts)
    }
    generated = set(gen_pages.outputs(FRAMEWORKS))
    assert written == hand_written | generated
    assert not hand_written & generated
    for fw in FRAMEWORKS:
        pages = {f"{fw.slug}/indikator/{i.id}.md" for i in fw.indicators}
        pages |= {f"{fw.slug}/domain/{d.id}.md" for d in fw.domains}
        pages |= {f"{fw.slug}/aspek/{a.id}.md" for a in fw.aspects}
        pages |= {f"{fw.slug}/{name}.md" for name in ("index", "metode", "bobot")}
        assert pages | {f"{fw.slug}/indikator/index.md"} <= generated
    nav = config.read_text()
    for page in generated:
        if page.endswith(".md"):
            assert f" {page}\n" in nav
    gen_pages.clean()
    assert not config.exists()
    assert not docs_dir.exists()


# --- In the browser ---------------------------------------------------------------------------


def is_page(url: str) -> bool:
    return url.endswith(("/", ".html"))


@pytest.mark.browser
def test_crawl_finds_no_broken_link_and_no_other_host(
    page: Page, page_log: PageLog, site_url: str
) -> None:
    """Visit every page reachable from Beranda; every internal link and anchor must resolve."""
    origin = site_url[: -len(urlsplit(site_url).path)]
    queue, visited = [site_url], set[str]()
    ids: dict[str, set[str]] = {}
    links: list[tuple[str, str]] = []  # (page, href), checked once every page has been seen
    broken: list[str] = []
    while queue:
        url = queue.pop()
        if url in visited:
            continue
        visited.add(url)
        response = page.goto(url, wait_until="load")
        if response is None or not response.ok:
            broken.append(f"{url}: HTTP {response.status if response else '?'}")
            continue
        ids[url] = set(page.eval_on_selector_all("[id]", "els => els.map(e => e.id)"))
        for href in page.eval_on_selector_all("a[href]", "els => els.map(e => e.href)"):
            if not href.startswith(origin):
                continue  # other hosts are only linked, never requested (page_log checks)
            target, _ = urldefrag(href)
            if not target.startswith(site_url):
                broken.append(f"{url}: link leaves the sub-path: {href}")
                continue
            links.append((url, href))
            if is_page(target) and target not in visited:
                queue.append(target)
    checked: dict[str, int] = {}
    for source, href in links:
        target, fragment = urldefrag(href)
        if not is_page(target):
            if target not in checked:
                checked[target] = page.request.get(target).status
            if checked[target] != 200:
                broken.append(f"{source}: {href} → HTTP {checked[target]}")
        elif fragment and "=" not in fragment and fragment not in ids.get(target, set()):
            broken.append(f"{source}: {href} → no element with id {fragment!r}")
    assert not broken, "broken links:\n  " + "\n  ".join(sorted(set(broken)))
    sources = [p for p in gen_pages.outputs(FRAMEWORKS) if p.endswith(".md")]
    sources += [
        md.relative_to(DOCS).as_posix()
        for md in DOCS.rglob("*.md")
        if not any(part.startswith("_") for part in md.relative_to(DOCS).parts)
    ]
    docs_pages = {site_url + build_calculator.page_url(path) for path in sources}
    assert docs_pages <= visited, f"pages no link reaches: {sorted(docs_pages - visited)}"
    assert page_log.requests, "the page log saw no request"


def axe_violations(page: Page, url: str) -> list[str]:
    page.goto(url, wait_until="load")
    return serious_axe_violations(page)


@pytest.mark.browser
@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize(
    "path",
    [
        "",
        f"{LEGACY.slug}/metode/",
        f"{LEGACY.slug}/indikator/{LEGACY.indicators[-1].id}/",
        *(f"{fw.slug}/bobot/" for fw in FRAMEWORKS),
        *(f"{fw.slug}/indikator/{fw.indicators[0].id}/" for fw in FRAMEWORKS if fw != LEGACY),
    ],
    ids=lambda path: path.strip("/").replace("/", "-") or "beranda",
)
def test_axe_finds_no_serious_violation(page: Page, site_url: str, path: str, scheme: str) -> None:
    page.emulate_media(color_scheme=scheme)  # type: ignore[arg-type]
    violations = axe_violations(page, site_url + path)
    assert not violations, "axe-core:\n  " + "\n  ".join(violations)


@pytest.mark.browser
def test_an_old_url_lands_on_the_new_page_with_or_without_javascript(
    page: Page, browser: Browser, site_url: str
) -> None:
    indicator = LEGACY.indicators[-1]
    old, new = f"indikator/{indicator.id}/", f"{LEGACY.slug}/indikator/{indicator.id}/"
    # With JavaScript the fragment is kept; the meta refresh alone still arrives without it.
    page.goto(f"{site_url}{old}#bukti-dukung")
    page.wait_for_url(f"{site_url}{new}#bukti-dukung")
    assert flat(page.locator("h1").first.inner_text()).startswith(f"Indikator {indicator.id}")
    context = browser.new_context(java_script_enabled=False)
    try:
        plain = context.new_page()
        plain.goto(site_url + old)
        plain.wait_for_url(site_url + new)
        assert plain.locator("h1").first.inner_text().startswith(f"Indikator {indicator.id}")
    finally:
        context.close()


@by_slug
def test_calculator_page_holds_every_item_its_field_templates_and_the_level_name_caveat(
    site_dir: Path, fw: Any
) -> None:
    """Every item is in the form as parsed, with a place for its verification field and its
    notes; those fields, and the plan's constraint row, are in one template per kind, every
    field labelled (an item's copy is made when needed: test_calculator_plan.py). Like the
    indicator pages, the form says that level names are short labels, linking to where they
    are explained."""
    name = build_calculator.page_name(fw).removesuffix("index.md")
    html = (site_dir / name / "index.html").read_text(encoding="utf-8")
    page = PageText(html)
    header = [
        "Butir",
        "Indikator",
        "Level",
        "Upaya per level",
        "Tidak mungkin naik",
        "Level maksimum",
    ]
    rows = page.table_with(header)
    assert len(rows) == 1, rows  # the row template only; its item and name are set by script
    assert rows[0][:2] == ["", ""]
    for label in ("Upaya per level, butir @", "Butir @ tidak mungkin naik"):
        assert f'aria-label="{label}"' in html, label
    assert 'aria-label="Level maksimum butir @"' in html
    for item in fw.item_ids:
        assert f'<span class="butir-beda" id="beda-{item}" hidden>' in html, item
        assert f'<span class="sr-only"> butir {item}</span>' in html, item
    for kind in ("verifikasi", "catatan", "rekomendasi", "unit", "tenggat", "status"):
        assert f'id="{kind}-@" ' in html or f'id="{kind}-@">' in html, kind
        assert f'<label for="{kind}-@">' in html, kind
    caveat = "Nama level hanya label ringkas; yang menentukan adalah kriterianya"
    assert (caveat in flat(html)) == fw.criteria_available
    if fw.criteria_available:
        href = next(h for h in page.hrefs if "tingkat" in h)
        target, fragment = urldefrag(href)
        resolved = (site_dir / name / target / "index.html").resolve()
        assert resolved.is_file(), href
        if fragment:
            assert f'id="{fragment}"' in resolved.read_text(encoding="utf-8")

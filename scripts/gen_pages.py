"""Generate the guide's framework pages, the redirects of the old URLs and the MkDocs config.

For every framework in spbe_core.available_frameworks(), under its URL prefix (`slug`):
  <slug>/index.md, metode.md, bobot.md, indikator/index.md, domain/<id>.md, aspek/<id>.md,
  indikator/<id>.md      Markdown from scripts/templates/*.md.j2 (Jinja2), figures from spbe_core
Plus a small redirect page at each URL the guide had before frameworks got a prefix, and
build/mkdocs.yml: the hand-written mkdocs.yml (INHERIT) with docs_dir, site_dir and the nav.

Everything goes to build/: the MkDocs docs_dir build/docs/ starts as a copy of docs/ (which holds
hand-written pages only) and gets these pages; build_site.py then adds the calculator. Every
generated page is one row of PAGES. Generation stays outside MkDocs (no plugin), so the site can
move to another static-site tool. Run from anywhere: `python scripts/gen_pages.py`, or `--clean`.
"""

from __future__ import annotations

import argparse
import html
import os
import re
import shutil
import sys
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from itertools import product
from pathlib import Path
from typing import Any, TypeAlias

import yaml
from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # use the checkout's spbe_core, installed or not

import build_calculator  # noqa: E402

from spbe_core import (  # noqa: E402
    Aspect,
    Domain,
    Framework,
    Indicator,
    Scheme,
    available_frameworks,
    format_number,
    item_weight,
    load_framework,
    parse_assessment,
    predikat,
    publish,
    score,
)

DOCS = ROOT / "docs"  # hand-written pages
BUILD = ROOT / "build"
DOCS_DIR = BUILD / "docs"  # the MkDocs docs_dir: docs/ copied, plus everything generated
CONFIG = BUILD / "mkdocs.yml"
SITE = ROOT / "site"
MKDOCS_YML = ROOT / "mkdocs.yml"
TEMPLATES = Path(__file__).resolve().parent / "templates"
# Hand-written prose about one framework (its sources, say), included by the templates when
# present: docs/_kerangka/<slug>/<name>.md. Not a page: build_site.py does not copy "_" names.
PROSE = build_calculator.PROSE
EXAMPLES = DOCS / "assets"  # contoh-penilaian*.json: a framework's worked example, if any
HALF_UP_DEMO = Fraction("2.285")  # an exact x.xx5, to show half-up rounding
# The guide's own nav entries around the frameworks' tabs.
GUIDE_PAGES = (
    ("Tingkat kematangan", "tingkat-kematangan.md"),
    ("Proses evaluasi", "proses-evaluasi.md"),
)
LATER_PAGES = (
    ("Glosarium", "glosarium.md"),
    ("Sumber", "sumber.md"),
    ("Tentang", "tentang.md"),
)
# Kinerja (a technical benchmark) is no main tab: civil servants read "kinerja" as SAKIP
# performance. Tentang and the footer link it; mkdocs.yml lists it under not_in_nav.

NavItem: TypeAlias = "str | dict[str, str | list[NavItem]]"


# --- Numbers ----------------------------------------------------------------------------------


def places_needed(value: Fraction, most: int = 4) -> int | None:
    """Decimal places that write `value` exactly, or None if it needs more than `most`."""
    for places in range(most + 1):
        if (value * 10**places).denominator == 1:
            return places
    return None


def exact(value: Fraction) -> str:
    """The exact value: 2,5 when a short decimal says it, else a fraction such as 5/3."""
    places = places_needed(value)
    if places is not None:
        return format_number(value, places)
    top, bottom = (format_number(Fraction(n), 0) for n in (value.numerator, value.denominator))
    return f"{top}/{bottom}"


def shown(value: Fraction) -> str:
    """Exact value plus a 4-decimal approximation when the exact form is a fraction."""
    if places_needed(value) is not None:
        return exact(value)
    return f"{exact(value)} ≈ {format_number(value, 4)}"


def percent(share: Fraction) -> str:
    """A share of the index as a percentage: 7%, 3,33%."""
    value = share * 100
    return format_number(value, 0 if value.denominator == 1 else 2) + "%"


def gain(weight: Fraction) -> str:
    """What one more level adds to the index, with enough decimals to be honest."""
    places = places_needed(weight)
    if places is not None:
        return format_number(weight, max(places, 2))
    return f"≈ {format_number(weight, 4)} (tepatnya {exact(weight)} poin)"


def id_range(ids: Sequence[str]) -> str:
    """'1–7' for consecutive numeric ids, else a comma list."""
    if len(ids) > 1 and all(i.isdigit() for i in ids):
        first = int(ids[0])
        if [int(i) for i in ids] == list(range(first, first + len(ids))):
            return f"{ids[0]}–{ids[-1]}"
    return ", ".join(ids)


def mean_text(terms: Sequence[tuple[Fraction, Fraction]], values: Sequence[str] = ()) -> str:
    """'(v × w + …) ÷ (w + …) = a ÷ b': a weighted mean written out; `values` overrides v's text."""
    texts = values or [exact(v) for v, _ in terms]
    products = " + ".join(f"{v} × {exact(w)}" for v, (_, w) in zip(texts, terms, strict=True))
    weights = " + ".join(exact(w) for _, w in terms)
    top = sum((v * w for v, w in terms), Fraction(0))
    bottom = sum((w for _, w in terms), Fraction(0))
    return f"({products}) ÷ ({weights}) = {exact(top)} ÷ {exact(bottom)}"


# --- Templates --------------------------------------------------------------------------------

_MARKDOWN_SPECIAL = frozenset("\\`*_{}[]|")


def markdown_text(value: object) -> Markup:
    """Every {{ value }} of a Markdown template: literal text on one line, HTML-escaped and
    Markdown punctuation escaped (a pipe too: the tables extension makes \\| a literal pipe).
    Markup (a link, a rendered fragment) passes unchanged."""
    if isinstance(value, Markup):
        return value
    flat = html.escape(re.sub(r"\s+", " ", str(value)), quote=False)
    return Markup("".join(f"\\{c}" if c in _MARKDOWN_SPECIAL else c for c in flat))


def url(*parts: str) -> Markup:
    """A relative link target from path parts (ids are checked: a surprise fails the build)."""
    text = "".join(parts)
    if any(c in text for c in " ()<>\"'\\`*_[]|{}"):
        raise ValueError(f"unsafe character in a generated link: {text!r}")
    return Markup(text)


def _environment(**options: Any) -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        **options,
    )
    env.globals.update(url=url)
    env.tests.update(multi_item=lambda items: len(items) > 1)
    env.filters.update(
        exact=exact, shown=shown, percent=percent, gain=gain, id_range=id_range, num=format_number
    )
    return env


MARKDOWN = _environment(finalize=markdown_text)
HTML = _environment()


def render(template: str, context: Mapping[str, object]) -> str:
    env = HTML if template.endswith(".html.j2") else MARKDOWN
    return env.get_template(template).render(context)


# --- Framework facts for the templates --------------------------------------------------------


@dataclass(frozen=True)
class Link:
    """An inferred subject link to an indicator of another framework (never a conversion)."""

    fw: Framework
    indicator: Indicator


@dataclass(frozen=True)
class Guide:
    """One framework as the templates read it: lookups and figures, every one from spbe_core.

    `family` holds every framework of the site (this one included): the "continues" links of
    one framework are shown on both ends."""

    fw: Framework
    family: tuple[Framework, ...] = ()

    @property
    def criteria_available(self) -> bool:
        # A framework whose official criteria are unknown says so (8/2026); the flag is new.
        return bool(getattr(self.fw, "criteria_available", True))

    @property
    def decimal(self) -> bool:
        return self.fw.value_kind == "decimal"

    def aspects_of(self, domain: Domain) -> list[Aspect]:
        return [self.fw.aspect(a) for a in domain.aspects]

    def indicators_of(self, aspect: Aspect) -> list[Indicator]:
        return [self.fw.indicator(i) for i in aspect.indicators]

    def domain_of(self, aspect: Aspect) -> Domain | None:
        return self.fw.domain(aspect.domain) if self.fw.domains else None

    def indicator_share(self, indicator: Indicator, scheme: Scheme) -> Fraction:
        return sum((item_weight(self.fw, i, scheme.id) for i in indicator.items), Fraction(0))

    def indicator_percent(self, indicator: Indicator, scheme: Scheme) -> str:
        """'1%', or '3 × 3,33% = 10%' for an indicator scored as several equal items."""
        total = percent(self.indicator_share(indicator, scheme))
        weights = {item_weight(self.fw, i, scheme.id) for i in indicator.items}
        if len(indicator.items) > 1 and len(weights) == 1:
            return f"{len(indicator.items)} × {percent(weights.pop())} = {total}"
        return total

    def indicator_percents(self, indicator: Indicator) -> list[str]:
        return [self.indicator_percent(indicator, s) for s in self.fw.schemes]

    def domain_percents(self, domain: Domain) -> list[str]:
        return [percent(s.domains[domain.id]) for s in self.fw.schemes]

    def item_weight(self, item_id: str, scheme: Scheme | None = None) -> Fraction:
        return item_weight(self.fw, item_id, scheme.id if scheme else None)

    def total_weight(self, scheme: Scheme) -> Fraction:
        return sum(scheme.aspects.values(), Fraction(0))

    def level_name(self, indicator: Indicator, level: int) -> str:
        names = self.fw.model(indicator.model).level_names
        n = level - self.fw.min_level
        return names[n] if n < len(names) else ""

    def criteria_rows(self, indicator: Indicator) -> list[tuple[int, str, str]]:
        """(level, level name, criterion) for every level; empty without official criteria."""
        if not self.criteria_available:
            return []
        return [
            (level, self.level_name(indicator, level), criterion)
            for level, criterion in zip(self.fw.levels, indicator.criteria, strict=True)
        ]

    def neighbours(self, indicator: Indicator) -> tuple[Indicator | None, Indicator | None]:
        position = self.fw.indicators.index(indicator)
        before = self.fw.indicators[position - 1] if position > 0 else None
        after = self.fw.indicators[position + 1] if position + 1 < len(self.fw.indicators) else None
        return before, after

    # The index gain shown on a decimal framework's indicator page: +0,1 and +1,0.
    steps: tuple[Fraction, Fraction] = (Fraction(1, 10), Fraction(1))

    def number(self, indicator: Indicator) -> str:
        """'5 (3.1)' when the data has a second numbering, else the id."""
        return indicator_number(indicator)

    def index_gain(self, item_id: str, step: Fraction, scheme: Scheme) -> Fraction:
        """What raising one item by `step` from the lowest value adds to the index, computed
        by spbe_core's exact scoring (every other item at the lowest value)."""
        low: dict[str, int | Fraction] = dict.fromkeys(self.fw.item_ids, self.fw.min_level)
        raised = low | {item_id: self.fw.min_level + step}
        return score(self.fw, raised, scheme.id).index - score(self.fw, low, scheme.id).index

    def continues(self, indicator: Indicator) -> list[Link]:
        """The indicators of older frameworks this one continues (data: `continues`)."""
        return [self._resolve(indicator, link) for link in indicator.continues]

    def continued_by(self, indicator: Indicator) -> list[Link]:
        """The indicators of other frameworks whose `continues` names this one."""
        key = f"{self.fw.id}:{indicator.id}"
        return [
            Link(other, later)
            for other in self.family
            if other.id != self.fw.id
            for later in other.indicators
            if key in later.continues
        ]

    def _resolve(self, indicator: Indicator, link: str) -> Link:
        framework_id, _, indicator_id = link.partition(":")
        for other in self.family:
            if other.id == framework_id and indicator_id in {i.id for i in other.indicators}:
                return Link(other, other.indicator(indicator_id))
        raise SystemExit(
            f"gen_pages: {self.fw.id} indicator {indicator.id} continues {link!r}, "
            "which is no indicator of a known framework"
        )

    @property
    def levels_page(self) -> str:
        """Where this framework's level names are explained (relative to the docs_dir)."""
        return build_calculator.levels_page(self.fw)

    def prose(self, name: str) -> Markup:
        """Hand-written Markdown about this framework (docs/_kerangka/<slug>/<name>.md), or ''."""
        path = PROSE / self.fw.slug / f"{name}.md"
        return Markup(path.read_text(encoding="utf-8").strip()) if path.is_file() else Markup()


# --- Context builders: one per template -------------------------------------------------------


def plain_context(guide: Guide, entry: object) -> dict[str, object]:
    return {}


def entry_context(guide: Guide, entry: object) -> dict[str, object]:
    return {"entry": entry}


def example_levels(fw: Framework) -> tuple[dict[str, int | Fraction], Scheme, str, str, str]:
    """The worked example: (levels, scheme, instansi, tahun, file name of the example or '').

    A framework with an example assessment under docs/assets uses it; any other gets levels
    made from its range, so its page still shows the arithmetic."""
    for path in sorted(EXAMPLES.glob("contoh-penilaian*.json")):
        assessment = parse_assessment(path.read_bytes())
        if assessment.framework == fw.id:
            instansi, tahun = assessment.instansi or "tanpa nama", str(assessment.tahun or "-")
            return dict(assessment.levels), fw.scheme(assessment.scheme), instansi, tahun, path.name
    span = fw.max_level - fw.min_level + 1
    levels: dict[str, int | Fraction] = {
        item: fw.min_level + (3 * n + 2) % span for n, item in enumerate(fw.item_ids)
    }
    return levels, fw.scheme(), "Instansi Contoh", "-", ""


def value_text(value: int | Decimal | Fraction) -> str:
    """An item's level or decimal value as written on the page: 3, or 2,5 (decimal comma)."""
    return str(value) if isinstance(value, int) else exact(Fraction(value))


def metode_context(guide: Guide, entry: object) -> dict[str, object]:
    fw = guide.fw
    levels, scheme, instansi, tahun, example_file = example_levels(fw)
    empty = fw.partial.empty_value
    result = score(fw, levels, scheme.id)
    direct = sum(
        (Fraction(levels.get(i, empty)) * scheme.items[i] for i in fw.item_ids), Fraction(0)
    )
    if direct != result.index:  # the page says the two agree; make sure they do
        raise AssertionError(f"Σ level × bobot = {direct}, but the index is {result.index}")
    by_id = {a.id: a.value for a in result.aspects}
    inexact = [a for a in result.aspects if places_needed(a.value) is None]
    focus = fw.aspect(min(inexact or result.aspects, key=lambda f: len(fw.aspect(f.id).items)).id)
    item_terms = [(Fraction(levels.get(i, empty)), scheme.items[i] * 100) for i in focus.items]
    domain = guide.domain_of(focus)
    domain_terms = [(by_id[a], scheme.aspects[a] * 100) for a in domain.aspects] if domain else []
    if fw.domains:
        shares = [(scheme.domains[d.id], d.value) for d in result.domains]
    else:
        shares = [(scheme.aspects[a.id], a.value) for a in result.aspects]
    return {
        "result": result,
        "levels": {i: value_text(levels.get(i, empty)) for i in fw.item_ids},
        "scheme": scheme,
        "instansi": instansi,
        "tahun": tahun,
        "example_file": example_file,
        "focus": focus,
        "focus_value": by_id[focus.id],
        "item_mean": mean_text(item_terms),
        "focus_domain": domain,
        "domain_value": next((d.value for d in result.domains if domain and d.id == domain.id), 0),
        "domain_mean": mean_text(domain_terms) if domain_terms else "",
        "shares": shares,
        "direct": direct,
        "half_up": f"{format_number(HALF_UP_DEMO, 3)} → {format_number(HALF_UP_DEMO)}",
        "rounding": rounding_demo(fw, fw.scheme()),
        "bands": predikat_bands(fw),
        "predikat_example": predikat_example(fw, result.published),
        "scheme_results": [(s, score(fw, levels, s.id)) for s in fw.schemes],
        "differing": [
            (aspect, [s.aspects[aspect.id] for s in fw.schemes])
            for aspect in fw.aspects
            if len({s.aspects[aspect.id] for s in fw.schemes}) > 1
        ],
        "uneven": [
            a.id
            for a in fw.aspects
            if len({tuple(s.items[i] / s.aspects[a.id] for i in a.items) for s in fw.schemes}) > 1
        ],
        "count_word": {1: "Satu", 2: "Dua", 3: "Tiga", 4: "Empat", 5: "Lima"},
    }


@dataclass(frozen=True)
class RoundingDemo:
    domain: Domain
    levels: Mapping[str, int]
    figures: Sequence[Any]
    exact_mean: str
    exact_value: Fraction
    rounded_mean: str
    rounded_value: Fraction


def rounding_demo(fw: Framework, scheme: Scheme) -> RoundingDemo | None:
    """Find the simplest levels where rounding aspects first changes a domain's figure.

    Items are at a low level, some raised by one; the fewest raised items win. This keeps the
    demonstration computed from the data instead of hard-coding one framework's numbers."""
    base = min(fw.min_level + 2, fw.max_level - 1)
    candidates: list[tuple[int, Domain, dict[str, int]]] = []
    for domain in fw.domains:
        aspects = [fw.aspect(a) for a in domain.aspects]
        for raised in product(*(range(len(a.items) + 1) for a in aspects)):
            levels = {
                item: base + (n < k)
                for aspect, k in zip(aspects, raised, strict=True)
                for n, item in enumerate(aspect.items)
            }
            candidates.append((sum(raised), domain, levels))
    candidates.sort(key=lambda c: c[0])  # stable: framework order within the same count
    for _, domain, levels in candidates:
        result = score(fw, levels, scheme.id)
        value = next(d.value for d in result.domains if d.id == domain.id)
        figures = [a for a in result.aspects if a.domain == domain.id]
        weights = [scheme.aspects[a.id] * 100 for a in figures]
        rounded_terms = [(Fraction(a.published), w) for a, w in zip(figures, weights, strict=True)]
        rounded = sum((v * w for v, w in rounded_terms), Fraction(0)) / sum(weights, Fraction(0))
        if publish(rounded) == publish(value):
            continue
        exact_terms = [(a.value, w) for a, w in zip(figures, weights, strict=True)]
        return RoundingDemo(
            domain=domain,
            levels=levels,
            figures=figures,
            exact_mean=mean_text(exact_terms),
            exact_value=value,
            rounded_mean=mean_text(rounded_terms, [format_number(v) for v, _ in rounded_terms]),
            rounded_value=rounded,
        )
    return None


def predikat_bands(fw: Framework) -> list[tuple[str, Decimal, Decimal]]:
    """(name, lowest, highest published index) per band, highest band first."""
    step = Decimal(1).scaleb(-2)  # published figures have 2 decimals
    rows = []
    upper = Decimal(fw.max_level)
    for band in fw.predikat:
        rows.append((band.name, band.min, upper))
        upper = band.min - step
    return rows


def predikat_example(fw: Framework, published_index: Decimal) -> tuple[Fraction, str, str] | None:
    """An exact index just under a band's lower bound that the rounding lifts into the band:
    (index, its predikat, the band below)."""
    bands = list(fw.predikat)
    lifted = list(range(len(bands) - 1))  # every band with one below it
    if not lifted:
        return None
    above = [n for n in lifted if bands[n].min > published_index]
    n = (above or lifted)[-1]  # the nearest band above the example, else the lowest
    value = Fraction(bands[n].min) - Fraction(5, 1000)  # half a unit of the 2nd decimal
    return value, predikat(fw, publish(value)), bands[n + 1].name


BAR_WIDTH = 20  # characters of the heaviest indicator's bar


@dataclass(frozen=True)
class WeightRow:
    rank: int
    indicator: Indicator
    share: Fraction
    bar: Markup  # a text bar, hidden from screen readers: the percentage says it


def weight_bar(share: Fraction, heaviest: Fraction) -> Markup:
    """'████…' proportional to the heaviest weight (at least one block), with no JavaScript."""
    blocks = max(1, round(share / heaviest * BAR_WIDTH))
    return Markup('<span class="bobot-batang" aria-hidden="true">{}</span>').format("█" * blocks)


def weight_ranking(guide: Guide, scheme: Scheme) -> list[WeightRow]:
    """The indicators heaviest first (framework order among equals), when weights differ;
    [] when every indicator weighs the same (nothing to compare)."""
    shares = [(i, guide.indicator_share(i, scheme)) for i in guide.fw.indicators]
    if len({share for _, share in shares}) < 2:
        return []
    heaviest = max(share for _, share in shares)
    ordered = sorted(shares, key=lambda pair: -pair[1])  # stable: framework order kept
    # Equal weights share a rank (1, 2, 3, 3, 3, 6, …).
    return [
        WeightRow(
            1 + sum(other > share for _, other in shares),
            indicator,
            share,
            weight_bar(share, heaviest),
        )
        for indicator, share in ordered
    ]


def bobot_context(guide: Guide, entry: object) -> dict[str, object]:
    fw = guide.fw
    default = fw.scheme()
    inexact = [
        i for i in fw.item_ids if places_needed(item_weight(fw, i, default.id) * 100, 2) is None
    ]
    return {
        "default": default,
        "ranking": weight_ranking(guide, default),
        "first_weight": item_weight(fw, fw.items[0].id, default.id),
        "inexact_item": inexact[0] if inexact else "",
    }


# --- The page table ---------------------------------------------------------------------------

Entries: TypeAlias = Callable[[Framework], Sequence[Any]]


@dataclass(frozen=True)
class PageSpec:
    """One generated page (or one per entry): where, from which template, with what context."""

    path: str  # under the framework's prefix; {id} is the entry's id
    template: str
    context: Callable[[Guide, Any], dict[str, object]]
    title: Callable[[Framework, Any], str]  # plain text, for the redirect page's link
    entries: Entries | None = None  # one page per entry; None: one page
    legacy: bool = True  # the guide had this page without a prefix: keep a redirect there


def domain_title(domain: Domain) -> str:
    return f"Domain {domain.id}: {domain.name}"


def aspect_title(aspect: Aspect) -> str:
    return f"Aspek {aspect.id}: {aspect.name}"


def indicator_number(indicator: Indicator) -> str:
    """'5 (3.1)' when the data has a second numbering, else the id."""
    if indicator.number and indicator.number != indicator.id:
        return f"{indicator.id} ({indicator.number})"
    return indicator.id


def indicator_title(indicator: Indicator) -> str:
    return f"Indikator {indicator_number(indicator)}: {indicator.name}"


PAGES: tuple[PageSpec, ...] = (
    PageSpec("index.md", "ikhtisar.md.j2", plain_context, lambda fw, _: fw.name, legacy=False),
    PageSpec("metode.md", "metode.md.j2", metode_context, lambda fw, _: "Metode perhitungan"),
    PageSpec("bobot.md", "bobot.md.j2", bobot_context, lambda fw, _: "Bobot"),
    PageSpec("indikator/index.md", "indikator-daftar.md.j2", plain_context, lambda *_: "Indikator"),
    PageSpec(
        "domain/{id}.md",
        "domain.md.j2",
        entry_context,
        lambda _, d: domain_title(d),
        lambda fw: fw.domains,
    ),
    PageSpec(
        "aspek/{id}.md",
        "aspek.md.j2",
        entry_context,
        lambda _, a: aspect_title(a),
        lambda fw: fw.aspects,
    ),
    PageSpec(
        "indikator/{id}.md",
        "indikator.md.j2",
        entry_context,
        lambda _, i: indicator_title(i),
        lambda fw: fw.indicators,
    ),
)


@dataclass(frozen=True)
class Page:
    path: str  # relative to the docs_dir, e.g. 5-2018/indikator/1.md
    spec: PageSpec
    entry: Any
    title: str


def page_list(fw: Framework, specs: Sequence[PageSpec] = PAGES) -> list[Page]:
    """Every page of one framework, in table order."""
    out = []
    for spec in specs:
        for entry in spec.entries(fw) if spec.entries else [None]:
            path = spec.path.format(id=entry.id) if entry is not None else spec.path
            out.append(Page(f"{fw.slug}/{path}", spec, entry, spec.title(fw, entry)))
    return out


def framework_pages(
    fw: Framework,
    specs: Sequence[PageSpec] = PAGES,
    family: Sequence[Framework] | None = None,
) -> dict[str, str]:
    """The Markdown of every page of one framework, by path relative to the docs_dir.

    `family`: every framework of the site, for the links between them (default: the shipped
    frameworks, plus `fw` when it is not one of them)."""
    if family is None:
        family = frameworks()
    if fw.id not in {f.id for f in family}:
        family = [*family, fw]
    guide = Guide(fw, tuple(family))
    out = {}
    for page in page_list(fw, specs):
        depth = page.path.count("/")
        context = {
            "fw": fw,
            "g": guide,
            "title": page.title,
            "root": "../" * depth,  # from this page to the docs_dir
            "calculator": "../" * depth + build_calculator.page_name(fw),
            **page.spec.context(guide, page.entry),
        }
        if page.path in out:  # e.g. an indicator with the id "index"
            raise SystemExit(f"gen_pages: two pages of {fw.id} would be {page.path}")
        out[page.path] = render(page.spec.template, context)
    return out


# --- Redirects of the old URLs ----------------------------------------------------------------


def redirect_pages(fw: Framework) -> dict[str, str]:
    """A redirect page at each old URL of `fw`'s pages (before each framework had a prefix):
    old indikator/1/ → <slug>/indikator/1/. Meta refresh and a visible link: works without JS."""
    out = {}
    for page in page_list(fw):
        if not page.spec.legacy:
            continue
        old = build_calculator.page_url(page.path.removeprefix(f"{fw.slug}/"))
        target = "../" * old.count("/") + build_calculator.page_url(page.path)
        out[f"{old}index.html"] = render(
            "redirect.html.j2", {"target": url(target), "title": page.title}
        )
    return out


def legacy_framework(frameworks: Sequence[Framework]) -> Framework:
    """The framework whose pages had unprefixed URLs, named by mkdocs.yml's extra.legacy_slug."""
    slug = read_mkdocs_yml().get("extra", {}).get("legacy_slug")
    found = [fw for fw in frameworks if fw.slug == slug]
    if len(found) != 1:
        known = ", ".join(fw.slug for fw in frameworks)
        raise SystemExit(f"gen_pages: mkdocs.yml extra.legacy_slug {slug!r} is not one of {known}")
    return found[0]


# --- Nav and MkDocs config --------------------------------------------------------------------


def nav_title(text: str) -> str:
    return html.escape(text, quote=False)  # nav titles reach the theme's HTML unescaped


def framework_nav(fw: Framework) -> NavItem:
    """One framework's tab: overview, Metode, Bobot and the indicators by domain and aspect."""
    slug = fw.slug
    guide = Guide(fw)

    def aspect_section(aspect: Aspect) -> NavItem:
        pages: list[NavItem] = [{f"Ikhtisar aspek {aspect.id}": f"{slug}/aspek/{aspect.id}.md"}]
        pages += [
            {nav_title(f"{i.id}. {i.label}"): f"{slug}/indikator/{i.id}.md"}
            for i in guide.indicators_of(aspect)
        ]
        return {nav_title(f"Aspek {aspect.id}: {aspect.label}"): pages}

    indicators: list[NavItem] = [f"{slug}/indikator/index.md"]
    if fw.domains:
        for domain in fw.domains:
            section: list[NavItem] = [
                {f"Ikhtisar domain {domain.id}": f"{slug}/domain/{domain.id}.md"}
            ]
            section += [aspect_section(a) for a in guide.aspects_of(domain)]
            indicators.append({nav_title(f"Domain {domain.id}: {domain.name}"): section})
    else:
        indicators += [aspect_section(a) for a in fw.aspects]
    return {
        nav_title(fw.short_name): [
            f"{slug}/index.md",
            {"Metode": f"{slug}/metode.md"},
            {"Bobot": f"{slug}/bobot.md"},
            {"Indikator": indicators},
        ]
    }


def nav(frameworks: Sequence[Framework]) -> list[NavItem]:
    """The whole site's nav: hand-written pages and every framework's tab, in reading order."""
    guide: list[NavItem] = [{title: path} for title, path in GUIDE_PAGES]
    later: list[NavItem] = [{title: path} for title, path in LATER_PAGES]
    tabs = [framework_nav(fw) for fw in frameworks]
    calculators: list[NavItem] = [
        {nav_title(fw.short_name): build_calculator.page_name(fw)} for fw in frameworks
    ]
    return [{"Beranda": "index.md"}, {"Panduan": guide}, *tabs, {"Kalkulator": calculators}, *later]


class _MkDocsLoader(yaml.SafeLoader):
    """Reads mkdocs.yml; MkDocs' own tags (!ENV) are left to MkDocs."""


_MkDocsLoader.add_multi_constructor("!", lambda loader, suffix, node: None)


def read_mkdocs_yml() -> dict[str, Any]:
    data: dict[str, Any] = yaml.load(MKDOCS_YML.read_text(encoding="utf-8"), _MkDocsLoader)
    return data


def mkdocs_config(frameworks: Sequence[Framework], config: Path) -> str:
    """The text of `config` (build/mkdocs.yml): inherits mkdocs.yml and sets the docs_dir, the
    site_dir and the nav; paths in it are relative to its folder."""
    here = config.parent

    def rel(path: Path) -> str:
        return Path(os.path.relpath(path, here)).as_posix()

    theme_dir = read_mkdocs_yml()["theme"]["custom_dir"]
    data = {
        "INHERIT": rel(MKDOCS_YML),
        "docs_dir": rel(DOCS_DIR),
        "site_dir": rel(SITE),
        # MkDocs resolves the inherited custom_dir against this file, not mkdocs.yml.
        "theme": {"custom_dir": rel(ROOT / theme_dir)},
        "nav": nav(frameworks),
    }
    header = (
        "# Generated by scripts/gen_pages.py from mkdocs.yml and spbe_core data; do not edit.\n"
    )
    return header + yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=1000)


# --- Output -----------------------------------------------------------------------------------


def frameworks() -> list[Framework]:
    return [load_framework(framework_id) for framework_id in available_frameworks()]


def outputs(fws: Sequence[Framework]) -> dict[str, str]:
    """Every generated file of the docs_dir, by path relative to it."""
    out: dict[str, str] = {}
    for fw in fws:
        out.update(framework_pages(fw, family=fws))
    out.update(redirect_pages(legacy_framework(fws)))
    return out


def write(files: Mapping[str, str], docs_dir: Path) -> None:
    """Write the generated files into the assembled docs_dir; a name taken by a hand-written
    page (or by another generated file) is a mistake, not something to overwrite."""
    for name, text in files.items():
        path = docs_dir / name
        if path.exists():
            raise SystemExit(f"gen_pages: {path} exists already (hand-written?); not overwriting")
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def assemble(docs_dir: Path) -> None:
    """Start the docs_dir afresh from the hand-written pages ("_" names are not pages)."""
    shutil.rmtree(docs_dir, ignore_errors=True)
    shutil.copytree(DOCS, docs_dir, ignore=shutil.ignore_patterns("_*"))


def main() -> None:
    """Assemble the docs_dir (hand-written pages, every framework's pages, the redirects of the
    old URLs), then write the MkDocs config."""
    fws = frameworks()
    slugs = [fw.slug for fw in fws]
    if len(set(slugs)) != len(slugs):
        raise SystemExit(f"gen_pages: two frameworks share a slug: {slugs}")
    assemble(DOCS_DIR)
    write(outputs(fws), DOCS_DIR)
    CONFIG.parent.mkdir(parents=True, exist_ok=True)
    CONFIG.write_text(mkdocs_config(fws, CONFIG), encoding="utf-8")


def clean() -> None:
    """Remove the assembled docs_dir (the calculator's files in it too) and the config."""
    shutil.rmtree(DOCS_DIR, ignore_errors=True)
    CONFIG.unlink(missing_ok=True)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--clean", action="store_true", help="remove the generated files")
    if parser.parse_args().clean:
        clean()
    else:
        main()

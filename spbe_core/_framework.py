"""The framework as data: loading, validating and looking up a framework file."""

from __future__ import annotations

import json
import math
import os
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from functools import cache, cached_property
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from types import MappingProxyType
from typing import Any, TypeVar

SCHEMA = "spbe-framework/1"
# Extra folders of framework files (os.pathsep-separated), e.g. test frameworks for a site build.
PATH_VARIABLE = "SPBE_FRAMEWORK_PATH"
VALUE_KINDS = ("level", "decimal")


class FrameworkError(ValueError):
    """A framework data file is malformed or inconsistent."""


@dataclass(frozen=True)
class Model:
    """A maturity model (kapabilitas proses / kapabilitas fungsi teknis)."""

    id: str
    name: str
    description: str
    level_names: tuple[str, ...]  # one per level, min_level first; empty when not given


@dataclass(frozen=True)
class Domain:
    id: str
    name: str
    description: str
    aspects: tuple[str, ...]


@dataclass(frozen=True)
class Aspect:
    id: str
    domain: str  # "" when the framework has no domains
    name: str
    label: str
    indicators: tuple[str, ...]
    items: tuple[str, ...]


@dataclass(frozen=True)
class Item:
    """One scored answer. Most indicators have one item; indicator 35 has three."""

    id: str
    indicator: str
    aspect: str
    label: str


@dataclass(frozen=True)
class Indicator:
    id: str
    aspect: str
    name: str
    label: str
    model: str
    summary: str
    criteria: tuple[str, ...]  # one per level, min_level first; empty when not available
    evidence: tuple[str, ...]
    items: tuple[str, ...]
    note: str = ""
    number: str = ""  # display numbering, e.g. "3.2"; empty: the id
    aliases: tuple[str, ...] = ()
    source_index: str = ""  # another agency's index the value comes from
    continues: tuple[str, ...] = ()  # "framework-id:indicator-id" subject links (inferred)


@dataclass(frozen=True)
class Scheme:
    """A named weight set. Weights are exact shares of the whole index (they sum to 1)."""

    id: str
    name: str
    description: str
    source: str
    items: Mapping[str, Fraction] = field(repr=False)
    aspects: Mapping[str, Fraction] = field(repr=False)
    domains: Mapping[str, Fraction] = field(repr=False)

    @cached_property
    def unit(self) -> int:
        """Common denominator of the item weights: every weight is a whole number of 1/unit."""
        return math.lcm(*(w.denominator for w in self.items.values()))

    @cached_property
    def item_units(self) -> Mapping[str, int]:
        """Item weights as whole numbers of 1/unit, for fast exact integer sums."""
        return MappingProxyType({k: int(w * self.unit) for k, w in self.items.items()})


@dataclass(frozen=True)
class PredikatBand:
    name: str
    min: Decimal


@dataclass(frozen=True)
class PartialRule:
    """What an item left empty counts as, and how that is explained to users."""

    empty_value: int
    text: str


@dataclass(frozen=True)
class Framework:
    id: str
    name: str
    title: str
    slug: str  # URL prefix of the framework's guide pages
    short_name: str
    period: str
    index_name: str
    value_kind: str  # "level" (whole levels) or "decimal" (decimal values)
    partial: PartialRule
    min_level: int
    max_level: int
    default_scheme: str
    models: tuple[Model, ...]
    domains: tuple[Domain, ...]
    aspects: tuple[Aspect, ...]
    indicators: tuple[Indicator, ...]
    items: tuple[Item, ...]
    schemes: tuple[Scheme, ...]
    predikat: tuple[PredikatBand, ...]
    criteria_available: bool = True
    default: bool = False  # the framework used when none is named (exactly one has it)

    @property
    def decimal(self) -> bool:
        """Values are decimals (at most 4 places), not whole levels."""
        return self.value_kind == "decimal"

    def domain(self, domain_id: str) -> Domain:
        return _find(self._domains, domain_id, "domain")

    def aspect(self, aspect_id: str) -> Aspect:
        return _find(self._aspects, aspect_id, "aspek")

    def indicator(self, indicator_id: str) -> Indicator:
        return _find(self._indicators, indicator_id, "indikator")

    def item(self, item_id: str) -> Item:
        return _find(self._items, item_id, "butir")

    def model(self, model_id: str) -> Model:
        return _find(self._models, model_id, "model")

    def scheme(self, scheme_id: str | None = None) -> Scheme:
        return _find(self._schemes, scheme_id or self.default_scheme, "skema bobot")

    # Lookups run for every item of every calculator request: keep them O(1).
    @cached_property
    def _domains(self) -> dict[str, Domain]:
        return {e.id: e for e in self.domains}

    @cached_property
    def _aspects(self) -> dict[str, Aspect]:
        return {e.id: e for e in self.aspects}

    @cached_property
    def _indicators(self) -> dict[str, Indicator]:
        return {e.id: e for e in self.indicators}

    @cached_property
    def _items(self) -> dict[str, Item]:
        return {e.id: e for e in self.items}

    @cached_property
    def _models(self) -> dict[str, Model]:
        return {e.id: e for e in self.models}

    @cached_property
    def _schemes(self) -> dict[str, Scheme]:
        return {e.id: e for e in self.schemes}

    @cached_property
    def item_ids(self) -> tuple[str, ...]:
        return tuple(item.id for item in self.items)

    @cached_property
    def levels(self) -> range:
        return range(self.min_level, self.max_level + 1)


_Entry = TypeVar("_Entry", Model, Domain, Aspect, Indicator, Item, Scheme)


def _find(entries: dict[str, _Entry], wanted: str, kind: str) -> _Entry:
    try:
        return entries[wanted]
    except KeyError:
        known = ", ".join(entries)
        raise KeyError(f"{kind} tidak dikenal: {wanted!r} (yang ada: {known})") from None


# --- discovery --------------------------------------------------------------------------------


def _extra_folders() -> str:
    return os.environ.get(PATH_VARIABLE, "")


@cache
def _framework_files(extra: str) -> Mapping[str, Traversable]:
    """Framework id -> file: the package's frameworks, then each folder of `extra`.
    Read once per setting (the calculator checks every request against it, and listing a
    zipped package is slow in Pyodide)."""
    folders: list[Traversable] = [resources.files(__package__).joinpath("frameworks")]
    for name in extra.split(os.pathsep):
        if name:
            if not Path(name).is_dir():
                raise FrameworkError(f"{PATH_VARIABLE}: {name} bukan folder")
            folders.append(Path(name))
    found: dict[str, Traversable] = {}
    for folder in folders:
        for entry in sorted(folder.iterdir(), key=lambda e: e.name):
            if not entry.name.endswith(".toml") or entry.name.startswith("_"):
                continue
            framework_id = entry.name.removesuffix(".toml")
            if framework_id in found:
                raise FrameworkError(
                    f"{entry}: kerangka {framework_id!r} sudah ada di {found[framework_id]}"
                )
            found[framework_id] = entry
    return MappingProxyType(dict(sorted(found.items())))


def available_frameworks() -> tuple[str, ...]:
    """Ids of the framework files (shipped, then from SPBE_FRAMEWORK_PATH), sorted."""
    return tuple(_framework_files(_extra_folders()))


def load_framework(framework_id: str | None = None) -> Framework:
    """Load and validate a framework by id; None: the default framework (`default = true`)."""
    extra = _extra_folders()
    if framework_id is None:
        framework_id = _default_id(extra)
    return _load(extra, framework_id)


def default_framework() -> Framework:
    """The framework marked `default = true` (exactly one may be)."""
    return load_framework()


@cache
def _load(extra: str, framework_id: str) -> Framework:
    files = _framework_files(extra)
    if framework_id not in files:
        known = ", ".join(files)
        raise KeyError(f"kerangka tidak dikenal: {framework_id!r} (yang tersedia: {known})")
    file = files[framework_id]
    framework = parse_framework(file.read_text(encoding="utf-8"), source=file.name)
    if framework.id != framework_id:
        raise FrameworkError(
            f"{file.name}: id: harus sama dengan nama berkas ({framework_id!r}), "
            f"bukan {framework.id!r}"
        )
    return framework


@cache
def _default_id(extra: str) -> str:
    marked = [fid for fid in _framework_files(extra) if _load(extra, fid).default]
    if len(marked) != 1:
        raise FrameworkError(
            f"tepat satu kerangka harus bertanda default = true, bukan {len(marked)}"
            + (f" ({', '.join(marked)})" if marked else "")
        )
    return marked[0]


# --- parsing ----------------------------------------------------------------------------------


def parse_framework(text: str, source: str = "kerangka") -> Framework:
    """Build a Framework from TOML text, checking every key, cross-reference and weight.

    `source` names the file in messages, e.g. "x.toml: indicators[3].summary: kunci wajib
    tidak ada" (array positions count from 0)."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise FrameworkError(f"{source}: TOML tidak sah: {exc}") from exc
    if data.get("schema") != SCHEMA:
        raise FrameworkError(f"{source}: schema: harus {SCHEMA!r}, bukan {data.get('schema')!r}")
    return _Builder(_Table(data, "", source)).build()


def _show(value: object) -> str:
    """A short, JSON-like rendering of a bad value for messages (files and frameworks)."""
    if isinstance(value, float | Decimal):
        text = str(value) if isinstance(value, Decimal) else repr(value)
    else:
        text = json.dumps(value, ensure_ascii=False, default=_jsonable)
    return text if len(text) <= 40 else text[:37] + "…"


def _jsonable(value: object) -> object:
    # Nested Decimals (exactly read JSON numbers) as numbers; TOML dates as text.
    return float(value) if isinstance(value, Decimal) else str(value)


class _Table:
    """One TOML table with its key path: typed reads with located messages; `close` rejects
    every key that was never read (a typo must not be silently ignored)."""

    def __init__(self, data: object, path: str, source: str) -> None:
        self.path, self.source = path, source
        if not isinstance(data, dict):
            raise FrameworkError(f"{source}: {path}: harus tabel, bukan {_show(data)}")
        self.data: dict[str, Any] = data
        self.known: set[str] = set()

    def at(self, key: str) -> str:
        return ".".join(part for part in (self.path, key) if part)

    def error(self, key: str, message: str) -> FrameworkError:
        return FrameworkError(f"{self.source}: {self.at(key)}: {message}")

    def has(self, key: str) -> bool:
        self.known.add(key)
        return key in self.data

    def raw(self, key: str) -> Any:
        if not self.has(key):
            raise self.error(key, "kunci wajib tidak ada")
        return self.data[key]

    def text(self, key: str, default: str | None = None) -> str:
        """A non-empty text, stripped; optional when `default` is given."""
        if default is not None and not self.has(key):
            return default
        value = self.raw(key)
        if not isinstance(value, str) or not value.strip():
            raise self.error(key, f"harus teks yang tidak kosong, bukan {_show(value)}")
        return value.strip()

    def integer(self, key: str) -> int:
        value = self.raw(key)
        if isinstance(value, bool) or not isinstance(value, int):
            raise self.error(key, f"harus bilangan bulat, bukan {_show(value)}")
        return value

    def boolean(self, key: str, default: bool) -> bool:
        if not self.has(key):
            return default
        value = self.data[key]
        if not isinstance(value, bool):
            raise self.error(key, f"harus true atau false, bukan {_show(value)}")
        return value

    def texts(self, key: str, *, required: bool = True) -> tuple[str, ...]:
        if not required and not self.has(key):
            return ()
        value = self.raw(key)
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
            raise self.error(key, "harus daftar teks yang tidak kosong")
        return tuple(v.strip() for v in value)

    def table(self, key: str) -> _Table:
        return _Table(self.raw(key), self.at(key), self.source)

    def tables(self, key: str, *, required: bool = True) -> list[_Table]:
        """An array of tables ([[key]]); at least one entry when required."""
        if not required and not self.has(key):
            return []
        value = self.raw(key)
        if not isinstance(value, list) or (required and not value):
            raise self.error(key, "harus daftar tabel ([[...]]) yang berisi sedikitnya satu")
        return [_Table(v, f"{self.at(key)}[{n}]", self.source) for n, v in enumerate(value)]

    def close(self) -> None:
        for key in self.data:
            if key not in self.known:
                allowed = ", ".join(sorted(self.known))
                raise self.error(key, f"kunci tidak dikenal (yang dikenal: {allowed})")


def _unique(tables: list[_Table], ids: list[str], kind: str, key: str = "id") -> None:
    seen: dict[str, str] = {}
    for table, entry in zip(tables, ids, strict=True):
        if entry in seen:
            raise table.error(key, f"{kind} {entry!r} sudah dipakai di {seen[entry]}")
        seen[entry] = table.path


def _weight(table: _Table, key: str) -> Fraction:
    # Floats are refused on purpose: 3.3333 in a data file would silently break the sum of 100.
    value = table.raw(key)
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise table.error(key, f"bobot harus bilangan bulat atau teks pecahan, bukan {value!r}")
    try:
        weight = Fraction(value)
    except (ValueError, ZeroDivisionError):
        raise table.error(key, f"bobot tidak sah: {value!r}") from None
    if weight <= 0:
        raise table.error(key, "bobot harus lebih dari 0")
    return weight


_LINK = re.compile(r"[^:\s]+:[^:\s]+")


class _Builder:
    def __init__(self, top: _Table) -> None:
        self.top = top

    def build(self) -> Framework:
        top = self.top
        top.has("schema")
        min_level, max_level = top.integer("min_level"), top.integer("max_level")
        if min_level >= max_level:
            raise top.error("max_level", f"harus lebih besar dari min_level ({min_level})")
        self.levels = range(min_level, max_level + 1)
        value_kind = top.text("value_kind")
        if value_kind not in VALUE_KINDS:
            raise top.error("value_kind", f"harus {' atau '.join(map(repr, VALUE_KINDS))}")
        self.criteria_available = top.boolean("criteria_available", True)
        partial = top.table("partial")
        empty_value = partial.integer("empty_value")
        if empty_value not in self.levels:
            raise partial.error("empty_value", f"harus di antara {min_level} dan {max_level}")
        partial_rule = PartialRule(empty_value, partial.text("text"))
        partial.close()
        models = self._models()
        indicators, items = self._indicators({m.id for m in models})
        has_domains = top.has("domains")
        aspects = self._aspects(indicators, items, has_domains)
        domains = self._domains(aspects) if has_domains else ()
        schemes = self._schemes(aspects, domains, {i.id for i in items})
        default_scheme = top.text("default_scheme")
        if default_scheme not in {s.id for s in schemes}:
            known = ", ".join(s.id for s in schemes)
            raise top.error(
                "default_scheme", f"skema {default_scheme!r} tidak dikenal (yang ada: {known})"
            )
        framework = Framework(
            id=top.text("id"),
            name=top.text("name"),
            title=top.text("title"),
            slug=top.text("slug"),
            short_name=top.text("short_name"),
            period=top.text("period"),
            index_name=top.text("index_name"),
            value_kind=value_kind,
            partial=partial_rule,
            min_level=min_level,
            max_level=max_level,
            default_scheme=default_scheme,
            models=models,
            domains=domains,
            aspects=aspects,
            indicators=indicators,
            items=items,
            schemes=schemes,
            predikat=self._predikat(),
            criteria_available=self.criteria_available,
            default=top.boolean("default", False),
        )
        top.close()
        return framework

    def _level_texts(self, table: _Table, key: str) -> tuple[str, ...]:
        """One text per level (level names, criteria)."""
        texts = table.texts(key)
        if len(texts) != len(self.levels):
            raise table.error(
                key,
                f"harus {len(self.levels)} teks, satu per level "
                f"{self.levels[0]}–{self.levels[-1]}, bukan {len(texts)}",
            )
        return texts

    def _models(self) -> tuple[Model, ...]:
        tables = self.top.tables("models")
        models = []
        for t in tables:
            names = self._level_texts(t, "level_names") if t.has("level_names") else ()
            models.append(Model(t.text("id"), t.text("name"), t.text("description"), names))
            t.close()
        _unique(tables, [m.id for m in models], "model")
        return tuple(models)

    def _indicators(self, model_ids: set[str]) -> tuple[tuple[Indicator, ...], tuple[Item, ...]]:
        tables = self.top.tables("indicators")
        indicators: list[Indicator] = []
        items: list[Item] = []
        item_tables: list[_Table] = []
        for t in tables:
            indicator_id, aspect, name = t.text("id"), t.text("aspect"), t.text("name")
            model = t.text("model")
            if model not in model_ids:
                raise t.error("model", f"model {model!r} tidak dikenal")
            if self.criteria_available:
                criteria = self._level_texts(t, "criteria")
            elif t.has("criteria"):
                raise t.error(
                    "criteria", "tidak boleh ada: kerangka ini criteria_available = false"
                )
            else:
                criteria = ()
            own_tables = t.tables("items", required=False)
            own = []
            for it in own_tables:
                own.append(Item(it.text("id"), indicator_id, aspect, it.text("label")))
                it.close()
            if not own:
                own, own_tables = [Item(indicator_id, indicator_id, aspect, name)], [t]
            items += own
            item_tables += own_tables
            indicators.append(
                Indicator(
                    id=indicator_id,
                    aspect=aspect,
                    name=name,
                    label=t.text("label"),
                    model=model,
                    summary=t.text("summary"),
                    criteria=criteria,
                    evidence=t.texts("evidence"),
                    items=tuple(it.id for it in own),
                    note=t.text("note", ""),
                    number=t.text("number", ""),
                    aliases=t.texts("aliases", required=False),
                    source_index=t.text("source_index", ""),
                    continues=self._links(t),
                )
            )
            t.close()
        _unique(tables, [i.id for i in indicators], "indikator")
        _unique(item_tables, [i.id for i in items], "butir")
        return tuple(indicators), tuple(items)

    @staticmethod
    def _links(table: _Table) -> tuple[str, ...]:
        links = table.texts("continues", required=False)
        for link in links:
            if not _LINK.fullmatch(link):
                raise table.error(
                    "continues", f'{link!r}: harus "id-kerangka:id-indikator", mis. "lain-2020:3"'
                )
        return links

    def _aspects(
        self, indicators: tuple[Indicator, ...], items: tuple[Item, ...], has_domains: bool
    ) -> tuple[Aspect, ...]:
        tables = self.top.tables("aspects")
        aspects = []
        for t in tables:
            if has_domains:
                domain = t.text("domain")
            elif t.has("domain"):
                raise t.error("domain", "tidak boleh ada: kerangka ini tidak punya [[domains]]")
            else:
                domain = ""
            aspect_id, name = t.text("id"), t.text("name")
            aspect = Aspect(
                aspect_id,
                domain,
                name,
                t.text("label", name),
                tuple(i.id for i in indicators if i.aspect == aspect_id),
                tuple(i.id for i in items if i.aspect == aspect_id),
            )
            if not aspect.items:
                raise t.error("id", f"aspek {aspect_id!r} tidak punya indikator")
            aspects.append(aspect)
            t.close()
        _unique(tables, [a.id for a in aspects], "aspek")
        known = {a.id for a in aspects}
        for n, indicator in enumerate(indicators):
            if indicator.aspect not in known:
                raise FrameworkError(
                    f"{self.top.source}: indicators[{n}].aspect: "
                    f"aspek {indicator.aspect!r} tidak dikenal"
                )
        return tuple(aspects)

    def _domains(self, aspects: tuple[Aspect, ...]) -> tuple[Domain, ...]:
        tables = self.top.tables("domains")
        ids = [t.text("id") for t in tables]
        _unique(tables, ids, "domain")
        for n, aspect in enumerate(aspects):
            if aspect.domain not in ids:
                raise FrameworkError(
                    f"{self.top.source}: aspects[{n}].domain: "
                    f"domain {aspect.domain!r} tidak dikenal"
                )
        domains = []
        for t, domain_id in zip(tables, ids, strict=True):
            domain = Domain(
                domain_id,
                t.text("name"),
                t.text("description", ""),
                tuple(a.id for a in aspects if a.domain == domain_id),
            )
            if not domain.aspects:
                raise t.error("id", f"domain {domain_id!r} tidak punya aspek")
            domains.append(domain)
            t.close()
        return tuple(domains)

    def _schemes(
        self, aspects: tuple[Aspect, ...], domains: tuple[Domain, ...], item_ids: set[str]
    ) -> tuple[Scheme, ...]:
        tables = self.top.tables("schemes")
        schemes = tuple(self._scheme(t, aspects, domains, item_ids) for t in tables)
        _unique(tables, [s.id for s in schemes], "skema")
        return schemes

    def _scheme(
        self,
        t: _Table,
        aspects: tuple[Aspect, ...],
        domains: tuple[Domain, ...],
        item_ids: set[str],
    ) -> Scheme:
        raw_aspects = t.table("aspects")
        percent = {a.id: _weight(raw_aspects, a.id) for a in aspects}
        raw_aspects.close()  # a weight for an unknown aspect
        if sum(percent.values()) != 100:
            raise raw_aspects.error("", f"bobot aspek berjumlah {sum(percent.values())}, bukan 100")
        item_percent: dict[str, Fraction] = {}
        if t.has("items"):
            raw_items = t.table("items")
            for aspect in aspects:
                own = {i: _weight(raw_items, i) for i in aspect.items}
                if sum(own.values()) != percent[aspect.id]:
                    raise raw_items.error(
                        "",
                        f"bobot butir aspek {aspect.id} berjumlah {sum(own.values())}, "
                        f"bukan {percent[aspect.id]}",
                    )
                item_percent.update(own)
            raw_items.close()
        else:  # split equally within each aspect
            for aspect in aspects:
                share = percent[aspect.id] / len(aspect.items)
                item_percent.update((item, share) for item in aspect.items)
        scheme = Scheme(
            id=t.text("id"),
            name=t.text("name"),
            description=t.text("description"),
            source=t.text("source", ""),
            items=MappingProxyType({k: v / 100 for k, v in item_percent.items()}),
            aspects=MappingProxyType({k: v / 100 for k, v in percent.items()}),
            domains=MappingProxyType(
                {d.id: sum((percent[a] for a in d.aspects), Fraction(0)) / 100 for d in domains}
            ),
        )
        t.close()
        return scheme

    def _predikat(self) -> tuple[PredikatBand, ...]:
        """Bands highest first; the lowest covers the bottom of the scale (it may start below
        min_level, e.g. at 0), every other one starts inside the scale, so each is reachable."""
        lo, hi = self.levels[0], self.levels[-1]
        tables = self.top.tables("predikat")
        bands = []
        for t in tables:
            name, text = t.text("name"), t.text("min")
            try:
                minimum = Decimal(text)
            except InvalidOperation:
                minimum = Decimal("NaN")
            if not minimum.is_finite() or not 0 <= minimum <= hi:
                raise t.error("min", f'harus teks angka 0–{hi}, mis. "2.60", bukan {text!r}')
            bands.append(PredikatBand(name, minimum))
            t.close()
        _unique(tables, [b.name for b in bands], "predikat", "name")
        mins = [b.min for b in bands]
        if mins != sorted(mins, reverse=True) or len(set(mins)) != len(mins):
            raise self.top.error("predikat", "harus urut dari batas bawah tertinggi ke terendah")
        if mins[-1] > lo:
            raise tables[-1].error(
                "min", f"predikat terendah harus mulai dari {lo} atau di bawahnya"
            )
        if len(mins) > 1 and mins[-2] <= lo:
            raise tables[-2].error(
                "min", f"harus di atas {lo}: hanya predikat terendah yang mencakup level {lo}"
            )
        return tuple(bands)

"""The framework as data: loading, validating and looking up a framework file."""

from __future__ import annotations

import math
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from functools import cache, cached_property
from importlib import resources
from types import MappingProxyType
from typing import Any, TypeVar

SCHEMA = "spbe-framework/1"


class FrameworkError(ValueError):
    """A framework data file is malformed or inconsistent."""


@dataclass(frozen=True)
class Model:
    """A maturity model (kapabilitas proses / kapabilitas fungsi teknis)."""

    id: str
    name: str
    description: str
    level_names: tuple[str, ...]


@dataclass(frozen=True)
class Domain:
    id: str
    name: str
    description: str
    aspects: tuple[str, ...]


@dataclass(frozen=True)
class Aspect:
    id: str
    domain: str
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
    criteria: tuple[str, ...]
    evidence: tuple[str, ...]
    items: tuple[str, ...]
    note: str = ""


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


@cache
def available_frameworks() -> tuple[str, ...]:
    """Ids of the framework files shipped in the package, sorted (read once: the calculator
    checks every request against it, and listing a zipped package is slow in Pyodide)."""
    folder = resources.files(__package__).joinpath("frameworks")
    return tuple(
        sorted(
            entry.name.removesuffix(".toml")
            for entry in folder.iterdir()
            if entry.name.endswith(".toml") and not entry.name.startswith("_")
        )
    )


@cache
def load_framework(framework_id: str = "permenpan-5-2018") -> Framework:
    """Load and validate a shipped framework by id."""
    if framework_id not in available_frameworks():
        known = ", ".join(available_frameworks())
        raise KeyError(f"kerangka tidak dikenal: {framework_id!r} (yang tersedia: {known})")
    path = resources.files(__package__).joinpath("frameworks", f"{framework_id}.toml")
    return parse_framework(path.read_text(encoding="utf-8"))


def parse_framework(text: str) -> Framework:
    """Build a Framework from TOML text, checking every cross-reference and weight."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise FrameworkError(f"TOML tidak sah: {exc}") from exc
    if data.get("schema") != SCHEMA:
        raise FrameworkError(f"schema harus {SCHEMA!r}")
    return _Builder(data).build()


def _weight(value: Any, where: str) -> Fraction:
    # Floats are refused on purpose: 3.3333 in a data file would silently break the sum of 100.
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise FrameworkError(
            f"{where}: bobot harus bilangan bulat atau teks pecahan, bukan {value!r}"
        )
    try:
        weight = Fraction(value)
    except (ValueError, ZeroDivisionError) as exc:
        raise FrameworkError(f"{where}: bobot tidak sah: {value!r}") from exc
    if weight < 0:
        raise FrameworkError(f"{where}: bobot tidak boleh negatif")
    return weight


class _Builder:
    def __init__(self, data: dict[str, Any]) -> None:
        self.data = data

    def build(self) -> Framework:
        data = self.data
        models = tuple(
            Model(m["id"], m["name"], m["description"].strip(), tuple(m["level_names"]))
            for m in data["models"]
        )
        indicators, items = self._indicators({m.id for m in models})
        aspects = self._aspects(indicators, items)
        domains = tuple(
            Domain(
                d["id"],
                d["name"],
                d.get("description", ""),
                tuple(a.id for a in aspects if a.domain == d["id"]),
            )
            for d in data["domains"]
        )
        known_domains = {d.id for d in domains}
        for aspect in aspects:
            if aspect.domain not in known_domains:
                raise FrameworkError(f"aspek {aspect.id}: domain {aspect.domain!r} tidak dikenal")
        for domain in domains:
            if not domain.aspects:
                raise FrameworkError(f"domain {domain.id} tidak punya aspek")
        framework = Framework(
            id=data["id"],
            name=data["name"],
            title=data["title"],
            slug=data["slug"],
            short_name=data["short_name"],
            period=data["period"],
            index_name=data["index_name"],
            value_kind=data["value_kind"],
            partial=PartialRule(data["partial"]["empty_value"], data["partial"]["text"].strip()),
            min_level=data["min_level"],
            max_level=data["max_level"],
            default_scheme=data["default_scheme"],
            models=models,
            domains=domains,
            aspects=aspects,
            indicators=indicators,
            items=items,
            schemes=tuple(self._scheme(s, aspects, domains) for s in data["schemes"]),
            predikat=self._predikat(),
        )
        for indicator in indicators:
            expected = framework.max_level - framework.min_level + 1
            if len(indicator.criteria) != expected:
                raise FrameworkError(
                    f"indikator {indicator.id}: kriteria harus {expected} level, "
                    f"bukan {len(indicator.criteria)}"
                )
        framework.scheme()  # the default scheme must exist
        _check_unique("butir", [i.id for i in items])
        _check_unique("skema", [s.id for s in framework.schemes])
        return framework

    def _indicators(self, model_ids: set[str]) -> tuple[tuple[Indicator, ...], tuple[Item, ...]]:
        indicators: list[Indicator] = []
        items: list[Item] = []
        for raw in self.data["indicators"]:
            if raw["model"] not in model_ids:
                raise FrameworkError(f"indikator {raw['id']}: model {raw['model']!r} tidak dikenal")
            raw_items = raw.get("items") or [{"id": raw["id"], "label": raw["name"]}]
            own = [Item(it["id"], raw["id"], raw["aspect"], it["label"]) for it in raw_items]
            items.extend(own)
            indicators.append(
                Indicator(
                    id=raw["id"],
                    aspect=raw["aspect"],
                    name=raw["name"],
                    label=raw["label"],
                    model=raw["model"],
                    summary=raw["summary"].strip(),
                    criteria=tuple(c.strip() for c in raw["criteria"]),
                    evidence=tuple(raw["evidence"]),
                    items=tuple(it.id for it in own),
                    note=raw.get("note", "").strip(),
                )
            )
        _check_unique("indikator", [i.id for i in indicators])
        return tuple(indicators), tuple(items)

    def _aspects(
        self, indicators: tuple[Indicator, ...], items: tuple[Item, ...]
    ) -> tuple[Aspect, ...]:
        aspects = tuple(
            Aspect(
                a["id"],
                a["domain"],
                a["name"],
                a.get("label", a["name"]),
                tuple(i.id for i in indicators if i.aspect == a["id"]),
                tuple(i.id for i in items if i.aspect == a["id"]),
            )
            for a in self.data["aspects"]
        )
        known = {a.id for a in aspects}
        for indicator in indicators:
            if indicator.aspect not in known:
                raise FrameworkError(
                    f"indikator {indicator.id}: aspek {indicator.aspect!r} tidak dikenal"
                )
        for aspect in aspects:
            if not aspect.items:
                raise FrameworkError(f"aspek {aspect.id} tidak punya indikator")
        return aspects

    def _scheme(
        self, raw: dict[str, Any], aspects: tuple[Aspect, ...], domains: tuple[Domain, ...]
    ) -> Scheme:
        where = f"skema {raw['id']}"
        percent = {k: _weight(v, f"{where}.aspects.{k}") for k, v in raw["aspects"].items()}
        if set(percent) != {a.id for a in aspects}:
            raise FrameworkError(f"{where}: bobot aspek harus ada tepat untuk setiap aspek")
        if sum(percent.values()) != 100:
            raise FrameworkError(
                f"{where}: bobot aspek berjumlah {sum(percent.values())}, bukan 100"
            )
        raw_items = raw.get("items")
        item_percent: dict[str, Fraction] = {}
        for aspect in aspects:
            if raw_items is None:
                share = percent[aspect.id] / len(aspect.items)
                item_percent.update((item, share) for item in aspect.items)
                continue
            own = {
                i: _weight(raw_items[i], f"{where}.items.{i}")
                for i in aspect.items
                if i in raw_items
            }
            if len(own) != len(aspect.items):
                missing = [i for i in aspect.items if i not in own]
                raise FrameworkError(f"{where}: bobot butir belum ada untuk {', '.join(missing)}")
            if sum(own.values()) != percent[aspect.id]:
                raise FrameworkError(
                    f"{where}: bobot butir aspek {aspect.id} berjumlah {sum(own.values())}, "
                    f"bukan {percent[aspect.id]}"
                )
            item_percent.update(own)
        if raw_items is not None and set(raw_items) - set(item_percent):
            unknown = ", ".join(sorted(set(raw_items) - set(item_percent)))
            raise FrameworkError(f"{where}: bobot untuk butir yang tidak dikenal: {unknown}")
        domain_percent = {d.id: sum((percent[a] for a in d.aspects), Fraction(0)) for d in domains}
        return Scheme(
            id=raw["id"],
            name=raw["name"],
            description=raw["description"].strip(),
            source=raw.get("source", ""),
            items=MappingProxyType({k: v / 100 for k, v in item_percent.items()}),
            aspects=MappingProxyType({k: v / 100 for k, v in percent.items()}),
            domains=MappingProxyType({k: v / 100 for k, v in domain_percent.items()}),
        )

    def _predikat(self) -> tuple[PredikatBand, ...]:
        bands = tuple(PredikatBand(p["name"], Decimal(p["min"])) for p in self.data["predikat"])
        mins = [b.min for b in bands]
        if mins != sorted(mins, reverse=True) or len(set(mins)) != len(mins):
            raise FrameworkError("predikat harus urut dari batas bawah tertinggi ke terendah")
        if mins[-1] > self.data["min_level"]:
            raise FrameworkError("predikat terendah harus mencakup level terendah")
        return bands


def _check_unique(kind: str, ids: list[str]) -> None:
    seen: set[str] = set()
    for entry in ids:
        if entry in seen:
            raise FrameworkError(f"{kind} {entry} muncul lebih dari sekali")
        seen.add(entry)

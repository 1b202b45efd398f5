"""Exact scoring: item levels -> aspect, domain and Indeks SPBE, plus explanations."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from functools import cached_property
from typing import Any

from ._framework import Framework
from ._numbers import publish

Levels = Mapping[str, int]


@dataclass(frozen=True)
class Figure:
    """One computed index (aspect, domain): exact value plus its published form."""

    id: str
    name: str
    value: Fraction
    domain: str = ""

    @cached_property
    def published(self) -> Decimal:
        return publish(self.value)


@dataclass(frozen=True)
class Result:
    framework: str
    scheme: str
    index: Fraction
    predikat: str
    domains: tuple[Figure, ...]
    aspects: tuple[Figure, ...]
    missing: tuple[str, ...]

    @cached_property
    def published(self) -> Decimal:
        return publish(self.index)

    @property
    def complete(self) -> bool:
        return not self.missing

    def to_dict(self) -> dict[str, Any]:
        """The published result, as `spbe score --json` prints it."""
        return {
            "framework": self.framework,
            "scheme": self.scheme,
            "index": float(self.published),
            "predikat": self.predikat,
            "complete": self.complete,
            "missing": list(self.missing),
            "domains": [
                {"id": d.id, "name": d.name, "index": float(d.published)} for d in self.domains
            ],
            "aspects": [
                {"id": a.id, "name": a.name, "domain": a.domain, "index": float(a.published)}
                for a in self.aspects
            ],
        }


def predikat(framework: Framework, published_index: Decimal) -> str:
    """The predikat band of an index already rounded for publication."""
    for band in framework.predikat:
        if published_index >= band.min:
            return band.name
    return framework.predikat[-1].name


def check_levels(framework: Framework, levels: Levels) -> None:
    """Reject unknown items and out-of-range levels (programming errors, not user input)."""
    for item_id, level in levels.items():
        framework.item(item_id)
        if isinstance(level, bool) or not isinstance(level, int) or level not in framework.levels:
            raise ValueError(f"level butir {item_id} harus bilangan bulat 0–5, bukan {level!r}")


def score(framework: Framework, levels: Levels, scheme: str | None = None) -> Result:
    """Compute every index exactly. Missing items count as 0 and are listed in `missing`."""
    check_levels(framework, levels)
    weights = framework.scheme(scheme)
    units = weights.item_units  # integer weights: the aspect step needs one Fraction, not 37
    aspects = tuple(
        Figure(
            a.id,
            a.name,
            Fraction(
                sum(levels.get(i, 0) * units[i] for i in a.items), sum(units[i] for i in a.items)
            ),
            a.domain,
        )
        for a in framework.aspects
    )
    by_id = {a.id: a.value for a in aspects}
    domains = tuple(
        Figure(d.id, d.name, _weighted_mean({a: by_id[a] for a in d.aspects}, weights.aspects))
        for d in framework.domains
    )
    index = sum((weights.domains[d.id] * d.value for d in domains), Fraction(0))
    return Result(
        framework=framework.id,
        scheme=weights.id,
        index=index,
        predikat=predikat(framework, publish(index)),
        domains=domains,
        aspects=aspects,
        missing=tuple(i for i in framework.item_ids if i not in levels),
    )


def _weighted_mean(values: Mapping[str, Fraction], weights: Mapping[str, Fraction]) -> Fraction:
    total = sum((weights[k] for k in values), Fraction(0))
    return sum((weights[k] * v for k, v in values.items()), Fraction(0)) / total


@dataclass(frozen=True)
class Contribution:
    """What one item adds to the index now, and what one more level would add."""

    item: str
    indicator: str
    aspect: str
    level: int | None
    weight: Fraction
    contribution: Fraction
    gain_next_level: Fraction


def item_weight(framework: Framework, item_id: str, scheme: str | None = None) -> Fraction:
    """The item's share of the whole index: raising it one level adds exactly this."""
    framework.item(item_id)
    return framework.scheme(scheme).items[item_id]


def contribution(
    framework: Framework, item_id: str, level: int | None, scheme: str | None = None
) -> Contribution:
    """What item `item_id` at `level` (None: not filled in) adds to the index."""
    item = framework.item(item_id)
    weight = framework.scheme(scheme).items[item_id]
    current = level or 0
    return Contribution(
        item=item.id,
        indicator=item.indicator,
        aspect=item.aspect,
        level=level,
        weight=weight,
        contribution=weight * current,
        gain_next_level=weight if current < framework.max_level else Fraction(0),
    )


def explain(
    framework: Framework, levels: Levels, scheme: str | None = None
) -> tuple[Contribution, ...]:
    """Each item's contribution to the index (level x weight) and its gain from one more level."""
    check_levels(framework, levels)
    return tuple(contribution(framework, i, levels.get(i), scheme) for i in framework.item_ids)

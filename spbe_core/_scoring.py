"""Exact scoring: item values -> aspect, domain and framework index, plus explanations."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from functools import cached_property
from typing import TypeGuard

from ._framework import Framework
from ._numbers import VALUE_DECIMALS, VALUE_SCALE, Level, _format_level, publish
from ._protocol import ResultDict

Levels = Mapping[str, Level]


@dataclass(frozen=True)
class Figure:
    """One computed index (aspect, domain): exact value plus its published form."""

    id: str
    name: str
    value: Fraction
    domain: str = ""  # an aspect's domain; "" for a domain or when there are no domains

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
    missing: tuple[str, ...]  # items left empty: counted as the framework's partial.empty_value

    @cached_property
    def published(self) -> Decimal:
        return publish(self.index)

    @property
    def complete(self) -> bool:
        return not self.missing

    def to_dict(self) -> ResultDict:
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


def _valid_level(value: object, framework: Framework) -> TypeGuard[Level]:
    """A whole level in range, or for a decimal framework a value in range with at most
    VALUE_DECIMALS places (int or Fraction; never bool or float)."""
    if isinstance(value, bool) or not isinstance(value, int | Fraction):
        return False
    if not framework.min_level <= value <= framework.max_level:
        return False
    if framework.decimal:
        return (value * VALUE_SCALE).denominator == 1
    return isinstance(value, int) or value.denominator == 1


def _level_rule(framework: Framework) -> str:
    """What a valid value is, for messages, from the framework's level range and value kind."""
    span = f"{framework.min_level}–{framework.max_level}"
    if framework.decimal:
        return f"angka {span} dengan paling banyak {VALUE_DECIMALS} desimal"
    return f"bilangan bulat {span}"


def _check_levels(framework: Framework, levels: Levels) -> None:
    """Reject unknown items and out-of-range values (programming errors, not user input)."""
    for item_id, level in levels.items():
        framework.item(item_id)
        if not _valid_level(level, framework):
            raise ValueError(
                f"level butir {item_id} harus {_level_rule(framework)}, bukan {level!r}"
            )


def score(framework: Framework, levels: Levels, scheme: str | None = None) -> Result:
    """Compute every index exactly. Empty items count as the framework's partial.empty_value
    and are listed in `missing`."""
    _check_levels(framework, levels)
    weights = framework.scheme(scheme)
    empty = framework.partial.empty_value
    units = weights.item_units  # integer weights: the aspect step needs one Fraction, not 37
    aspects = tuple(
        Figure(
            a.id,
            a.name,
            Fraction(
                sum(levels.get(i, empty) * units[i] for i in a.items),
                sum(units[i] for i in a.items),
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
    # The weighted sum of the aspects equals that of the domains, exactly; it also holds
    # for a framework without domains.
    index = sum((weights.aspects[a.id] * a.value for a in aspects), Fraction(0))
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
    """What one item adds to the index now, and what raising it to the next whole level
    would add."""

    item: str
    indicator: str
    aspect: str
    level: Level | None
    weight: Fraction
    contribution: Fraction
    gain_next_level: Fraction


def item_weight(framework: Framework, item_id: str, scheme: str | None = None) -> Fraction:
    """The item's share of the whole index: raising it one level adds exactly this."""
    framework.item(item_id)
    return framework.scheme(scheme).items[item_id]


def _next_level(framework: Framework, value: Level) -> int | None:
    """The next whole level above `value` (3 -> 4, 3,25 -> 4); None at the top."""
    above = math.floor(value) + 1
    return above if above <= framework.max_level else None


def _contribution(
    framework: Framework, item_id: str, level: Level | None, scheme: str | None = None
) -> Contribution:
    """What item `item_id` at `level` (None: not filled in) adds to the index."""
    item = framework.item(item_id)
    weight = framework.scheme(scheme).items[item_id]
    current = framework.partial.empty_value if level is None else level
    above = _next_level(framework, current)
    return Contribution(
        item=item.id,
        indicator=item.indicator,
        aspect=item.aspect,
        level=level,
        weight=weight,
        contribution=weight * current,
        gain_next_level=Fraction(0) if above is None else weight * (above - current),
    )


def explain(
    framework: Framework, levels: Levels, scheme: str | None = None
) -> tuple[Contribution, ...]:
    """Each item's contribution to the index (value x weight) and its gain from the next level."""
    _check_levels(framework, levels)
    return tuple(_contribution(framework, i, levels.get(i), scheme) for i in framework.item_ids)


def show_level(framework: Framework, value: Level | None) -> str:
    """An item's value as users read it in this framework ("-" when empty)."""
    return _format_level(value, decimal=framework.decimal)

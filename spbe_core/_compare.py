"""Comparisons: self-assessment vs verified levels, and one year against another (also across
frameworks, at index level only)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from itertools import pairwise

from ._assessment import Assessment
from ._framework import Framework, load_framework
from ._numbers import Level
from ._scoring import Levels, Result, score


@dataclass(frozen=True)
class LevelDifference:
    """An item whose level differs between two sets; impact = index change from a to b."""

    item: str
    a: Level | None
    b: Level | None
    impact: Fraction


def level_differences(
    framework: Framework,
    a: Levels | Assessment,
    b: Levels | Assessment,
    scheme: str | None = None,
) -> tuple[LevelDifference, ...]:
    """Items whose levels differ, largest index impact first (then framework order).
    An empty item counts as the framework's partial.empty_value."""
    levels_a = a.levels if isinstance(a, Assessment) else a
    levels_b = b.levels if isinstance(b, Assessment) else b
    weights = framework.scheme(scheme).items
    empty = framework.partial.empty_value
    found = [
        LevelDifference(
            item,
            levels_a.get(item),
            levels_b.get(item),
            weights[item] * (levels_b.get(item, empty) - levels_a.get(item, empty)),
        )
        for item in framework.item_ids
        if levels_a.get(item) != levels_b.get(item)
    ]
    order = {item: pos for pos, item in enumerate(framework.item_ids)}
    return tuple(sorted(found, key=lambda d: (-abs(d.impact), order[d.item])))


@dataclass(frozen=True)
class Comparison:
    labels: tuple[str, ...]
    results: tuple[Result, ...]
    changes: tuple[tuple[LevelDifference, ...], ...]  # between consecutive assessments


def compare(
    framework: Framework,
    assessments: Sequence[Assessment],
    labels: Sequence[str],
    scheme: str | None = None,
) -> Comparison:
    """Score every assessment with one scheme so that the figures are comparable."""
    if len(assessments) < 2:
        raise ValueError("perbandingan butuh sedikitnya dua penilaian")
    chosen = scheme or assessments[-1].scheme
    results = tuple(score(framework, a.levels, chosen) for a in assessments)
    changes = tuple(
        level_differences(framework, before, after, chosen)
        for before, after in pairwise(assessments)
    )
    return Comparison(tuple(labels), results, changes)


def mixes_frameworks(assessments: Sequence[Assessment]) -> bool:
    """Whether the assessments use more than one framework (then only `compare_across` applies)."""
    return len({a.framework for a in assessments}) > 1


@dataclass(frozen=True)
class CrossComparison:
    """Assessments of different frameworks: each index and predikat computed with the
    assessment's own framework and scheme. Structures, scales and predikat bands differ, so
    there are no domain, aspect or item rows and no change column."""

    labels: tuple[str, ...]
    frameworks: tuple[Framework, ...]
    results: tuple[Result, ...]


def compare_across(assessments: Sequence[Assessment], labels: Sequence[str]) -> CrossComparison:
    if len(assessments) < 2:
        raise ValueError("perbandingan butuh sedikitnya dua penilaian")
    frameworks = tuple(load_framework(a.framework) for a in assessments)
    results = tuple(
        score(framework, a.levels, a.scheme)
        for framework, a in zip(frameworks, assessments, strict=True)
    )
    return CrossComparison(tuple(labels), frameworks, results)

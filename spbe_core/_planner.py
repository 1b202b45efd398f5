"""Target planner: the cheapest set of level increases that reaches a target, found exactly.

Item weights are small rationals, so with a common denominator every index value is a whole
number of "units" and a grouped knapsack over units gives the true minimum effort.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from ._assessment import InvalidAssessment, Problem
from ._framework import Framework
from ._numbers import DECIMALS, publish
from ._scoring import check_levels, predikat, score

EFFORT_FORMAT = "spbe-effort/1"
Effort = Fraction | None  # effort per level step; None = tidak mungkin naik


@dataclass(frozen=True)
class Step:
    item: str
    from_level: int
    to_level: int
    gain: Fraction
    effort: Fraction


@dataclass(frozen=True)
class Plan:
    target: Decimal
    reachable: bool
    steps: tuple[Step, ...]
    effort: Fraction
    index: Fraction  # exact index after the steps
    predikat: str
    start_index: Fraction

    @property
    def published(self) -> Decimal:
        return publish(self.index)


def target_index(framework: Framework, target: str) -> Decimal:
    """A predikat name (case-insensitive) or an index such as "3,00" -> minimum published index."""
    for band in framework.predikat:
        if band.name.casefold() == target.strip().casefold():
            return band.min
    try:
        value = Decimal(target.strip().replace(",", "."))
    except ArithmeticError:
        value = Decimal("NaN")
    if not value.is_finite() or not framework.min_level <= value <= framework.max_level:
        names = ", ".join(b.name for b in framework.predikat)
        raise ValueError(
            f"target {target!r} tidak dikenal: gunakan predikat ({names}) "
            f"atau indeks {framework.min_level}–{framework.max_level}, mis. 3,00"
        )
    return value


def plan(
    framework: Framework,
    levels: Mapping[str, int],
    target: Decimal,
    scheme: str | None = None,
    effort: Mapping[str, Effort] | None = None,
    max_level: Mapping[str, int] | None = None,
) -> Plan:
    """Minimum-effort increases so that the published index reaches `target`.

    Missing items start at level 0. Among plans of equal effort the one with the higher index wins.
    If the target cannot be reached, the plan raises every allowed item as far as it may go.
    """
    check_levels(framework, levels)
    effort = effort or {}
    max_level = max_level or {}
    chosen = framework.scheme(scheme)
    weights, unit = chosen.items, chosen.unit
    start = score(framework, levels, scheme).index
    # Published value reaches the target iff the exact value is at least target - half a cent.
    needed = math.ceil((Fraction(target) - Fraction(1, 2 * 10**DECIMALS) - start) * unit)

    # options[item] = [(steps, gain_units, cost)] for each possible raise of that item
    options: list[tuple[str, int, list[tuple[int, int, Fraction]]]] = []
    for item in framework.item_ids:
        current = levels.get(item, 0)
        per_step = effort.get(item, Fraction(1))
        top = min(max_level.get(item, framework.max_level), framework.max_level)
        if per_step is None or top <= current:
            continue
        w_units = chosen.item_units[item]
        choices = [(n, n * w_units, per_step * n) for n in range(1, top - current + 1)]
        options.append((item, current, choices))

    # best[g] = (cost, choices) to gain exactly g units; dict keeps it sparse and exact.
    best: dict[int, tuple[Fraction, tuple[tuple[str, int], ...]]] = {0: (Fraction(0), ())}
    for item, _current, choices in options:
        nxt = dict(best)
        for gained, (cost, picks) in best.items():
            for count, gain_units, step_cost in choices:
                g, c = gained + gain_units, cost + step_cost
                if g not in nxt or c < nxt[g][0]:
                    nxt[g] = (c, (*picks, (item, count)))
        best = nxt

    reachable_gains = [g for g in best if g >= needed]
    # Unreachable: raising everything allowed (the largest gain) is the best there is.
    gain = min(reachable_gains, key=lambda g: (best[g][0], -g)) if reachable_gains else max(best)
    cost, picks = best[gain]
    steps = []
    for item, n in picks:
        current = levels.get(item, 0)
        per_step = effort.get(item, Fraction(1))
        assert per_step is not None
        steps.append(Step(item, current, current + n, weights[item] * n, per_step * n))
    # Best value first: gain per unit of effort, then framework order.
    order = {item: pos for pos, item in enumerate(framework.item_ids)}
    steps.sort(key=lambda s: (-(s.gain / s.effort) if s.effort else -math.inf, order[s.item]))
    final = start + Fraction(gain, unit)
    return Plan(
        target=target,
        reachable=bool(reachable_gains),
        steps=tuple(steps),
        effort=cost,
        index=final,
        predikat=predikat(framework, publish(final)),
        start_index=start,
    )


@dataclass(frozen=True)
class Constraints:
    """Per-item effort per level step (None = tidak mungkin naik) and maximum level."""

    effort: Mapping[str, Effort]
    max_level: Mapping[str, int]


def parse_constraints(framework: Framework, raw: object) -> Constraints:
    """Validate an effort file: {"effort": {item: number|null}, "max_level": {item: 0–5}}."""
    problems: list[Problem] = []
    if not isinstance(raw, dict):
        raise InvalidAssessment([Problem("", "isi berkas upaya harus objek JSON ({ … })")])
    for key in raw:
        if key not in {"format", "effort", "max_level"}:
            problems.append(Problem(str(key), "kolom tidak dikenal"))
    if raw.get("format", EFFORT_FORMAT) != EFFORT_FORMAT:
        problems.append(Problem("format", f'harus "{EFFORT_FORMAT}"'))
    effort: dict[str, Effort] = {}
    max_level: dict[str, int] = {}
    known = set(framework.item_ids)
    for name in ("effort", "max_level"):
        section = raw.get(name, {})
        if not isinstance(section, dict):
            problems.append(Problem(name, "harus objek {butir: nilai}"))
            continue
        for item, value in section.items():
            where = f"{name}.{item}"
            if item not in known:
                problems.append(Problem(where, "indikator tidak dikenal"))
            elif name == "max_level":
                if (
                    isinstance(value, bool)
                    or not isinstance(value, int)
                    or value not in framework.levels
                ):
                    problems.append(
                        Problem(where, f"level maksimum harus bilangan bulat 0–5, bukan {value!r}")
                    )
                else:
                    max_level[item] = value
            elif value is None:
                effort[item] = None
            elif (
                isinstance(value, bool)
                or not isinstance(value, int | float)
                or not 0 < value <= 1000
            ):
                problems.append(
                    Problem(
                        where, "upaya harus angka lebih dari 0 (atau null = tidak mungkin naik)"
                    )
                )
            else:
                effort[item] = Fraction(str(value))
    if problems:
        raise InvalidAssessment(problems)
    return Constraints(effort, max_level)

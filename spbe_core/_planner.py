"""Target planner: the cheapest set of level increases that reaches a target, found exactly.

Item weights are small rationals, so with a common denominator every index value is a whole
number of "units" and a grouped knapsack over units gives the true minimum effort. An item is
raised to whole levels: a decimal value first to the next whole level, then one level a step.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from ._framework import Framework
from ._input import InvalidAssessment, Problem
from ._numbers import DECIMALS, Level, publish
from ._scoring import Levels, _check_levels, _next_level, predikat, score

EFFORT_FORMAT = "spbe-effort/1"
Effort = Fraction | None  # effort per level step; None = tidak mungkin naik
# A target index as typed: "3", "3,00", "2.675" (at most 3 + 10 digits, no exponent).
TARGET_TEXT = re.compile(r"[0-9]{1,3}(?:[.,][0-9]{1,10})?")


@dataclass(frozen=True)
class Step:
    item: str
    from_level: Level
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
    max_step: int | None = None  # at most this many levels up per item; None = no limit

    @property
    def published(self) -> Decimal:
        return publish(self.index)


def target_index(framework: Framework, target: str) -> Decimal:
    """A predikat name (case-insensitive) or an index such as "3,00" -> minimum published index."""
    for band in framework.predikat:
        if band.name.casefold() == target.strip().casefold():
            return band.min
    # Only a plain decimal: Decimal("3E-999999999") is valid but its exact value never finishes.
    text = target.strip()
    value = Decimal(text.replace(",", ".")) if TARGET_TEXT.fullmatch(text) else Decimal("NaN")
    if not value.is_finite() or not framework.min_level <= value <= framework.max_level:
        names = ", ".join(b.name for b in framework.predikat)
        raise ValueError(
            f"target {target!r} tidak dikenal: gunakan predikat ({names}) "
            f"atau indeks {framework.min_level}–{framework.max_level}, mis. 3,00"
        )
    return value


def plan(
    framework: Framework,
    levels: Levels,
    target: Decimal,
    scheme: str | None = None,
    effort: Mapping[str, Effort] | None = None,
    max_level: Mapping[str, int] | None = None,
    max_step: int | None = None,
) -> Plan:
    """Minimum-effort increases so that the published index reaches `target`.

    Empty items start at the framework's partial.empty_value. Among plans of equal effort the
    one with the higher index wins. If the target cannot be reached, the plan raises every
    allowed item as far as it may go. `max_step` caps an item's rise in one evaluation cycle
    (a decimal value rises to at most floor(value + max_step)).
    """
    if max_step is not None and max_step < 1:
        raise ValueError(f"langkah maksimum harus bilangan bulat ≥ 1, bukan {max_step}")
    _check_levels(framework, levels)
    effort = effort or {}
    max_level = max_level or {}
    chosen = framework.scheme(scheme)
    weights = chosen.items
    empty = framework.partial.empty_value
    start = score(framework, levels, scheme).index

    # options: (item, [(to_level, steps)], effort per step) for each item that may rise
    options: list[Option] = []
    for item in framework.item_ids:
        current = levels.get(item, empty)
        per_step = effort.get(item, Fraction(1))
        top = min(max_level.get(item, framework.max_level), framework.max_level)
        if max_step is not None:
            top = min(top, math.floor(Fraction(current) + max_step))
        first = _next_level(framework, current)
        if per_step is None or first is None or top < first:
            continue
        options.append((item, [(to, to - first + 1) for to in range(first, top + 1)], per_step))
    # Gains are whole numbers of 1/unit; decimal start values (denominators dividing 10**4)
    # refine the grid by their common denominator.
    fine = math.lcm(*(Fraction(levels.get(item, empty)).denominator for item, _, _ in options))
    unit = chosen.unit * fine
    # Published value reaches the target iff the exact value is at least target - half a cent.
    needed = math.ceil((Fraction(target) - Fraction(1, 2 * 10**DECIMALS) - start) * unit)

    def gains(item: str, to: int) -> int:
        return int(chosen.item_units[item] * fine * (to - levels.get(item, empty)))

    if all(len(raises) == 1 for _, raises, _ in options) and len({o[2] for o in options}) <= 1:
        best = _largest_first(options, gains)
    else:
        best = _knapsack(options, gains, thin=fine > 1)

    reachable_gains = [g for g in best if g >= needed]
    # Unreachable: raising everything allowed (the largest gain) is the best there is.
    gain = min(reachable_gains, key=lambda g: (best[g][0], -g)) if reachable_gains else max(best)
    cost, picks = best[gain]
    steps = []
    for item, to in picks:
        current = levels.get(item, empty)
        per_step = effort.get(item, Fraction(1))
        assert per_step is not None
        first = _next_level(framework, current)
        assert first is not None
        steps.append(
            Step(item, current, to, weights[item] * (to - current), per_step * (to - first + 1))
        )
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
        max_step=max_step,
    )


Option = tuple[str, list[tuple[int, int]], Fraction]
States = dict[int, tuple[Fraction, tuple[tuple[str, int], ...]]]


def _knapsack(options: list[Option], gains: Callable[[str, int], int], thin: bool) -> States:
    """Cheapest way to gain exactly g units, for every reachable g (a grouped knapsack)."""
    # best[g] = (cost, choices) to gain exactly g units; dict keeps it sparse and exact.
    best: States = {0: (Fraction(0), ())}
    for item, raises, per_step in options:
        choices = [(to, gains(item, to), per_step * n) for to, n in raises]
        nxt = dict(best)
        for gained, (cost, picks) in best.items():
            for to, gain_units, step_cost in choices:
                g, c = gained + gain_units, cost + step_cost
                if g not in nxt or c < nxt[g][0]:
                    nxt[g] = (c, (*picks, (item, to)))
        # On the whole-level grid the states are bounded by the top gain; with decimal start
        # values they are not, so drop the dominated ones (never part of an optimum).
        best = _undominated(nxt) if thin else nxt
    return best


def _largest_first(options: list[Option], gains: Callable[[str, int], int]) -> States:
    """The same states when each item has one raise at one price: the k largest gains are the
    most a cost of k can buy, so the cheapest plan reaching any target is a prefix of them."""
    raises = sorted(
        ((gains(item, r[0][0]), item, r[0][0]) for item, r, _ in options), key=lambda o: -o[0]
    )
    best: States = {0: (Fraction(0), ())}
    gained, cost = 0, Fraction(0)
    picks: tuple[tuple[str, int], ...] = ()
    for gain, item, to in raises:
        gained, cost, picks = gained + gain, cost + options[0][2], (*picks, (item, to))
        best.setdefault(gained, (cost, picks))  # a zero gain buys nothing
    return best


def _undominated(
    states: dict[int, tuple[Fraction, tuple[tuple[str, int], ...]]],
) -> dict[int, tuple[Fraction, tuple[tuple[str, int], ...]]]:
    """Keep a state only if every state with a larger gain costs more (order kept)."""
    keep: set[int] = set()
    cheapest: Fraction | None = None
    for gain in sorted(states, reverse=True):
        cost = states[gain][0]
        if cheapest is None or cost < cheapest:
            keep.add(gain)
            cheapest = cost
    return {g: v for g, v in states.items() if g in keep}


@dataclass(frozen=True)
class Constraints:
    """Per-item effort per level step (None = tidak mungkin naik) and maximum level."""

    effort: Mapping[str, Effort]
    max_level: Mapping[str, int]


def parse_constraints(framework: Framework, raw: object) -> Constraints:
    """Validate an effort file: {"effort": {item: number|null}, "max_level": {item: level}}."""
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
                    span = f"{framework.min_level}–{framework.max_level}"
                    problems.append(
                        Problem(
                            where, f"level maksimum harus bilangan bulat {span}, bukan {value!r}"
                        )
                    )
                else:
                    max_level[item] = value
            elif value is None:
                effort[item] = None
            elif (
                isinstance(value, bool)
                or not isinstance(value, int | float | Decimal)
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


@dataclass(frozen=True)
class NextPredikat:
    """The next predikat above the published index, and the cheapest way there (one level
    per item, as a realistic cycle) under the framework's partial rule."""

    name: str
    minimum: Decimal
    distance: Decimal  # minimum - published index, > 0
    plan: Plan


def next_predikat(
    framework: Framework, levels: Levels, scheme: str | None = None
) -> NextPredikat | None:
    """None at the top predikat."""
    published = score(framework, levels, scheme).published
    above = [band for band in framework.predikat if band.min > published]
    if not above:
        return None
    band = above[-1]  # bands are listed highest first
    found = plan(framework, levels, band.min, scheme, max_step=1)
    return NextPredikat(band.name, band.min, band.min - published, found)

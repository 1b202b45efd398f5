"""`make bench`'s own arithmetic (scripts/bench_calculator.py)."""

from __future__ import annotations

import sys
from typing import Any

from conftest import ROOT

sys.path.insert(0, str(ROOT / "scripts"))
import bench_calculator


def latencies(p50: float, p95: float, back_to_back_p95: float) -> dict[str, Any]:
    """One visit's figures, shaped as bench_calculator.recompute() returns them."""
    figures = {"p50_ms": p50, "p95_ms": p95, "worker_p50_ms": p50 - 1, "worker_p95_ms": p95 - 1}
    return {
        **figures,
        "changes": 200,
        "back_to_back": {**figures, "p95_ms": back_to_back_p95, "changes": 200},
    }


def test_recompute_figures_are_medians_over_the_visits() -> None:
    # The last visit, with a hiccup (p95 16,0 ms), neither decides nor shifts the p95 reported.
    visits = [latencies(3.0, 6.0, 9.0), latencies(3.5, 7.0, 10.0), latencies(4.0, 16.0, 12.0)]
    found = bench_calculator.median_latencies(visits)
    assert (found["p50_ms"], found["p95_ms"], found["worker_p95_ms"]) == (3.5, 7.0, 6.0)
    assert found["changes"] == 200
    assert found["p95_visits"] == [6.0, 7.0, 16.0]
    assert found["back_to_back"]["p95_ms"] == 10.0
    assert found["back_to_back"]["p95_visits"] == [9.0, 10.0, 12.0]

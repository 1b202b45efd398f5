"""`make bench`: print performance figures and write them to build/bench.json.

Figures, not pass/fail: absolute times vary from machine to machine, so ratios are reported
where they matter. Run after `make site` (the Makefile does that).
"""

from __future__ import annotations

import json
import platform
import statistics
import subprocess
import sys
import time
import timeit
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from spbe_core import load_framework, parse_assessment, plan, score, target_index  # noqa: E402

EXAMPLE = ROOT / "docs" / "assets" / "contoh-penilaian.json"


def core_figures() -> dict[str, float]:
    framework = load_framework()
    levels = dict(parse_assessment(EXAMPLE.read_bytes()).levels)
    runs = 2000
    per_score = min(timeit.repeat(lambda: score(framework, levels), number=runs, repeat=5)) / runs
    per_plan = (
        min(
            timeit.repeat(
                lambda: plan(framework, levels, target_index(framework, "Memuaskan")),
                number=3,
                repeat=3,
            )
        )
        / 3
    )
    return {"score_ms": per_score * 1000, "plan_memuaskan_ms": per_plan * 1000}


def site_build_seconds() -> float:
    times = []
    for _ in range(3):
        start = time.perf_counter()
        subprocess.run([sys.executable, "scripts/build_site.py"], cwd=ROOT, check=True)
        subprocess.run(
            [str(Path(sys.executable).parent / "mkdocs"), "build", "--strict", "--quiet"],
            cwd=ROOT,
            check=True,
        )
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> int:
    figures: dict[str, Any] = {
        "machine": f"{platform.machine()}, {platform.python_implementation()} "
        f"{platform.python_version()}, {_cpus()} CPU",
        "core": core_figures(),
        "site_build_s": site_build_seconds(),
    }
    try:
        import bench_calculator
    except ImportError:
        figures["calculator"] = None
    else:
        figures["calculator"] = bench_calculator.measure(ROOT / "site")
    out = ROOT / "build" / "bench.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(figures, indent=2) + "\n")
    print(f"Mesin                         : {figures['machine']}")
    print(f"Skor satu penilaian (CPython) : {figures['core']['score_ms']:.3f} ms")
    print(f"Rencana ke Memuaskan (CPython): {figures['core']['plan_memuaskan_ms']:.1f} ms")
    print(f"make site (median 3)          : {figures['site_build_s']:.1f} s")
    if figures["calculator"]:
        for key, value in figures["calculator"].items():
            print(f"{key:<30}: {value}")
    print(f"JSON: {out.relative_to(ROOT)}")
    return 0


def _cpus() -> int:
    import os

    return os.cpu_count() or 1


if __name__ == "__main__":
    sys.exit(main())

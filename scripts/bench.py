"""`make bench`: measure the site and the calculator, print a table, write build/bench.json.

Figures, not pass/fail: absolute times vary from machine to machine (and with its load), so the
headline figures are ratios, compared with the targets of issue 7. One run:
1. the core in CPython (score, plan);
2. `make site` timed BUILD_RUNS times, building into build/bench-site/ (so site/, which tests
   may be serving, is left alone), plus making the calculator's runtime files (trimmed
   precompiled standard library, Pyodide snapshot) once without their cache;
3. the calculator in Chromium against that build (scripts/bench_calculator.py), in two profiles:
   this machine as it is ("desktop") and a throttled phone ("phone": CPU 4×, 10 Mbit/s, 40 ms);
4. Lighthouse (npm dev dependency, mobile preset, Debian Chromium) on Beranda, one indicator
   page and the calculator, against the same build served like GitHub Pages (gzip).
docs/kinerja.md explains the method and quotes the figures.
"""

from __future__ import annotations

import datetime
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
import timeit
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

import bench_calculator  # noqa: E402
import build_calculator  # noqa: E402
from chromium import CHROMIUM  # noqa: E402
from serve import start_server, stop_server  # noqa: E402

from spbe_core import load_framework, parse_assessment, plan, score, target_index  # noqa: E402

EXAMPLE = ROOT / "docs" / "assets" / "contoh-penilaian.json"
BENCH_SITE = ROOT / "build" / "bench-site"
OUT = ROOT / "build" / "bench.json"
BUILD_RUNS = 3
LIGHTHOUSE = ROOT / "node_modules" / ".bin" / "lighthouse"
# Pages for Lighthouse (relative to the site root) and their targets (issue 17).
LIGHTHOUSE_PAGES = {"beranda": "", "indikator 23": "indikator/23/", "kalkulator": "kalkulator/"}
LIGHTHOUSE_TARGETS = {"beranda": 95, "indikator 23": 95, "kalkulator": 85}
LIGHTHOUSE_TBT_MS = 300  # on the calculator
LIGHTHOUSE_RUNS = 3  # its simulated TBT varies by a factor of two from run to run
BIN = Path(sys.executable).parent
# The steps of `make site` (Makefile), with mkdocs writing to BENCH_SITE instead of site/.
SITE_STEPS = {
    "build_site": [sys.executable, "scripts/build_site.py"],
    "mkdocs": [
        str(BIN / "mkdocs"),
        "build",
        "--strict",
        "--quiet",
        "-f",
        "build/mkdocs.yml",
        "-d",
        str(BENCH_SITE),
    ],
    "offline": [sys.executable, "scripts/offline.py", str(BENCH_SITE)],
}
# Issue 7's targets: (label, the figure's path in the JSON, limit, True if it must stay below).
TARGETS = [
    ("kalkulator dingin ÷ Pyodide polos", ("calculator", "ratios", "cold_vs_bare"), 1.0, False),
    ("kunjungan kembali ÷ dingin", ("calculator", "ratios", "return_vs_cold"), 0.3, False),
    ("unduhan dingin ÷ Pyodide polos", ("calculator", "ratios", "cold_bytes_vs_bare"), 1.1, False),
    (
        "hitung ulang p95 (ms, boot biasa)",
        ("calculator", "recompute", "plain_boot", "p95_ms"),
        16,
        True,
    ),
    (
        "hitung ulang p95 (ms, dari snapshot)",
        ("calculator", "recompute", "restored", "p95_ms"),
        16,
        True,
    ),
]


def core_figures() -> dict[str, float]:
    framework = load_framework()
    levels = dict(parse_assessment(EXAMPLE.read_bytes()).levels)
    runs = 2000
    per_score = min(timeit.repeat(lambda: score(framework, levels), number=runs, repeat=5)) / runs
    goal = target_index(framework, framework.predikat[0].name)  # the highest band
    per_plan = min(timeit.repeat(lambda: plan(framework, levels, goal), number=3, repeat=3)) / 3
    return {"score_ms": per_score * 1000, "plan_top_ms": per_plan * 1000}


def site_build() -> dict[str, Any]:
    """Seconds for `make site` (median of BUILD_RUNS; the calculator's runtime files come from
    their build cache, as on any rebuild) and for making those files from scratch
    (scripts/make_runtime.mjs, as on a fresh CI checkout)."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    totals: list[float] = []
    steps: dict[str, list[float]] = {name: [] for name in SITE_STEPS}
    for _ in range(BUILD_RUNS):
        for name, command in SITE_STEPS.items():
            start = time.perf_counter()
            done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True)
            if done.returncode:
                raise SystemExit(f"bench: {name} failed:\n{done.stdout}{done.stderr}")
            steps[name].append(time.perf_counter() - start)
        totals.append(sum(times[-1] for times in steps.values()))
    wheel = next(BENCH_SITE.rglob("spbe_core-*.whl"))
    with tempfile.TemporaryDirectory() as tmp:
        start = time.perf_counter()
        build_calculator.make_runtime(wheel, cache=Path(tmp))
        runtime_s = time.perf_counter() - start
    return {
        "make_site_s": round(statistics.median(totals), 2),
        "make_site_runs_s": [round(t, 2) for t in totals],
        "steps_s": {name: round(statistics.median(times), 2) for name, times in steps.items()},
        "runtime_uncached_s": round(runtime_s, 2),
    }


def lighthouse(site_dir: Path) -> dict[str, Any]:
    """Lighthouse mobile (its default preset, simulated throttling) on each LIGHTHOUSE_PAGES
    page, LIGHTHOUSE_RUNS times: the run with the median performance score (category scores,
    TBT, FCP, LCP, DOM size and bytes), and every run's performance score and TBT."""
    if not LIGHTHOUSE.is_file():
        raise SystemExit("bench: node_modules/.bin/lighthouse tidak ada: jalankan `make setup`")
    server, base = start_server(site_dir, bench_calculator.PREFIX)
    out: dict[str, Any] = {}
    try:
        with tempfile.TemporaryDirectory(prefix="spbe-lighthouse-") as tmp:
            for name, path in LIGHTHOUSE_PAGES.items():
                runs = [lighthouse_run(base + path, Path(tmp)) for _ in range(LIGHTHOUSE_RUNS)]
                runs.sort(key=lambda run: run["scores"]["performance"])
                out[name] = {
                    **runs[len(runs) // 2],
                    "performance_runs": [run["scores"]["performance"] for run in runs],
                    "tbt_runs_ms": sorted(run["tbt_ms"] for run in runs),
                }
    finally:
        stop_server(server)
    return out


def lighthouse_run(url: str, tmp: Path) -> dict[str, Any]:
    report_path = tmp / "report.json"
    done = subprocess.run(
        [
            str(LIGHTHOUSE),
            url,
            "--quiet",
            "--output=json",
            f"--output-path={report_path}",
            "--chrome-flags=--headless=new --no-sandbox --disable-gpu",
        ],
        cwd=ROOT,
        env={**os.environ, "CHROME_PATH": CHROMIUM},
        capture_output=True,
        text=True,
    )
    if done.returncode:
        raise SystemExit(f"bench: lighthouse {url} gagal:\n{done.stderr[-2000:]}")
    found = json.loads(report_path.read_text(encoding="utf-8"))
    audits = found["audits"]
    return {
        "scores": {
            key: round(category["score"] * 100) for key, category in found["categories"].items()
        },
        "tbt_ms": round(audits["total-blocking-time"]["numericValue"]),
        "fcp_ms": round(audits["first-contentful-paint"]["numericValue"]),
        "lcp_ms": round(audits["largest-contentful-paint"]["numericValue"]),
        "dom_elements": round(audits["dom-size"]["numericValue"]),
        "bytes": round(audits["total-byte-weight"]["numericValue"]),
        "lighthouse": found["lighthouseVersion"],
    }


def machine() -> dict[str, Any]:
    return {
        "cpus": os.cpu_count(),
        "arch": platform.machine(),
        "system": f"{platform.system()} {platform.release()}",
        "python": f"{platform.python_implementation()} {platform.python_version()}",
        "loadavg_start": [round(x, 2) for x in os.getloadavg()],
    }


def lookup(figures: dict[str, Any], path: tuple[str, ...]) -> float:
    value: Any = figures
    for key in path:
        value = value[key]
    return float(value)


def report(figures: dict[str, Any]) -> str:
    """The table printed at the end (Indonesian, decimal point kept for a developer tool)."""
    m, site, calc = figures["machine"], figures["site"], figures["calculator"]
    ms, ratios, rec, size = calc["ms"], calc["ratios"], calc["recompute"], calc["bytes"]
    checks, runs = calc["checks"], calc["runs"]

    def mb(n: float) -> str:
        return f"{n / 1e6:.2f} MB" if n >= 10_000 else f"{n:.0f} B"

    lines = [
        f"Tanggal  : {figures['date']}",
        f"Mesin    : {m['cpus']} CPU {m['arch']}, {m['system']}, {m['python']}, "
        f"Chromium {calc['chromium']}",
        f"Beban    : load average {m['loadavg_start']} di awal, {m['loadavg_end']} di akhir",
        "",
        f"{'Ukuran (median ' + str(runs) + ' putaran)':<46} {'median':>10}  putaran",
    ]
    labels = {
        "bare": "1. Pyodide polos: navigasi → loadPyodide()",
        "bare_restore": "   … hanya memulihkan snapshot kalkulator",
        "cold": "2. kalkulator dingin: navigasi → hasil",
        "return": "3. kunjungan kembali: navigasi → hasil",
        "return_engine": "   … → hasil hitungan mesin (snapshot)",
        "offline": "4. kembali luring (server mati)",
        "offline_engine": "   … → hasil hitungan mesin (snapshot)",
    }
    for key, label in labels.items():
        lines.append(f"{label:<46} {ms[key]['median']:>7} ms  {ms[key]['runs']}")
    for key, label in (("plain_boot", "boot biasa"), ("restored", "dari snapshot")):
        for r, pace in ((rec[key], ""), (rec[key]["back_to_back"], ", beruntun")):
            lines.append(
                f"{'5. hitung ulang, ' + label + pace:<46} p50 {r['p50_ms']:.1f} / p95 "
                f"{r['p95_ms']:.1f} ms (worker p95 {r['worker_p95_ms']:.1f}, "
                f"{r['changes']:.0f} perubahan; p95 per kunjungan {r['p95_visits']})"
            )
    lines += [
        f"{'6. unduhan Pyodide polos':<46} {mb(size['bare']):>10}  "
        f"(gzip ≈ {mb(size['bare_gzip'])})",
        f"{'   unduhan dingin sampai hasil':<46} {mb(size['cold_to_result']):>10}  "
        f"(gzip ≈ {mb(size['cold_to_result_gzip'])})",
        f"{'   unduhan dingin + snapshot di latar':<46} {mb(size['cold_total']):>10}",
        f"{'   unduhan kunjungan kembali':<46} {mb(size['return']):>10}",
    ]
    for name, guide in size["guide"].items():
        lines.append(
            f"{'   halaman panduan ' + name + ' (pertama)':<46} {mb(guide['bytes']):>10}  "
            f"(gzip ≈ {mb(guide['bytes_gzip'])}, berkas Pyodide: {guide['pyodide_files']})"
        )
    lines += [
        f"{'7. make site (median ' + str(BUILD_RUNS) + ')':<46} {site['make_site_s']:>8} s  "
        f"{site['make_site_runs_s']} langkah {site['steps_s']}",
        f"{'   berkas runtime dibuat tanpa cache':<46} {site['runtime_uncached_s']:>8} s",
        f"{'CPython: skor satu penilaian':<46} {figures['core']['score_ms']:>7.3f} ms",
        f"{'CPython: rencana ke predikat tertinggi':<46} {figures['core']['plan_top_ms']:>7.1f} ms",
        "",
        "Rasio utama (median rasio per putaran) dan target issue 7:",
    ]
    for label, path, limit, below in TARGETS:
        value = lookup(figures, path)
        verdict = "tercapai" if (value < limit if below else value <= limit) else "BELUM"
        sign = "<" if below else "≤"
        lines.append(f"  {label:<40} {value:>7.2f}  target {sign} {limit:<5} {verdict}")
    lines.append(f"  {'luring ÷ dingin':<40} {ratios['offline_vs_cold']:>7.2f}")
    lines.append(f"  {'kunjungan kembali ÷ Pyodide polos':<40} {ratios['return_vs_bare']:>7.2f}")
    label = "kembali, hasil mesin ÷ dingin"
    lines.append(f"  {label:<40} {ratios['return_engine_vs_cold']:>7.2f}")
    label = "pemulihan snapshot polos ÷ dingin"
    lines.append(f"  {label:<40} {ratios['bare_restore_vs_cold']:>7.2f}  (lantai rasio di atas)")
    pyodide_files = sum(g["pyodide_files"] for g in size["guide"].values())
    verdict = "tercapai" if pyodide_files == 0 else "BELUM"
    label = "berkas Pyodide di halaman panduan"
    lines.append(f"  {label:<40} {pyodide_files:>7}  target 0     {verdict}")
    lines += [
        "",
        f"Pemeriksaan: dingin tanpa snapshot {checks['cold_plain_boot']}/{runs}, kembali dari "
        f"snapshot {checks['return_from_snapshot']}/{runs}, luring dari snapshot "
        f"{checks['offline_from_snapshot']}/{runs}, indeks sama {checks['same_index']}/{runs} "
        f"({checks['index']}), halaman panduan luring {checks['offline_guide_page_opens']}/{runs}",
        f"Hasil pertama dari ingatan kunjungan sebelumnya: dingin {checks['cold_remembered']}"
        f"/{runs}, kembali {checks['return_remembered']}/{runs}, luring "
        f"{checks['offline_remembered']}/{runs}",
        "Hasil mesin pertama menjawab permintaan awal dari <head>: kembali "
        f"{checks['return_early']}/{runs}, luring {checks['offline_early']}/{runs}",
    ]
    lines += side_by_side(calc, figures["phone"])
    lines += lighthouse_lines(figures["lighthouse"])
    lines.append(f"JSON: {OUT.relative_to(ROOT)}")
    return "\n".join(lines)


def side_by_side(desktop: dict[str, Any], phone: dict[str, Any]) -> list[str]:
    """The start-up figures of both profiles, next to each other (medians; ratios paired)."""
    lines = ["", f"{'Dua profil (median)':<46} {'desktop':>12} {'ponsel':>12}"]
    for key, label in (
        ("bare", "Pyodide polos"),
        ("bare_restore", "pemulihan snapshot polos (tanpa kalkulator)"),
        ("cold", "dingin → hasil"),
        ("return", "kembali → hasil tampil"),
        ("return_engine", "kembali → mesin siap (hasil mesin)"),
        ("offline", "luring → hasil tampil"),
        ("offline_engine", "luring → mesin siap"),
    ):
        lines.append(
            f"{label:<46} {desktop['ms'][key]['median']:>9} ms {phone['ms'][key]['median']:>9} ms"
        )
    for key, label in (
        ("cold_vs_bare", "dingin ÷ polos (target ≤ 1,0)"),
        ("return_vs_cold", "kembali tampil ÷ dingin (≤ 0,3)"),
        ("return_engine_vs_cold", "kembali mesin siap ÷ dingin (≤ 0,3)"),
        ("bare_restore_vs_cold", "pemulihan polos ÷ dingin (lantainya)"),
        ("cold_bytes_vs_bare", "unduhan dingin ÷ polos"),
    ):
        lines.append(f"{label:<46} {desktop['ratios'][key]:>12.2f} {phone['ratios'][key]:>12.2f}")
    for name, ms in desktop.get("return_steps", {}).items():
        phone_ms = phone.get("return_steps", {}).get(name, float("nan"))
        lines.append(f"{'   kembali: langkah worker ' + name:<46} {ms:>9} ms {phone_ms:>9} ms")
    for key, label in (("plain_boot", "boot biasa"), ("restored", "dari snapshot")):
        d, p = desktop["recompute"][key]["p95_ms"], phone["recompute"][key]["p95_ms"]
        lines.append(f"{'hitung ulang p95, ' + label:<46} {d:>9.1f} ms {p:>9.1f} ms")
    for key, label in (
        ("bare", "unduhan Pyodide polos"),
        ("cold_to_result", "unduhan dingin sampai hasil"),
        ("cold_total", "unduhan dingin + snapshot"),
        ("return", "unduhan kunjungan kembali"),
    ):
        d, p = desktop["bytes"][key], phone["bytes"][key]
        lines.append(f"{label:<46} {d / 1e6:>9.2f} MB {p / 1e6:>9.2f} MB")
    for name in desktop["bytes"]["guide"]:
        d, p = desktop["bytes"]["guide"][name], phone["bytes"]["guide"][name]
        lines.append(
            f"{'panduan ' + name + ': unduhan, FCP':<46} {d['bytes'] / 1e3:>6.0f} kB "
            f"{d['fcp_ms']:>4} ms {p['bytes'] / 1e3:>6.0f} kB {p['fcp_ms']:>4} ms"
        )
    return lines


def lighthouse_lines(found: dict[str, Any]) -> list[str]:
    if not found:
        return []
    version = next(iter(found.values()))["lighthouse"]
    lines = [
        "",
        f"Lighthouse {version} (mobile, throttling simulasi; median {LIGHTHOUSE_RUNS} putaran):",
    ]
    for name, page in found.items():
        scores = page["scores"]
        target = LIGHTHOUSE_TARGETS[name]
        others = all(scores[k] == 100 for k in scores if k != "performance")
        good = scores["performance"] >= target and others
        if name == "kalkulator":
            good = good and page["tbt_ms"] < LIGHTHOUSE_TBT_MS
        lines.append(
            f"  {name:<14} performa {scores['performance']:>3} "
            f"({'/'.join(map(str, page['performance_runs']))}; target ≥ {target}), "
            f"aksesibilitas {scores['accessibility']}, praktik {scores['best-practices']}, "
            f"SEO {scores['seo']}; TBT {page['tbt_ms']} ms "
            f"({'/'.join(map(str, page['tbt_runs_ms']))}), FCP {page['fcp_ms']} ms, "
            f"LCP {page['lcp_ms']} ms, DOM {page['dom_elements']}, "
            f"{page['bytes'] / 1e6:.2f} MB  {'tercapai' if good else 'BELUM'}"
        )
    return lines


def main() -> int:
    started = time.perf_counter()
    figures: dict[str, Any] = {
        "date": datetime.datetime.now().astimezone().isoformat(timespec="minutes"),
        "machine": machine(),
    }
    print("bench: inti (CPython)…", flush=True)
    figures["core"] = core_figures()
    print(f"bench: make site ×{BUILD_RUNS} ke {BENCH_SITE.relative_to(ROOT)}…", flush=True)
    figures["site"] = site_build()
    print(f"bench: kalkulator di Chromium, {bench_calculator.RUNS} putaran…", flush=True)
    for device in bench_calculator.PROFILES:
        key = "calculator" if device is bench_calculator.DESKTOP else device.name
        figures[key] = bench_calculator.measure(
            BENCH_SITE, lambda line: print(line, flush=True), device
        )
    print("bench: Lighthouse…", flush=True)
    figures["lighthouse"] = lighthouse(BENCH_SITE) if not os.environ.get("BENCH_NO_LH") else {}
    figures["machine"]["loadavg_end"] = [round(x, 2) for x in os.getloadavg()]
    figures["bench_s"] = round(time.perf_counter() - started)
    OUT.parent.mkdir(exist_ok=True)
    OUT.write_text(json.dumps(figures, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print()
    print(report(figures))
    print(f"Lama bench: {figures['bench_s']} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())

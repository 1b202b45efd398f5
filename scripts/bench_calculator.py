"""Calculator figures for `make bench`: cold start against bare Pyodide, recompute latency, bytes.

`measure(site_dir)` serves the built site under /panduan-spbe/ on 127.0.0.1 and drives Debian
Chromium (headless, fresh context = empty cache for every cold run):

- bare_pyodide_ms: navigation to loadPyodide() resolved in a module worker, on
  assets/kalkulator/bare.html (a build output that uses the same Pyodide files);
- calculator_cold_ms: navigation to the first result shown for a share link (#l=...);
- recompute_p50_ms / recompute_p95_ms: in the page, from the input event of a level change to
  the result rendered, over 200 changes (recompute_worker_*: the worker round trip part);
- bytes: what each page fetched (the local server sends files as they are; the gzip figure
  estimates a server that compresses, like GitHub Pages).

Cold runs alternate bare and calculator so a drifting machine load hits both alike; times are
the median of RUNS. Standalone: `python scripts/bench_calculator.py [SITE_DIR]`.
"""

from __future__ import annotations

import gzip
import json
import statistics
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote, urlsplit

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT / "scripts") not in sys.path:
    sys.path.insert(0, str(ROOT / "scripts"))

from serve import start_server, stop_server  # noqa: E402

if TYPE_CHECKING:
    from playwright.sync_api import Browser, BrowserContext

PREFIX = "/panduan-spbe/"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
RUNS = 5
CHANGES = 200
TIMEOUT_MS = 120_000
# A fixed, complete assessment for the share link (items 1–34, 35-1, 35-2, 35-3).
SHARE_CODE = "3232221333232312323223133323433323322"

# Change levels one at a time; each change waits for its own result before the next.
RECOMPUTE_JS = """
async (count) => {
  const radios = [...document.querySelectorAll('#form-penilaian input[type="radio"]')];
  let seed = 7;
  const random = () => (seed = (seed * 48271) % 2147483647) / 2147483647;
  const latencies = [];
  for (let n = 0; n < count; n++) {
    const choices = radios.filter((radio) => !radio.checked);
    const radio = choices[Math.floor(random() * choices.length)];
    const shown = new Promise((resolve) =>
      document.addEventListener("spbe:hasil", (e) => resolve(e.detail), { once: true }),
    );
    radio.click();
    const detail = await shown;
    latencies.push([detail.latency, detail.roundTrip]);
  }
  return latencies;
}
"""


def measure(site_dir: Path) -> dict[str, Any]:
    """Median-of-RUNS cold times, recompute percentiles and bytes; times in milliseconds."""
    from playwright.sync_api import sync_playwright

    server, base_url = start_server(site_dir, PREFIX)
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
            )
            try:
                return _measure(browser, base_url, site_dir)
            finally:
                browser.close()
    finally:
        stop_server(server)


def _measure(browser: Browser, base_url: str, site_dir: Path) -> dict[str, Any]:
    bare: list[float] = []
    cold: list[float] = []
    bare_files: list[str] = []
    cold_files: list[str] = []
    latencies: list[float] = []
    round_trips: list[float] = []
    for run in range(RUNS):
        context, fetched = _context(browser)
        page = context.new_page()
        page.goto(base_url + "assets/kalkulator/bare.html")
        page.wait_for_selector("body[data-siap]", timeout=TIMEOUT_MS)
        if page.get_attribute("body", "data-siap") != "ya":
            raise RuntimeError(f"bare Pyodide page failed: {page.text_content('#status')}")
        bare.append(_mark(page, "pyodide-siap"))
        bare_files = fetched
        context.close()

        context, fetched = _context(browser)
        page = context.new_page()
        page.goto(f"{base_url}kalkulator/#l={SHARE_CODE}")
        page.wait_for_selector(f'#hasil[data-kunci^="{SHARE_CODE}|"]', timeout=TIMEOUT_MS)
        cold.append(_mark(page, "spbe-hasil-pertama"))
        cold_files = fetched
        if run == RUNS - 1:
            pairs = page.evaluate(RECOMPUTE_JS, CHANGES)
            latencies = [float(total) for total, _ in pairs]
            round_trips = [float(trip) for _, trip in pairs]
        context.close()

    bare_ms, cold_ms = statistics.median(bare), statistics.median(cold)
    bare_bytes, bare_gzip = _bytes(site_dir, bare_files)
    cold_bytes, cold_gzip = _bytes(site_dir, cold_files)
    return {
        "bare_pyodide_ms": round(bare_ms),
        "calculator_cold_ms": round(cold_ms),
        "cold_ratio": round(cold_ms / bare_ms, 3),
        "bare_runs_ms": [round(x) for x in bare],
        "calculator_runs_ms": [round(x) for x in cold],
        "recompute_p50_ms": round(_percentile(latencies, 50), 2),
        "recompute_p95_ms": round(_percentile(latencies, 95), 2),
        "recompute_worker_p50_ms": round(_percentile(round_trips, 50), 2),
        "recompute_worker_p95_ms": round(_percentile(round_trips, 95), 2),
        "recompute_changes": len(latencies),
        "bytes_bare": bare_bytes,
        "bytes_calculator_cold": cold_bytes,
        "bytes_bare_gzip": bare_gzip,
        "bytes_calculator_cold_gzip": cold_gzip,
        "bytes_ratio_gzip": round(cold_gzip / bare_gzip, 3),
    }


def _context(browser: Browser) -> tuple[BrowserContext, list[str]]:
    """A fresh context (empty cache) that records the URL of every successful response."""
    context = browser.new_context()
    context.set_default_timeout(TIMEOUT_MS)
    fetched: list[str] = []
    context.on("response", lambda r: fetched.append(r.url) if r.status == 200 else None)
    return context, fetched


def _mark(page: Any, name: str) -> float:
    """Milliseconds from navigation start to the page's performance mark `name`."""
    return float(page.evaluate("(n) => performance.getEntriesByName(n)[0].startTime", name))


_gzip_cache: dict[Path, int] = {}


def _bytes(site_dir: Path, urls: list[str]) -> tuple[int, int]:
    """Bytes of the files behind `urls`: as served here, and gzip-compressed (estimate)."""
    raw = packed = 0
    for url in urls:
        path = unquote(urlsplit(url).path).removeprefix(PREFIX)
        file = site_dir / path
        if path == "" or path.endswith("/"):
            file = file / "index.html"
        if not file.is_file():
            continue  # blob: downloads and the like
        raw += file.stat().st_size
        if file not in _gzip_cache:
            _gzip_cache[file] = len(gzip.compress(file.read_bytes(), compresslevel=6))
        packed += _gzip_cache[file]
    return raw, packed


def _percentile(values: list[float], pct: int) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    rank = max(0, min(len(ordered) - 1, round(pct / 100 * len(ordered) + 0.5) - 1))
    return ordered[rank]


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "site"
    print(json.dumps(measure(target), indent=2))

"""Offline support for the built site: web manifest, icons, service worker.

Run after `mkdocs build`, on the built site: `python scripts/offline.py site`. It
0. points every page's links to site files at their revision (`?v=`: never a page of one build
   with the styles of another, see calculator/sw.js), and puts the Content-Security-Policy into
   every page (scripts/csp.py);
1. writes the web manifest and the app icons (PNG made with the standard library only);
2. copies calculator/sw.js to the site root as it is, and writes next to it offline.json, the
   service worker's manifest: the precache list and a version derived from the content of every
   listed file. The Pyodide snapshot next to the wheel (scripts/make_runtime.mjs) is listed
   apart: it is fetched only after a first result. The page registers sw.js?v=<version>.
The service worker's scope is the directory of sw.js, so it covers the guide and the calculator
under any sub-path.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import shutil
import struct
import sys
import zlib
from collections.abc import Iterable
from functools import partial
from html.parser import HTMLParser
from pathlib import Path, PurePosixPath
from urllib.parse import urlsplit

import csp
from build_calculator import SNAPSHOT  # next to the wheel

ROOT = Path(__file__).resolve().parents[1]
TEMPLATE_DIR = ROOT / "calculator"
CALCULATOR_PAGE = "kalkulator/index.html"
# Files of these kinds under the calculator's asset folder and the Pyodide folder are precached
# (not source maps, not the UMD pyodide.js: only the module build is used).
CALCULATOR_ASSETS = "assets/kalkulator"
PRECACHE_SUFFIXES = {".js", ".mjs", ".css", ".json", ".wasm", ".zip", ".whl", ".svg", ".png"}
# Pyodide's own standard library and lock file, which the calculator replaces with its own
# (scripts/make_runtime.mjs): kept only for the benchmark's baseline page, not part of the app.
PRECACHE_SKIP = {"python_stdlib.zip", "pyodide-lock.json"}
# Loaded by Material on every page, the calculator's included: search (worker and index) and,
# with navigation.instant, the sitemap. Missing ones (no site_url, no sitemap) are skipped.
THEME_FILES = ("search/search_index.json", "assets/javascripts/workers/*.js", "sitemap.xml")
MANIFEST = "manifest.webmanifest"
ICON_DIR = "assets/icons"
SW_MANIFEST = "offline.json"  # read by calculator/sw.js and the page, never precached

# The icon: three rising bars on indigo, inside the centre 60 % (safe for maskable icons).
ICON_BG = (0x3F, 0x51, 0xB5)
ICON_FG = (0xFF, 0xFF, 0xFF)
ICON_BARS = ((0.26, 0.38, 0.56), (0.44, 0.56, 0.42), (0.62, 0.74, 0.28))  # x0, x1, top
ICON_BASE = 0.74


def sha16(path: Path) -> str:
    """First 16 hex digits of the file's SHA-256 (what sw.js checks downloads against)."""
    return hashlib.sha256(path.read_bytes()).hexdigest()[:16]


def icon_svg() -> str:
    bars = "".join(
        f'<rect x="{x0 * 512:g}" y="{top * 512:g}" width="{(x1 - x0) * 512:g}" '
        f'height="{(ICON_BASE - top) * 512:g}" fill="#fff"/>'
        for x0, x1, top in ICON_BARS
    )
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 512 512">'
        f'<rect width="512" height="512" fill="#3f51b5"/>{bars}</svg>\n'
    )


def icon_png(size: int) -> bytes:
    """The icon as an RGB PNG of size × size pixels (zlib + struct, no imaging library)."""
    rows = []
    for y in range(size):
        row = bytearray([0])  # filter type 0 for every scanline
        for x in range(size):
            u, v = (x + 0.5) / size, (y + 0.5) / size
            inside = any(x0 <= u < x1 and top <= v < ICON_BASE for x0, x1, top in ICON_BARS)
            row += bytes(ICON_FG if inside else ICON_BG)
        rows.append(bytes(row))

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", size, size, 8, 2, 0, 0, 0)  # 8-bit RGB
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"".join(rows), 9))
        + chunk(b"IEND", b"")
    )


def write_manifest(out_dir: Path) -> list[str]:
    """Write the web manifest and its icons into out_dir; return their paths relative to it."""
    icons = out_dir / ICON_DIR
    icons.mkdir(parents=True, exist_ok=True)
    (icons / "icon.svg").write_text(icon_svg(), encoding="utf-8")
    for size in (192, 512):
        (icons / f"icon-{size}.png").write_bytes(icon_png(size))
    shutil.copyfile(TEMPLATE_DIR / MANIFEST, out_dir / MANIFEST)
    names = ("icon.svg", "icon-192.png", "icon-512.png")
    return [MANIFEST, *(f"{ICON_DIR}/{name}" for name in names)]


class _AssetParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        url = found.get("src") if tag in {"script", "img"} else None
        if tag == "link" and found.get("rel") != "canonical":
            url = found.get("href")
        if url:
            self.urls.append(url)


def page_assets(site_dir: Path, page: str) -> list[str]:
    """Site files a built page loads (scripts, styles, icons), as paths relative to site_dir."""
    parser = _AssetParser()
    parser.feed((site_dir / page).read_text(encoding="utf-8"))
    found = []
    for url in parser.urls:
        parts = urlsplit(url)
        if parts.scheme or parts.netloc or parts.path.startswith("/") or not parts.path:
            continue
        path = PurePosixPath(page).parent / parts.path
        resolved = PurePosixPath(*_normalize(path.parts))
        if (site_dir / resolved).is_file():
            found.append(str(resolved))
    return sorted(set(found))


def _normalize(parts: Iterable[str]) -> list[str]:
    out: list[str] = []
    for part in parts:
        if part == "..":
            if out:
                out.pop()
        elif part not in {".", ""}:
            out.append(part)
    return out


# A page's link to a site file: <link href>, <script src>, <img src>.
_LINK = re.compile(r'(<(?:link|script|img)\b[^>]*?\s(?:href|src)=")([^"#]+)(")')


def version_links(site_dir: Path) -> int:
    """Point every page's links to site files at their revision (`path?v=<sha16>`); return the
    number of pages. The service worker answers a link of another build than its own from the
    network, so a page and its styles and scripts are always of one build. Run again, it
    replaces the revisions."""

    def revised(page: str, found: re.Match[str]) -> str:
        path = found.group(2).split("?", 1)[0]
        # A module preload must name the URL later fetched: modules import each other by plain
        # relative URLs (a ?v= there would load each module twice).
        if 'rel="modulepreload"' in found.group(1):
            return f"{found.group(1)}{path}{found.group(3)}"
        parts = urlsplit(path)
        if parts.scheme or parts.netloc or path.startswith("/") or not path:
            return found.group(0)
        target = site_dir / PurePosixPath(*_normalize((PurePosixPath(page).parent / path).parts))
        if not target.is_file():  # a page (rel=prev/next, canonical), not a file
            return found.group(0)
        return f"{found.group(1)}{path}?v={sha16(target)}{found.group(3)}"

    pages = sorted(site_dir.rglob("*.html"))
    for file in pages:
        page = file.relative_to(site_dir).as_posix()
        html = file.read_text(encoding="utf-8")
        file.write_text(_LINK.sub(partial(revised, page), html), encoding="utf-8")
    return len(pages)


def _url(path: str) -> str:
    """The URL a page is requested by: directory URLs for index.html (MkDocs' default)."""
    if path == "index.html":
        return "./"
    return path.removesuffix("index.html")


def write_service_worker(site_dir: Path, files: Iterable[str], deferred: Iterable[str] = ()) -> str:
    """Write site_dir/sw.js and its manifest precaching `files` (paths relative to site_dir);
    return the version.

    `deferred` files are cached only when the page asks (after the calculator's first result).
    """

    def revisions(paths: Iterable[str]) -> dict[str, str]:
        return {_url(p): sha16(site_dir / p) for p in sorted(set(paths))}

    precache, later = revisions(files), revisions(deferred)
    version = hashlib.sha256(json.dumps([precache, later]).encode()).hexdigest()[:12]
    manifest = {"version": version, "precache": precache, "deferred": later}
    (site_dir / SW_MANIFEST).write_text(json.dumps(manifest, indent=1) + "\n", encoding="utf-8")
    shutil.copyfile(TEMPLATE_DIR / "sw.js", site_dir / "sw.js")
    return version


def _one(found: Iterable[Path], what: str) -> Path:
    matches = sorted(found)
    if len(matches) != 1:
        raise SystemExit(f"offline.py: expected one {what}, found {len(matches)}")
    return matches[0]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("site", type=Path, help="the built site (mkdocs output)")
    args = parser.parse_args(argv)
    site: Path = args.site

    # First: links by revision and the policy change the pages, which the manifest lists.
    version_links(site)
    pages = csp.protect_site(site)
    wheel = _one(site.rglob("spbe_core-*.whl"), "spbe_core wheel")
    pyodide_dir = _one(site.rglob("pyodide.asm.wasm"), "Pyodide").parent
    files = [*write_manifest(site), CALCULATOR_PAGE, *page_assets(site, CALCULATOR_PAGE)]
    for folder in (site / CALCULATOR_ASSETS, pyodide_dir):
        files += [
            str(p.relative_to(site))
            for p in folder.rglob("*")
            if p.is_file() and p.suffix in PRECACHE_SUFFIXES and p.name not in PRECACHE_SKIP
        ]
    files += [str(p.relative_to(site)) for pattern in THEME_FILES for p in site.glob(pattern)]
    deferred = [str(p.relative_to(site)) for p in wheel.parent.glob(SNAPSHOT)]
    version = write_service_worker(site, files, deferred)
    counts = f"{len(set(files))} precached, {len(deferred)} deferred"
    print(f"offline.py: CSP on {pages} pages, sw.js {version}, {counts}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

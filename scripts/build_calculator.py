"""Assemble the in-browser calculator into build/docs/ (the MkDocs docs_dir) for `mkdocs build`.

Sources live in calculator/ (ES modules, CSS, the Jinja2 page template). This script:
- writes one content-hashed JSON, the contract between the build and the browser
  (assets/kalkulator/kalkulator.<hash>.json): the facts of every shipped framework and the
  names of the runtime files. The page names it (and asks for it early); nothing is rewritten in
  the JS modules, which ship verbatim;
- renders the calculator page of every shipped framework from calculator/page.md: the form
  generated from the framework data (items grouped by domain and aspect, every level's
  criteria as a radio label);
- copies the JS/CSS to build/docs/assets/kalkulator/, with the wheel under a content-hashed folder
  (so a new build never meets a cached old wheel); the worker gets those paths from the page,
  in its URL;
- copies the Pyodide files to build/docs/assets/pyodide/, plus the license;
- puts the calculator's own Python runtime files next to the wheel (scripts/make_runtime.mjs,
  run in Node; cached in build/runtime/ by input): a precompiled, trimmed standard library,
  which the worker loads instead of Pyodide's python_stdlib.zip, and a memory snapshot.

Everything written here is a build output (gitignored). Called by build_site.py.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import re
import shutil
import subprocess
import sys
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import quote

import jinja2
import markupsafe

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from spbe_core import (  # noqa: E402
    Domain,
    Framework,
    available_frameworks,
    format_number,
    load_framework,
)
from spbe_core._assessment import (  # noqa: E402
    FORMAT_1,
    FORMAT_2,
    MAX_TEXT,
    STATUSES,
)
from spbe_core._input import MAX_BYTES  # noqa: E402

SOURCE = ROOT / "calculator"
PROSE = ROOT / "docs" / "_kerangka"  # hand-written Markdown about each framework
DOCS_DIR = ROOT / "build" / "docs"  # assembled by gen_pages.py before this runs
PAGE_DIR = DOCS_DIR / "kalkulator"
ASSET_DIR = DOCS_DIR / "assets" / "kalkulator"
PYODIDE_DIR = DOCS_DIR / "assets" / "pyodide"
NODE_PYODIDE = ROOT / "node_modules" / "pyodide"
RUNTIME_CACHE = ROOT / "build" / "runtime"
MAKE_RUNTIME = ROOT / "scripts" / "make_runtime.mjs"
PACK_SNAPSHOT = SOURCE / "snapshot.js"  # imported by MAKE_RUNTIME
# Everything Chromium fetches for a plain loadPyodide() in a module worker (checked by watching
# the requests); the UMD build, source maps, consoles and type declarations are never requested.
# The calculator itself replaces the last two with RUNTIME_FILES and the lock file's `info`; the
# originals stay for the benchmark's baseline page (bare.html).
PYODIDE_FILES = (
    "pyodide.mjs",
    "pyodide.asm.mjs",
    "pyodide.asm.wasm",
    "python_stdlib.zip",
    "pyodide-lock.json",
)
STDLIB = "stdlib.zip"  # made by make_runtime.mjs, like the snapshot
SNAPSHOT = "pyodide.snapshot.gz"  # the worker derives its URL from the wheel's
RUNTIME_FILES = (STDLIB, SNAPSHOT)
# Every calculator/*.js module is shipped as it is, so a new module needs no entry here, except
# these: sw.js (scripts/offline.py copies it to the site root, where its scope covers every
# page), protocol.js (JSDoc typedefs for the type checker only, never loaded) and the
# benchmark's baseline page, which scripts/bench_calculator.py puts into its own copy of the site.
BENCH_FILES = ("bare.html", "bare-worker.js")
NOT_SHIPPED = ("sw.js", "protocol.js", *BENCH_FILES)
STATIC_FILES = ("calculator.css",)
APP = "app.js"  # the page's entry module (calculator/theme/main.html imports it)
IMPORT = re.compile(r'^import [^;]*? from "\./([\w-]+\.js)";', re.MULTILINE)
CONTRACT_FORMAT = "spbe-kalkulator/1"
CONTRACT_STEM = "kalkulator"  # kalkulator.<hash>.json
# How the follow-up statuses (ids from spbe_core) read on the page.
STATUS_NAMES = {"belum": "Belum", "proses": "Dalam proses", "selesai": "Selesai"}


def main(wheel: Path, frameworks: Sequence[Framework] | None = None) -> None:
    """Write the calculator pages and their assets; `wheel` is the spbe_core wheel to ship."""
    if frameworks is None:
        frameworks = [load_framework(fid) for fid in available_frameworks()]
    default = load_framework().id  # the framework a link or file without one means
    clean()
    copy_pyodide()
    ASSET_DIR.mkdir(parents=True)
    modules = [p for p in sorted(SOURCE.glob("*.js")) if p.name not in NOT_SHIPPED]
    for path in [*modules, *(SOURCE / n for n in STATIC_FILES)]:
        shutil.copyfile(path, ASSET_DIR / path.name)
    # One folder per content: the wheel and the runtime files made from it.
    shipped = [wheel, *(make_runtime(wheel) / name for name in RUNTIME_FILES)]
    digest = hashlib.sha256(b"".join(hashlib.sha256(p.read_bytes()).digest() for p in shipped))
    folder = ASSET_DIR / "wheels" / digest.hexdigest()[:12]
    folder.mkdir(parents=True)
    for path in shipped:
        shutil.copyfile(path, folder / path.name)
    data = contract(frameworks, default, runtime_files(folder, wheel.name))
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    name = f"{CONTRACT_STEM}.{hashlib.sha256(text.encode()).hexdigest()[:12]}.json"
    (ASSET_DIR / name).write_text(text, encoding="utf-8")
    for framework in frameworks:
        page = DOCS_DIR / page_name(framework)
        page.parent.mkdir(parents=True, exist_ok=True)
        up = "../" * len(page.parent.relative_to(PAGE_DIR.parent).parts)
        links = {
            "up": up,
            "guide": f"{up}{framework.slug}/",  # the framework's guide pages (gen_pages.py)
            "tingkat": up + page_url(levels_page(framework)),
            "kontrak": f"{up}assets/kalkulator/{name}",
            "worker": f"{up}assets/kalkulator/{worker_url(data['runtime'], framework)}",
        }
        page.write_text(render_page(framework, data, folder.name, links), "utf-8")


def levels_page(framework: Framework) -> str:
    """Where the framework's level names are explained, as a docs page (and section): its
    overview's "tingkat" section when it has hand-written prose on them
    (docs/_kerangka/<slug>/tingkat.md, gen_pages.py), else the general Tingkat kematangan page.
    The guide's pages and the calculator link there."""
    if (PROSE / framework.slug / "tingkat.md").is_file():
        return f"{framework.slug}/index.md#tingkat"
    return "tingkat-kematangan.md"


def page_url(path: str) -> str:
    """The URL MkDocs gives a Markdown file (a section kept): index.md → '',
    indikator/1.md → indikator/1/, 5-2018/index.md#tingkat → 5-2018/#tingkat."""
    path, hash_, section = path.partition("#")
    parts = PurePosixPath(path).with_suffix("").parts
    if parts[-1] == "index":
        parts = parts[:-1]
    return "".join(f"{part}/" for part in parts) + hash_ + section


def page_name(framework: Framework) -> str:
    """A framework's calculator page, relative to the docs_dir: kalkulator/ for the default
    framework (today's URL), kalkulator/<slug>/ for the others. The guide links here too."""
    folder = PAGE_DIR if framework.default else PAGE_DIR / framework.slug
    return (folder / "index.md").relative_to(DOCS_DIR).as_posix()


def runtime_files(folder: Path, wheel: str) -> dict[str, Any]:
    """The worker's files, relative to assets/kalkulator/, and the sizes for its progress."""
    rel = folder.relative_to(ASSET_DIR).as_posix()
    lock = json.loads((PYODIDE_DIR / "pyodide-lock.json").read_text(encoding="utf-8"))
    # Sizes of the files the worker fetch()es (the .mjs files are module imports).
    fetched = [PYODIDE_DIR / "pyodide.asm.wasm", folder / STDLIB, folder / wheel]
    return {
        "wheel": f"{rel}/{wheel}",
        "stdlib": f"{rel}/{STDLIB}",
        "snapshot": f"{rel}/{SNAPSHOT}",
        "lock": {"info": lock["info"], "packages": {}},
        "sizes": {path.name: path.stat().st_size for path in fetched},
    }


def worker_url(runtime: dict[str, Any], framework: Framework) -> str:
    """worker.js with its settings in the query: the page starts the worker before anything
    else has loaded, so the worker must not wait for another request to learn them."""
    config = {
        **runtime,
        "framework": framework.id,
        "levels": [framework.min_level, framework.max_level],
    }
    return "worker.js?c=" + quote(json.dumps(config, separators=(",", ":")), safe="")


def contract(
    frameworks: Sequence[Framework], default: str, runtime: dict[str, Any]
) -> dict[str, Any]:
    """What the browser needs to know about the build, in one JSON document."""
    return {
        "format": CONTRACT_FORMAT,
        "default_framework": default,
        "frameworks": [framework_facts(f) for f in frameworks],
        "pages": {f.id: page_url(page_name(f)) for f in frameworks},
        "assessment_formats": [FORMAT_1, FORMAT_2],
        "follow_up_statuses": [{"id": s, "name": STATUS_NAMES[s]} for s in STATUSES],
        "limits": {"max_bytes": MAX_BYTES, "max_text": MAX_TEXT},
        "runtime": runtime,
    }


def framework_facts(framework: Framework) -> dict[str, Any]:
    """A framework as the page's JavaScript sees it; items in the framework's order, which is
    the order of the levels in a share link."""
    return {
        "id": framework.id,
        "name": framework.name,
        "short_name": framework.short_name,
        "period": framework.period,
        "index_name": framework.index_name,
        "value_kind": framework.value_kind,
        "min_level": framework.min_level,
        "max_level": framework.max_level,
        "models": [
            {"id": m.id, "name": m.name, "level_names": list(m.level_names)}
            for m in framework.models
        ],
        "domains": [{"id": d.id, "name": d.name} for d in framework.domains],
        "aspects": [
            {"id": a.id, "domain": a.domain, "name": a.name, "label": a.label}
            for a in framework.aspects
        ],
        "items": [
            {
                "id": item.id,
                "label": item_name(framework, item.id),
                "indicator": item.indicator,
                "aspect": item.aspect,
                "model": framework.indicator(item.indicator).model,
            }
            for item in framework.items
        ],
        "schemes": [{"id": s.id, "name": s.name} for s in framework.schemes],
        "default_scheme": framework.default_scheme,
        "predikat": predikat_scale(framework),
        "partial": {"empty_value": framework.partial.empty_value, "text": framework.partial.text},
    }


def item_name(framework: Framework, item_id: str) -> str:
    """The indicator's name, with the item's label when the indicator has several items."""
    item = framework.item(item_id)
    indicator = framework.indicator(item.indicator)
    if len(indicator.items) == 1:
        return indicator.name
    return f"{indicator.name} ({item.label})"


def clean() -> None:
    for folder in (PAGE_DIR, ASSET_DIR, PYODIDE_DIR):
        shutil.rmtree(folder, ignore_errors=True)


def copy_pyodide() -> None:
    """Copy the pinned Pyodide files; a stale node_modules fails loudly."""
    pinned = json.loads((ROOT / "package.json").read_text())["dependencies"]["pyodide"]
    package = NODE_PYODIDE / "package.json"
    if not package.is_file():
        raise SystemExit("build_calculator: node_modules/pyodide is missing: run `npm ci`")
    installed = json.loads(package.read_text())["version"]
    if installed != pinned:
        raise SystemExit(
            f"build_calculator: node_modules has pyodide {installed}, package.json pins "
            f"{pinned}: run `npm ci`"
        )
    PYODIDE_DIR.mkdir(parents=True)
    for name in PYODIDE_FILES:
        shutil.copyfile(NODE_PYODIDE / name, PYODIDE_DIR / name)
    # The npm package ships no license file although it is MPL-2.0; ship the text with it.
    shutil.copyfile(SOURCE / "pyodide-LICENSE.txt", PYODIDE_DIR / "LICENSE.txt")


def make_runtime(wheel: Path, cache: Path = RUNTIME_CACHE) -> Path:
    """The folder holding RUNTIME_FILES for this wheel and Pyodide (made once per input)."""
    inputs = [wheel, MAKE_RUNTIME, PACK_SNAPSHOT, *(NODE_PYODIDE / name for name in PYODIDE_FILES)]
    key = hashlib.sha256(b"".join(hashlib.sha256(p.read_bytes()).digest() for p in inputs))
    cached = cache / key.hexdigest()[:16]
    if all((cached / name).is_file() for name in RUNTIME_FILES):
        return cached
    shutil.rmtree(cache, ignore_errors=True)  # one entry is enough
    work = cache / "work"
    work.mkdir(parents=True)
    subprocess.run(
        ["node", str(MAKE_RUNTIME), str(NODE_PYODIDE), str(wheel), str(work)], check=True
    )
    raw = work / "pyodide.snapshot"
    # mtime=0: the same snapshot gives the same bytes, so browsers keep their copy.
    (work / SNAPSHOT).write_bytes(gzip.compress(raw.read_bytes(), compresslevel=6, mtime=0))
    raw.unlink()
    work.rename(cached)
    return cached


# --- the page ------------------------------------------------------------------------------

TEMPLATES = jinja2.Environment(
    loader=jinja2.FileSystemLoader(SOURCE),
    autoescape=True,
    undefined=jinja2.StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
    keep_trailing_newline=True,
)


def esc(text: object) -> str:
    """Text as the page template writes it into HTML (Jinja2's autoescape)."""
    return str(markupsafe.escape(text))


def render_page(
    framework: Framework, data: dict[str, Any], version: str, links: dict[str, str]
) -> str:
    """The page; `version` names the build of spbe_core it runs (results remembered by the page
    are only shown again for the same build); `links` holds the relative URLs the page needs."""
    return TEMPLATES.get_template("page.md").render(
        fw=framework,
        versi=version,
        links=links,
        groups=form_groups(framework),
        bands=predikat_scale(framework),
        frameworks=[(f, links["up"] + data["pages"][f["id"]]) for f in data["frameworks"]],
        statuses=data["follow_up_statuses"],
        limits=data["limits"],
        item_name=lambda item_id: item_name(framework, item_id),
        modules=module_graph(APP),
        example_year=example_year(framework),
    )


def example_year(framework: Framework) -> int:
    """The year field's example, from the framework's period: a year whose assessment a user
    would enter, i.e. the year before the period's last ("2021–2025" -> 2024) or, for a period
    still open ("2026–"), its first year."""
    years = [int(y) for y in re.findall(r"\d{4}", framework.period)]
    return years[0] if len(years) == 1 else years[-1] - 1


def module_graph(entry: str) -> list[str]:
    """`entry` and every module it imports, directly or not (calculator/*.js, by name): the
    page preloads them all at once instead of discovering them one import level at a time."""
    found = [entry]
    for name in found:
        text = (SOURCE / name).read_text(encoding="utf-8")
        for imported in IMPORT.findall(text):
            if imported not in found:
                found.append(imported)
    return found


def form_groups(framework: Framework) -> list[dict[str, Any]]:
    """Domains (one group without a heading when the framework has none) > aspects > items,
    each item with its levels: (level, level name, criteria)."""
    domains: list[tuple[Domain | None, tuple[str, ...]]] = [
        (d, d.aspects) for d in framework.domains
    ] or [(None, tuple(a.id for a in framework.aspects))]
    groups = []
    for domain, aspect_ids in domains:
        aspects = []
        for aspect_id in aspect_ids:
            aspect = framework.aspect(aspect_id)
            fields = [item_form(framework, item_id) for item_id in aspect.items]
            aspects.append({"aspect": aspect, "fields": fields})
        groups.append({"domain": domain, "aspects": aspects})
    return groups


def item_form(framework: Framework, item_id: str) -> dict[str, Any]:
    item = framework.item(item_id)
    indicator = framework.indicator(item.indicator)
    model = framework.model(indicator.model)
    # level_names[0] names the lowest level, whatever its number.
    names = model.level_names or tuple("" for _ in framework.levels)
    # A framework may publish no criteria per level (its form then offers the levels alone).
    criteria = indicator.criteria or tuple("" for _ in framework.levels)
    return {
        "item": item,
        "indicator": indicator,
        "model": model,
        "name": item_name(framework, item_id),
        "sub_label": item.label if len(indicator.items) > 1 else "",
        "levels": list(zip(framework.levels, names, criteria, strict=True)),
    }


def predikat_scale(framework: Framework) -> list[dict[str, Any]]:
    """The predikat bands, lowest first, with their position (which colours them), their lower
    bound (exact text, and as shown), the range they cover as text and the width of their
    segment of the scale bar."""
    bands = list(reversed(framework.predikat))
    low, top = Decimal(framework.min_level), Decimal(framework.max_level)
    step = Decimal("0.01")  # published figures have 2 decimals
    out = []
    for n, band in enumerate(bands):
        upper = bands[n + 1].min if n + 1 < len(bands) else top + step
        width = (min(upper, top) - band.min) / (top - low)
        out.append(
            {
                "position": n,
                "name": band.name,
                "min": str(band.min),
                "min_text": format_number(band.min),
                "range": f"{format_number(band.min)}–{format_number(upper - step)}",
                "width": f"{float(width) * 100:.2f}%",
            }
        )
    return out


if __name__ == "__main__":
    built = sorted((ROOT / "build" / "wheel").glob("spbe_core-*.whl"))
    if not built:
        raise SystemExit("build the wheel first: python scripts/build_site.py")
    main(built[-1])

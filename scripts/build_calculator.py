"""Assemble the in-browser calculator into build/docs/ (the MkDocs docs_dir) for `mkdocs build`.

Sources live in calculator/ (ES modules, CSS, the page template). This script:
- writes build/docs/kalkulator/index.md: the template with the form generated from the framework
  data (37 items grouped by domain and aspect, every level's criteria as a radio label);
- copies the JS/CSS to build/docs/assets/kalkulator/, with the wheel under a content-hashed folder
  (so a new build never meets a cached old wheel; the worker learns the path at build time);
- copies the Pyodide files to build/docs/assets/pyodide/, plus the license;
- puts the calculator's own Python runtime files next to the wheel (scripts/make_runtime.mjs,
  run in Node; cached in build/runtime/ by input): a precompiled, trimmed standard library,
  which the worker loads instead of Pyodide's python_stdlib.zip, and a memory snapshot.

Everything written here is a build output (gitignored). Called by build_site.py.
"""

from __future__ import annotations

import gzip
import hashlib
import html
import json
import re
import shutil
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from spbe_core import Framework, format_number, load_framework  # noqa: E402

FRAMEWORK = "permenpan-5-2018"
SOURCE = ROOT / "calculator"
DOCS_DIR = ROOT / "build" / "docs"  # assembled by gen_pages.py before this runs
PAGE_DIR = DOCS_DIR / "kalkulator"
ASSET_DIR = DOCS_DIR / "assets" / "kalkulator"
PYODIDE_DIR = DOCS_DIR / "assets" / "pyodide"
NODE_PYODIDE = ROOT / "node_modules" / "pyodide"
RUNTIME_CACHE = ROOT / "build" / "runtime"
MAKE_RUNTIME = ROOT / "scripts" / "make_runtime.mjs"
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
# Every calculator/*.js module is shipped (worker.js is then rewritten with the build config),
# so a new module needs no entry here; sw.js is the exception: scripts/offline.py writes it to
# the site root, where its scope covers every page.
STATIC_FILES = ("calculator.css", "bare.html")
# The share link lists the items in this order; changing it would break old links.
SHARE_ORDER = tuple([str(n) for n in range(1, 35)] + ["35-1", "35-2", "35-3"])
BUILD_MARK = re.compile(r"/\*BUILD\*/.*?/\*END\*/", re.DOTALL)


def main(wheel: Path) -> None:
    """Write the calculator page and its assets; `wheel` is the spbe_core wheel to ship."""
    framework = load_framework(FRAMEWORK)
    if framework.item_ids != SHARE_ORDER:
        raise SystemExit("build_calculator: item order changed; share links would break")
    clean()
    copy_pyodide()
    ASSET_DIR.mkdir(parents=True)
    modules = [p for p in sorted(SOURCE.glob("*.js")) if p.name != "sw.js"]
    for path in [*modules, *(SOURCE / n for n in STATIC_FILES)]:
        shutil.copyfile(path, ASSET_DIR / path.name)
    # One folder per content: the wheel and the runtime files made from it.
    shipped = [wheel, *(make_runtime(wheel) / name for name in RUNTIME_FILES)]
    digest = hashlib.sha256(b"".join(hashlib.sha256(p.read_bytes()).digest() for p in shipped))
    folder = ASSET_DIR / "wheels" / digest.hexdigest()[:12]
    folder.mkdir(parents=True)
    for path in shipped:
        shutil.copyfile(path, folder / path.name)
    rel = folder.relative_to(ASSET_DIR).as_posix()
    lock = json.loads((PYODIDE_DIR / "pyodide-lock.json").read_text(encoding="utf-8"))
    # Sizes of the files the worker fetch()es (the .mjs files are module imports), for its
    # download progress.
    fetched = [PYODIDE_DIR / "pyodide.asm.wasm", folder / STDLIB, folder / wheel.name]
    config = {
        "wheel": f"{rel}/{wheel.name}",
        "stdlib": f"{rel}/{STDLIB}",
        "lock": {"info": lock["info"], "packages": {}},
        "sizes": {path.name: path.stat().st_size for path in fetched},
    }
    worker = (SOURCE / "worker.js").read_text(encoding="utf-8")
    worker, count = BUILD_MARK.subn(f"/*BUILD*/{json.dumps(config)}/*END*/", worker)
    if count != 1:
        raise SystemExit("build_calculator: worker.js lost its /*BUILD*/ marker")
    (ASSET_DIR / "worker.js").write_text(worker, encoding="utf-8")
    PAGE_DIR.mkdir(parents=True)
    (PAGE_DIR / "index.md").write_text(render_page(framework, folder.name), "utf-8")


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
    inputs = [wheel, MAKE_RUNTIME, *(NODE_PYODIDE / name for name in PYODIDE_FILES)]
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


def esc(text: object) -> str:
    return html.escape(str(text), quote=True)


def render_page(framework: Framework, version: str) -> str:
    """The page; `version` names the build of spbe_core it runs (results remembered by the page
    are only shown again for the same build)."""
    template = (SOURCE / "page.md").read_text(encoding="utf-8")
    values = {
        "versi": esc(version),
        "framework": esc(framework.id),
        "framework_name": esc(framework.name),
        "items": esc(" ".join(framework.item_ids)),
        "skema": scheme_choice(framework),
        "form": form(framework),
        "skala_batang": predikat_scale(framework)[0],
        "skala": predikat_scale(framework)[1],
        "domains": figure_rows(framework, "domain"),
        "aspects": figure_rows(framework, "aspek"),
        "cetak": print_table(framework),
    }
    for key, value in values.items():
        template = template.replace("{{ " + key + " }}", value)
    left = re.findall(r"\{\{ \w+ \}\}", template)
    if left:
        raise SystemExit(f"build_calculator: unknown placeholders in page.md: {left}")
    return template


def scheme_choice(framework: Framework) -> str:
    rows = []
    for scheme in framework.schemes:
        checked = " checked" if scheme.id == framework.default_scheme else ""
        rows.append(
            f'<label class="kalk-skema-opsi"><input type="radio" name="skema"'
            f' value="{esc(scheme.id)}"{checked}> <span><strong>{esc(scheme.name)}</strong>'
            f"{' (bawaan)' if checked else ''}</span></label>"
        )
    return "".join(rows)


def form(framework: Framework) -> str:
    """Domains > aspects > one fieldset per item, each level a radio labelled with its criteria."""
    out = []
    for domain in framework.domains:
        anchor = f"form-domain-{esc(domain.id)}"
        out.append(
            f'<section class="kalk-domain" aria-labelledby="{anchor}">'
            f'<h2 id="{anchor}">Domain {esc(domain.id)}: {esc(domain.name)}</h2>'
        )
        for aspect_id in domain.aspects:
            aspect = framework.aspect(aspect_id)
            out.append(
                f'<h3 id="form-aspek-{esc(aspect.id)}">'
                f"Aspek {esc(aspect.id)}: {esc(aspect.name)}</h3>"
            )
            out.extend(item_fieldset(framework, item_id) for item_id in aspect.items)
        out.append("</section>")
    return "\n".join(out)


def item_fieldset(framework: Framework, item_id: str) -> str:
    item = framework.item(item_id)
    indicator = framework.indicator(item.indicator)
    model = framework.model(indicator.model)
    name = f"l-{item.id}"
    title = esc(indicator.name)
    if len(indicator.items) > 1:
        title += f' <span class="butir-sub">({esc(item.label)})</span>'
    options = [
        f'<label class="opsi opsi-kosong"><input type="radio" name="{name}" value="" checked>'
        '<span class="opsi-level">Belum diisi</span></label>'
    ]
    for level, criteria in zip(framework.levels, indicator.criteria, strict=True):
        options.append(
            f'<label class="opsi"><input type="radio" name="{name}" value="{level}">'
            f'<span class="opsi-level">Level {level}'
            f' <span class="opsi-nama">{esc(model.level_names[level])}</span></span>'
            f'<span class="opsi-kriteria">{esc(criteria)}</span></label>'
        )
    return (
        f'<fieldset class="butir" id="butir-{esc(item.id)}" data-butir="{esc(item.id)}">'
        f'<legend><span class="butir-no">{esc(item.id)}</span> {title}</legend>'
        f'<p class="butir-info"><a href="../{esc(framework.slug)}/indikator/{esc(indicator.id)}/">'
        "Panduan indikator"
        f" {esc(indicator.id)}</a> <span>· {esc(model.name)}</span>"
        f' <span class="butir-kontribusi" id="kontribusi-{esc(item.id)}"></span></p>'
        f'<div class="opsi-daftar">{"".join(options)}</div></fieldset>'
    )


def predikat_scale(framework: Framework) -> tuple[str, str]:
    """The predikat bands, lowest first: coloured bar segments (decoration) and the legend."""
    bands = list(reversed(framework.predikat))
    low, top = Decimal(framework.min_level), Decimal(framework.max_level)
    step = Decimal("0.01")  # published figures have 2 decimals
    segments, legend = [], []
    for n, band in enumerate(bands):
        upper = bands[n + 1].min if n + 1 < len(bands) else top + step
        width = (min(upper, top) - band.min) / (top - low)
        span = f"{format_number(band.min)}–{format_number(upper - step)}"
        key = esc(slug(band.name))
        segments.append(
            f'<span class="skala-segmen" data-predikat="{key}"'
            f' style="width:{float(width) * 100:.2f}%"></span>'
        )
        legend.append(
            f'<li class="skala-pita" data-predikat="{key}">'
            f'<span class="skala-nama">{esc(band.name)}</span>'
            f' <span class="skala-rentang">{esc(span)}</span></li>'
        )
    return "".join(segments), "".join(legend)


def figure_rows(framework: Framework, kind: str) -> str:
    """Result rows (name, bar, figure) for each domain or aspect; the worker fills them in."""
    rows = []
    if kind == "domain":
        entries = [(d.id, f"Domain {d.id}", d.name) for d in framework.domains]
    else:
        entries = [(a.id, f"Aspek {a.id}", a.label) for a in framework.aspects]
    for entry_id, number, label in entries:
        rows.append(
            f'<li class="grafik-baris" data-{kind}="{esc(entry_id)}">'
            f'<span class="grafik-label"><span class="grafik-no">{esc(number)}</span>'
            f" {esc(label)}</span>"
            '<span class="grafik-batang" aria-hidden="true">'
            '<span class="grafik-isi"></span></span>'
            f'<span class="grafik-nilai" id="hasil-{kind}-{esc(entry_id)}">–</span></li>'
        )
    return "".join(rows)


def print_table(framework: Framework) -> str:
    rows = []
    for item in framework.items:
        indicator = framework.indicator(item.indicator)
        name = indicator.name if len(indicator.items) == 1 else f"{indicator.name} ({item.label})"
        rows.append(
            f"<tr><td>{esc(item.id)}</td><td>{esc(name)}</td>"
            f'<td class="cetak-level" data-cetak="{esc(item.id)}">belum diisi</td></tr>'
        )
    return "".join(rows)


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


if __name__ == "__main__":
    built = sorted((ROOT / "build" / "wheel").glob("spbe_core-*.whl"))
    if not built:
        raise SystemExit("build the wheel first: python scripts/build_site.py")
    main(built[-1])

"""Prepare build/ for `mkdocs build`: build the wheel, assemble the docs_dir, add the calculator.

The MkDocs docs_dir is build/docs/: the hand-written pages of docs/, every framework's generated
pages and the redirects of old URLs (gen_pages.py), and the calculator (build_calculator.py).
gen_pages.py also writes build/mkdocs.yml, the config to build with. Everything this writes is a
build output (gitignored). Run from the repository root: `python scripts/build_site.py`, then
`mkdocs build --strict -f build/mkdocs.yml`; or `--clean` to remove it all.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # the scripts import spbe_core from the checkout
sys.path.insert(0, str(ROOT / "scripts"))

import build_calculator  # noqa: E402
import gen_pages  # noqa: E402

WHEEL_DIR = ROOT / "build" / "wheel"


def build_wheel() -> Path:
    """A plain py3-none-any wheel of spbe_core, the same file CPython and Pyodide install.

    Reproducible (fixed timestamps): an unchanged core gives the same bytes, so returning
    users keep their cached wheel and Pyodide snapshot after a deploy.
    """
    os.environ.setdefault("SOURCE_DATE_EPOCH", "315532800")  # 1980-01-01, zip's epoch
    # Dev dependency, imported late so --clean works without it; it ships no type hints.
    from flit_core import buildapi  # type: ignore[import-untyped]

    shutil.rmtree(WHEEL_DIR, ignore_errors=True)
    WHEEL_DIR.mkdir(parents=True)
    cwd = Path.cwd()
    try:
        os.chdir(ROOT)
        name: str = buildapi.build_wheel(str(WHEEL_DIR))
    finally:
        os.chdir(cwd)
    return WHEEL_DIR / name


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--clean", action="store_true", help="remove generated files and exit")
    args = parser.parse_args(argv)
    if args.clean:
        gen_pages.clean()
        build_calculator.clean()
        return 0
    wheel = build_wheel()
    gen_pages.main()
    build_calculator.main(wheel)
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""A strict Content-Security-Policy on every built page, as a <meta> tag (GitHub Pages sets no
headers): `python scripts/csp.py site`, run by scripts/offline.py before it lists the files.

Scripts: only the site's own files and the inline scripts the build put there, allowed by their
SHA-256 (Material's few, the calculator page's engine start, the redirect pages); no
'unsafe-inline', no 'unsafe-eval'. 'wasm-unsafe-eval' lets Pyodide compile its WebAssembly.
Styles: 'self' and 'unsafe-inline'. Hashes of the attributes the build wrote are not enough:
instant navigation swaps in another page's body under the first page's policy (its bar widths
would be blocked), and the comparison chart's SVG carries style attributes. Styles cannot run code.
A page with something the policy would silently block (an inline event handler, a `javascript:`
URL, an inline <style> element) fails the build instead. Running it again replaces the tag.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import re
import sys
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

# Script types the browser executes (everything else, e.g. Material's JSON config, is data).
SCRIPT_TYPES = {"", "text/javascript", "module", "application/javascript"}
FIXED = {
    "default-src": "'self'",
    "img-src": "'self' data:",
    "font-src": "'self'",
    "connect-src": "'self'",
    "worker-src": "'self'",
    "manifest-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'self'",
    "form-action": "'self'",
}
META_START = '<meta http-equiv="Content-Security-Policy"'
OLD_META = re.compile(r'\s*<meta http-equiv="Content-Security-Policy" content="[^"]*">')
# Right after the charset (which must stay within the first 1024 bytes), else right after <head>.
ANCHOR = re.compile(r"<meta charset=[^>]*>|<head(\s[^>]*)?>", re.IGNORECASE)


def digest(text: str) -> str:
    """A CSP hash source for this exact text."""
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"


@dataclass(frozen=True)
class Inline:
    scripts: tuple[str, ...]  # the text of every executable inline script
    style_attributes: tuple[str, ...]


class _Finder(HTMLParser):
    def __init__(self, page: str) -> None:
        super().__init__(convert_charrefs=False)
        self.page = page
        self.scripts: list[str] = []
        self.styles: list[str] = []
        self._in_script: bool | None = None  # None: outside; else whether it runs
        self._text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name.startswith("on"):
                raise SystemExit(f"csp.py: {self.page}: inline event handler {name}=")
            if (value or "").strip().lower().startswith("javascript:"):
                raise SystemExit(f"csp.py: {self.page}: javascript: URL in {name}=")
            if name == "style" and value is not None:
                self.styles.append(value)
        if tag == "style":
            raise SystemExit(f"csp.py: {self.page}: inline <style> element")
        if tag == "script" and "src" not in dict(attrs):
            kind = (dict(attrs).get("type") or "").strip().lower()
            self._in_script = kind in SCRIPT_TYPES
            self._text = []

    def handle_data(self, data: str) -> None:
        if self._in_script is not None:
            self._text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "script" and self._in_script is not None:
            if self._in_script:
                self.scripts.append("".join(self._text))
            self._in_script = None


def inline(html: str, page: str = "page") -> Inline:
    # The parser must see the raw script text: HTMLParser treats <script> content as CDATA.
    finder = _Finder(page)
    finder.feed(html)
    finder.close()
    return Inline(tuple(finder.scripts), tuple(finder.styles))


def policy(found: Inline) -> str:
    scripts = sorted({digest(text) for text in found.scripts})
    directives = {
        "default-src": FIXED["default-src"],
        "script-src": " ".join(["'self'", "'wasm-unsafe-eval'", *scripts]),
        "style-src": "'self' 'unsafe-inline'",
        **{k: v for k, v in FIXED.items() if k != "default-src"},
    }
    return "; ".join(f"{name} {value}" for name, value in directives.items())


def protect(html: str, page: str = "page") -> str:
    """The page with its policy early in <head>, before any script."""
    html = OLD_META.sub("", html)
    head = ANCHOR.search(html)
    if head is None:
        raise SystemExit(f"csp.py: {page}: no <head>")
    meta = f'{META_START} content="{policy(inline(html, page))}">'
    return html[: head.end()] + "\n" + meta + html[head.end() :]


def protect_file(path: Path, site: Path) -> None:
    page = str(path.relative_to(site))
    path.write_text(protect(path.read_text(encoding="utf-8"), page), encoding="utf-8")


def protect_site(site: Path) -> int:
    """Give every page of the built site its policy; return the number of pages."""
    pages = sorted(site.rglob("*.html"))
    # Parsing 200-odd pages is a second of a site build's own time on one core: one process
    # per core.
    with ProcessPoolExecutor() as pool:
        for _ in pool.map(protect_file, pages, [site] * len(pages), chunksize=8):
            pass
    return len(pages)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("site", type=Path, help="the built site (mkdocs output)")
    args = parser.parse_args(argv)
    print(f"csp.py: {protect_site(args.site)} pages")
    return 0


if __name__ == "__main__":
    sys.exit(main())

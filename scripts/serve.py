"""Serve a built static site under a URL prefix on 127.0.0.1, like GitHub Pages does.

The site is published at a sub-path (``/panduan-spbe/``), so serving it at ``/`` would hide
broken absolute links. Anything outside the prefix is a 404, and directories without an
``index.html`` are a 404 too (no listings), as on GitHub Pages. Text types and WebAssembly are
sent gzipped to clients that accept it (``Content-Encoding: gzip``, ``Vary: Accept-Encoding``),
as GitHub Pages does, so local transfer sizes and timings mean what users get.

CLI:     python scripts/serve.py --root site --prefix /panduan-spbe/ --port 8000
Library: server, base_url = start_server(Path("site"), "/panduan-spbe/"); ...; stop_server(server)
         or Site(Path("site")): restartable on the same port, logging what it sent.
"""

from __future__ import annotations

import argparse
import contextlib
import email.utils
import gzip
import io
import os
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

HOST = "127.0.0.1"
# on_sent(path, size, started): a file body of `size` bytes was sent for the request `path`
# that arrived at `started` (time.time()). The benchmark counts transferred bytes with it.
SentHook = Callable[[str, int, float], None]

# Explicit types so results do not depend on the machine's /etc/mime.types.
# WebAssembly.instantiateStreaming() rejects .wasm unless it is served as application/wasm,
# and module workers/imports reject JavaScript served with a non-JS type.
MIME_TYPES: dict[str, str] = {
    ".html": "text/html; charset=utf-8",
    ".htm": "text/html; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".mjs": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".json": "application/json",
    ".map": "application/json",
    ".webmanifest": "application/manifest+json",
    ".wasm": "application/wasm",
    ".whl": "application/zip",
    ".zip": "application/zip",
    ".gz": "application/gzip",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".ico": "image/x-icon",
    ".woff2": "font/woff2",
    ".txt": "text/plain; charset=utf-8",
    ".toml": "text/plain; charset=utf-8",
    ".xml": "application/xml",
}
# What GitHub Pages gzips: text types and WebAssembly; never files that are already compressed
# (.whl, .zip, .gz, .woff2, .png).
COMPRESSED_SUFFIXES = frozenset(
    {".html", ".htm", ".js", ".mjs", ".css", ".json", ".map", ".webmanifest", ".wasm", ".svg"}
    | {".txt", ".toml", ".xml", ".ico"}
)
GZIP_LEVEL = 6
# Gzipped bodies by (path, mtime_ns, size): each file is compressed once per server process.
_gzipped: dict[tuple[str, int, int], bytes] = {}
_gzipped_lock = threading.Lock()


def gzipped(path: Path) -> bytes:
    """The gzip body of a file, cached while the file is unchanged."""
    stat = path.stat()
    key = (str(path), stat.st_mtime_ns, stat.st_size)
    with _gzipped_lock:
        body = _gzipped.get(key)
    if body is None:
        body = gzip.compress(path.read_bytes(), compresslevel=GZIP_LEVEL, mtime=0)
        with _gzipped_lock:
            _gzipped[key] = body
    return body


def accepts_gzip(header: str | None) -> bool:
    """True when an Accept-Encoding header allows gzip ("gzip;q=0" refuses it)."""
    for part in (header or "").split(","):
        name, _, params = part.partition(";")
        if name.strip().lower() in ("gzip", "*"):
            q = params.strip()
            try:
                return not q.startswith("q=") or float(q[2:]) > 0
            except ValueError:
                return False
    return False


def normalize_prefix(prefix: str) -> str:
    """Return the prefix with exactly one leading and one trailing slash ("/" stays "/")."""
    inner = prefix.strip("/")
    return f"/{inner}/" if inner else "/"


class PrefixServer(ThreadingHTTPServer):
    """HTTP server that knows which directory it serves and under which prefix."""

    daemon_threads = True
    # Let a quickly restarted CLI reuse the port.
    allow_reuse_address = True

    def __init__(
        self,
        root: Path,
        prefix: str,
        port: int,
        *,
        verbose: bool = False,
        on_sent: SentHook | None = None,
    ) -> None:
        self.root = root.resolve()
        self.prefix = normalize_prefix(prefix)
        self.verbose = verbose
        self.on_sent = on_sent
        self.thread: threading.Thread | None = None
        super().__init__((HOST, port), PrefixHandler)

    @property
    def base_url(self) -> str:
        port = self.server_address[1]
        return f"http://{HOST}:{port}{self.prefix}"

    def handle_error(self, request: Any, client_address: Any) -> None:
        # Browsers drop connections mid-response (navigation, cancelled fetches); that is noise.
        exc = sys.exc_info()[1]
        if isinstance(exc, ConnectionError) and not self.verbose:
            return
        super().handle_error(request, client_address)


class PrefixHandler(SimpleHTTPRequestHandler):
    """Static file handler that maps ``<prefix>path`` to ``<root>/path``."""

    def __init__(self, request: Any, client_address: Any, server: PrefixServer) -> None:
        self.site = server
        self.extensions_map = {**SimpleHTTPRequestHandler.extensions_map, **MIME_TYPES}
        super().__init__(request, client_address, server, directory=str(server.root))

    def do_GET(self) -> None:
        # SimpleHTTPRequestHandler.do_GET, plus the on_sent report.
        if not self._check_prefix():
            return
        started = time.time()
        body = self.send_head()
        if body is None:
            return
        try:
            self.copyfile(body, self.wfile)
            if self.site.on_sent is not None:
                self.site.on_sent(self.path, body.tell(), started)
        finally:
            body.close()

    def do_HEAD(self) -> None:
        if self._check_prefix():
            super().do_HEAD()

    def send_head(self) -> Any:
        # A compressible file goes gzipped to a client that accepts it; every response of such a
        # type says that it varies with Accept-Encoding, as on GitHub Pages.
        self._vary = False
        path = Path(self.translate_path(self.path))
        if path.is_dir() and urlsplit(self.path).path.endswith("/"):
            path = path / "index.html"
        if not path.is_file() or path.suffix not in COMPRESSED_SUFFIXES:
            return super().send_head()
        self._vary = True
        if not accepts_gzip(self.headers.get("Accept-Encoding")):
            return super().send_head()
        if self.headers.get("If-Modified-Since") and not self.headers.get("If-None-Match"):
            # SimpleHTTPRequestHandler's own 304 check, for unchanged files.
            with contextlib.suppress(TypeError, IndexError, OverflowError, ValueError):
                since = email.utils.parsedate_to_datetime(self.headers["If-Modified-Since"])
                if int(path.stat().st_mtime) <= since.timestamp():
                    self.send_response(HTTPStatus.NOT_MODIFIED)
                    self.end_headers()
                    return None
        body = gzipped(path)
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Last-Modified", self.date_time_string(int(path.stat().st_mtime)))
        self.end_headers()
        return io.BytesIO(body)

    def _check_prefix(self) -> bool:
        """Return True if the request is inside the prefix; otherwise answer it here."""
        path = urlsplit(self.path).path
        prefix = self.site.prefix
        if path.startswith(prefix):
            return True
        if path == prefix.rstrip("/"):
            self.send_response(HTTPStatus.MOVED_PERMANENTLY)
            self.send_header("Location", prefix)
            self.send_header("Content-Length", "0")
            self.end_headers()
        else:
            self.send_error(HTTPStatus.NOT_FOUND)
        return False

    def translate_path(self, path: str) -> str:
        # Callers only get here for paths inside the prefix; keep one leading slash.
        return super().translate_path("/" + path[len(self.site.prefix) :])

    def list_directory(self, path: str | os.PathLike[str]) -> None:
        # GitHub Pages does not list directories.
        self.send_error(HTTPStatus.NOT_FOUND)

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        # Serve the site's own 404 page, as GitHub Pages does, when there is one.
        page = self.site.root / "404.html"
        if code != HTTPStatus.NOT_FOUND or self.command == "HEAD" or not page.is_file():
            super().send_error(code, message, explain)
            return
        body = page.read_bytes()
        self.send_response(code, message)
        self.send_header("Content-Type", MIME_TYPES[".html"])
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Connection", "close")
        self.end_headers()
        self.wfile.write(body)

    def end_headers(self) -> None:
        # Revalidate every time so a rebuilt site is never served stale from the browser cache.
        self.send_header("Cache-Control", "no-cache")
        if getattr(self, "_vary", False):
            self.send_header("Vary", "Accept-Encoding")
        super().end_headers()

    def log_message(self, format: str, *args: Any) -> None:
        if self.site.verbose:
            super().log_message(format, *args)


def start_server(
    root: Path,
    prefix: str = "/panduan-spbe/",
    port: int = 0,
    *,
    verbose: bool = False,
    on_sent: SentHook | None = None,
) -> tuple[PrefixServer, str]:
    """Serve ``root`` under ``prefix`` from a daemon thread; port 0 picks a free port.

    Returns the server and its base URL (ending in the prefix). Call stop_server() when done.
    """
    if not root.is_dir():
        raise FileNotFoundError(f"not a directory: {root}")
    server = PrefixServer(root, prefix, port, verbose=verbose, on_sent=on_sent)
    server.thread = threading.Thread(
        target=server.serve_forever, name=f"serve {server.base_url}", daemon=True
    )
    server.thread.start()
    return server, server.base_url


def stop_server(server: PrefixServer) -> None:
    """Stop the serving thread and close the listening socket."""
    server.shutdown()
    server.server_close()
    if server.thread is not None:
        server.thread.join(timeout=5)


@dataclass(frozen=True)
class Sent:
    path: str  # relative to the site root, without the query
    size: int
    at: float  # when the request arrived, ms since the epoch


class Site:
    """``root`` served under ``prefix`` on one port, with a log of the bodies sent. stop() cuts
    the network (going offline) and start() brings it back on the same port: the origin, and so
    a service worker's caches, must not change."""

    def __init__(self, root: Path, prefix: str = "/panduan-spbe/") -> None:
        self.root = root
        self.prefix = prefix
        self.sent: list[Sent] = []
        self._lock = threading.Lock()
        self._server: PrefixServer | None = None
        self.port = 0
        self.start()

    @property
    def base_url(self) -> str:
        return f"http://{HOST}:{self.port}{self.prefix}"

    def start(self) -> None:
        self._server, _ = start_server(self.root, self.prefix, self.port, on_sent=self._on_sent)
        self.port = self._server.server_address[1]

    def stop(self) -> None:
        if self._server is not None:
            stop_server(self._server)
            self._server = None

    def _on_sent(self, path: str, size: int, started: float) -> None:
        relative = unquote(urlsplit(path).path).removeprefix(self.prefix)
        with self._lock:
            self.sent.append(Sent(relative, size, started * 1000))

    def since(self, start: int, until: float = float("inf")) -> list[Sent]:
        """What was sent since log position `start`, for requests that arrived before `until`."""
        with self._lock:
            return [s for s in self.sent[start:] if s.at <= until]

    def position(self) -> int:
        with self._lock:
            return len(self.sent)


@contextlib.contextmanager
def serving(root: Path, prefix: str = "/panduan-spbe/", port: int = 0) -> Iterator[str]:
    """Context manager form of start_server(); yields the base URL."""
    server, base_url = start_server(root, prefix, port)
    try:
        yield base_url
    finally:
        stop_server(server)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--root", type=Path, default=Path("site"), help="directory to serve")
    parser.add_argument("--prefix", default="/panduan-spbe/", help="URL prefix (sub-path)")
    parser.add_argument("--port", type=int, default=8000, help="port on 127.0.0.1 (0 = any)")
    parser.add_argument("--verbose", action="store_true", help="log every request")
    args = parser.parse_args(argv)
    if not args.root.is_dir():
        print(f"serve: bukan folder: {args.root} (jalankan `make site` dahulu)", file=sys.stderr)
        return 1
    try:
        server = PrefixServer(args.root, args.prefix, args.port, verbose=args.verbose)
    except OSError as exc:
        print(f"serve: tidak dapat memakai {HOST}:{args.port}: {exc}", file=sys.stderr)
        return 1
    print(f"Menyajikan {server.root} di {server.base_url} (Ctrl+C untuk berhenti)", flush=True)
    with server, contextlib.suppress(KeyboardInterrupt):
        server.serve_forever()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""scripts/serve.py compresses like GitHub Pages: gzip for text types and WebAssembly only."""

from __future__ import annotations

import gzip
import http.client
import sys
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "scripts"))

from serve import accepts_gzip, start_server, stop_server

PAGE = "<!doctype html><title>Uji</title>" + "<p>Kalkulator Indeks SPBE</p>" * 200


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[str, int, Path]]:
    (tmp_path / "index.html").write_text(PAGE, encoding="utf-8")
    (tmp_path / "mesin.wasm").write_bytes(b"\0asm" + bytes(4000))
    (tmp_path / "paket.whl").write_bytes(b"PK" + bytes(4000))
    server, base = start_server(tmp_path, "/situs/")
    url = urlsplit(base)
    try:
        yield url.hostname or "", url.port or 0, tmp_path
    finally:
        stop_server(server)


def body(host: str, port: int, path: str, encoding: str | None) -> tuple[dict[str, str], bytes]:
    connection = http.client.HTTPConnection(host, port, timeout=10)
    connection.request("GET", path, headers={"Accept-Encoding": encoding} if encoding else {})
    response = connection.getresponse()
    data = response.read()
    connection.close()
    return {k.lower(): v for k, v in response.getheaders()}, data


def test_text_and_wasm_are_gzipped_for_a_client_that_accepts_it(
    served: tuple[str, int, Path],
) -> None:
    host, port, root = served
    for path, file in (("/situs/", "index.html"), ("/situs/mesin.wasm", "mesin.wasm")):
        headers, data = body(host, port, path, "gzip, deflate, br")
        assert headers["content-encoding"] == "gzip"
        assert headers["vary"] == "Accept-Encoding"
        assert int(headers["content-length"]) == len(data) < (root / file).stat().st_size
        assert gzip.decompress(data) == (root / file).read_bytes()
    headers, _ = body(host, port, "/situs/", "gzip")
    assert headers["content-type"] == "text/html; charset=utf-8"


def test_plain_bytes_without_accept_encoding_and_for_compressed_files(
    served: tuple[str, int, Path],
) -> None:
    host, port, root = served
    headers, data = body(host, port, "/situs/index.html", None)
    assert "content-encoding" not in headers
    assert headers["vary"] == "Accept-Encoding"  # the same URL has a gzipped variant
    assert data == (root / "index.html").read_bytes()
    headers, data = body(host, port, "/situs/paket.whl", "gzip")
    assert "content-encoding" not in headers
    assert "vary" not in headers
    assert data == (root / "paket.whl").read_bytes()


def test_accept_encoding_is_read_like_a_browser_sends_it() -> None:
    assert accepts_gzip("gzip, deflate, br, zstd")
    assert accepts_gzip("br;q=1.0, gzip;q=0.8")
    assert accepts_gzip("*")
    assert not accepts_gzip("gzip;q=0")
    assert not accepts_gzip("identity")
    assert not accepts_gzip(None)

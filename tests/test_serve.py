"""The local server used by `make serve`, the tests and the benchmarks."""

from __future__ import annotations

import gzip
import urllib.request

import serve


def test_serves_gzip_redirects_and_wasm_type(tmp_path):
    (tmp_path / "guide").mkdir()
    (tmp_path / "guide" / "index.html").write_text("<p>xin chào</p>" * 50, encoding="utf-8")
    (tmp_path / "engine.wasm").write_bytes(b"\0asm" + b"\0" * 64)
    httpd = serve.start(tmp_path)
    host, port = httpd.server_address
    base = f"http://{host}:{port}"
    try:
        assert host == "127.0.0.1"
        request = urllib.request.Request(base + "/guide/", headers={"Accept-Encoding": "gzip"})
        with urllib.request.urlopen(request) as response:
            assert response.headers["Content-Encoding"] == "gzip"
            assert gzip.decompress(response.read()).decode() == "<p>xin chào</p>" * 50
        with urllib.request.urlopen(base + "/guide") as response:  # directory without slash
            assert response.url.endswith("/guide/")
            assert "Content-Encoding" not in response.headers  # plain for clients without gzip
        with urllib.request.urlopen(base + "/engine.wasm") as response:
            assert response.headers["Content-Type"] == "application/wasm"
        # a precompressed variant beside the file wins when the client accepts it
        (tmp_path / "engine.wasm.br").write_bytes(b"brotli bytes")
        request = urllib.request.Request(base + "/engine.wasm", headers={"Accept-Encoding": "gzip, br"})
        with urllib.request.urlopen(request) as response:
            assert response.headers["Content-Encoding"] == "br"
            assert response.headers["Content-Type"] == "application/wasm"
            assert response.read() == b"brotli bytes"
    finally:
        httpd.shutdown()

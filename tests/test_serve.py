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


# ---- hardening --------------------------------------------------------------------------------

import http.client  # noqa: E402
import socket  # noqa: E402
import time  # noqa: E402

import pytest  # noqa: E402


@pytest.fixture
def local(tmp_path):
    """A small site beside a secret outside it, served with a 1 s timeout per silent connection."""
    site = tmp_path / "site"
    (site / "guide").mkdir(parents=True)
    (site / "empty").mkdir()
    (site / "guide" / "index.html").write_text("<p>xin chào</p>" * 50, encoding="utf-8")
    (site / "style.css").write_text("p { color: #000 }\n" * 20, encoding="utf-8")
    (site / "style.css.br").write_bytes(b"brotli bytes")
    (site / "404.html").write_text("<h1>Không tìm thấy trang</h1>", encoding="utf-8")
    (tmp_path / "secret.txt").write_text("mật khẩu", encoding="utf-8")
    (site / "leak.txt").symlink_to(tmp_path / "secret.txt")
    (site / "outside").symlink_to(tmp_path)
    (site / "inside.css").symlink_to(site / "style.css")  # a link within the site is fine
    httpd = serve.start(site, timeout=1, lifetime=120)
    yield httpd.server_address
    httpd.shutdown()


def get(address, path, **headers):
    connection = http.client.HTTPConnection(*address, timeout=10)
    try:
        connection.request("GET", path, headers=headers)
        response = connection.getresponse()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
    finally:
        connection.close()


@pytest.mark.parametrize("path", ["/leak.txt", "/outside/secret.txt", "/%2e%2e/secret.txt", "/../secret.txt",
                                  "/guide/%2e%2e/%2e%2e/secret.txt", "/guide%00.html", "/%ff%fe", "/empty/",
                                  "/guide/index.html/", "/outside/"])
def test_nothing_outside_the_site_and_no_listing(local, path):
    status, headers, body = get(local, path)
    assert status == 404, (path, status)
    assert "Không tìm thấy trang" in body.decode(), path  # the site's own 404 page, not a listing
    assert "mật khẩu" not in body.decode() and "secret" not in body.decode()


def test_links_within_the_site_are_served(local):
    assert get(local, "/inside.css")[0] == 200


@pytest.mark.parametrize("accept, encoding", [
    ("br, gzip", "br"), ("BR", "br"), ("gzip, br;q=0", "gzip"), ("br;q=0.0, gzip;q=0", None),
    ("*", "br"), ("*;q=0", None), ("identity", None), ("", None), ("gzip;q=bad, br;q=0", None),
])
def test_encoding_is_negotiated_per_the_standard(local, accept, encoding):
    status, headers, body = get(local, "/style.css", **{"Accept-Encoding": accept})
    assert status == 200 and headers.get("content-encoding") == encoding, (accept, headers)
    assert headers["vary"] == "Accept-Encoding"  # on every negotiated response, compressed or not
    assert headers["x-content-type-options"] == "nosniff"
    if encoding is None:
        assert body.decode() == "p { color: #000 }\n" * 20


def test_a_silent_connection_is_closed(local):
    with socket.create_connection(local, timeout=10) as client:
        client.sendall(b"GET /guide/ HTTP/1.1\r\n")  # and then nothing
        started = time.monotonic()
        assert client.recv(100) == b""  # closed by the server after its timeout
        assert time.monotonic() - started < 8


def test_fifty_connections_at_once_without_a_stall(local):
    import load

    result = load.run(f"http://{local[0]}:{local[1]}", connections=50, requests=20,
                      paths=["/guide/", "/style.css", "/missing/"], limit=60)
    assert result["errors"] == [] and result["requests"] == 1000, result
    assert result["statuses"] == [200, 404], result
    # a full listen backlog drops the connection attempt, and the client retries after 1 s
    assert result["max_connect_ms"] < 1000, result

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


# ---- the build's headers ----------------------------------------------------------------------

FOLDERS = ("", "en/", "en-gb/", "bdq-Latn/", "zh-Hant-TW/")  # language folders, BCP 47 and all


@pytest.fixture
def with_headers(tmp_path):
    """A small site in several language folders, with the headers a build writes for it
    (handbook/headers.py: headers.json, and nginx.conf from the same data)."""
    from conftest import ROOT
    from handbook.headers import Policies

    site = tmp_path / "site"
    for folder in FOLDERS:
        for page in ("", "wizard/", "kiosk/"):
            (site / folder / page).mkdir(parents=True, exist_ok=True)
            (site / folder / page / "index.html").write_text("<p>trang</p>", encoding="utf-8")
    (site / "assets" / "wizard").mkdir(parents=True)
    (site / "assets" / "wizard" / "worker.mjs").write_text("postMessage(1);\n", encoding="utf-8")
    (site / "assets" / "wizard" / "wizard.js").write_text("new Worker('worker.mjs');\n", encoding="utf-8")
    (site / "404.html").write_text("<h1>Không tìm thấy trang</h1>", encoding="utf-8")
    policies = Policies()
    policies.with_meta("<head><title>x</title></head>")
    policies.hashes.add("'sha256-dGVzdA=='")  # as a page's inline script would
    data = policies.write(tmp_path / "deploy", ROOT / "deploy" / "nginx.conf.in", site)
    httpd = serve.start(site, headers=tmp_path / "deploy" / "headers.json", timeout=5, lifetime=120)
    yield httpd.server_address, data
    httpd.shutdown()


def test_every_response_carries_the_builds_headers(with_headers):
    address, data = with_headers
    page_policy = data["content_security_policy"]["default"]
    assert "frame-ancestors 'none'" in page_policy and "'sha256-dGVzdA=='" in page_policy
    assert "wasm-unsafe-eval" not in page_policy
    requests = [(folder + page, 200) for folder in FOLDERS
                for page in ("", "wizard/", "kiosk/", "wizard/index.html")]
    requests += [("en-gb/wizard", 301), ("bdq-Latn/kiosk", 301), ("en-gb/no/such/page/", 404),
                 ("%ff%fe", 404), ("assets/wizard/wizard.js", 200), ("assets/wizard/", 404)]
    for path, status in requests:
        got, headers, _ = get(address, "/" + path, **{"Accept-Encoding": "gzip"})
        assert got == status, path
        assert headers["content-security-policy"] == page_policy, path  # whatever the folder
        for name, value in data["every_response"].items():
            assert headers[name.lower()] == value, (path, name)
        assert "strict-transport-security" not in headers  # plain HTTP: browsers ignore it
        assert headers["server"] == "serve.py"  # no version
    # the worker's own response allows WebAssembly, whatever names it
    worker = data["content_security_policy"]["paths"]["/assets/wizard/worker.mjs"]
    for path in ("/assets/wizard/worker.mjs", "/assets/wizard/../wizard/worker.mjs", "/assets/wizard/%77orker.mjs"):
        status, headers, _ = get(address, path)
        assert status == 200 and headers["content-security-policy"] == worker, path
        assert "'wasm-unsafe-eval'" in headers["content-security-policy"]


def test_a_request_too_long_to_read_gets_them_too(with_headers):
    address, data = with_headers
    with socket.create_connection(address, timeout=10) as client:  # refused before its path is read
        client.sendall(b"GET /" + b"a" * (65_537 - 5))  # exactly what it reads: nothing left unread
        reply = client.recv(8192).decode("latin-1")
    assert reply.startswith("HTTP/1.1 414")
    assert f"Content-Security-Policy: {data['content_security_policy']['default']}\r\n" in reply
    assert "X-Frame-Options: DENY\r\n" in reply


def test_each_response_on_a_connection_has_its_own_policy(with_headers):
    address, data = with_headers
    connection = http.client.HTTPConnection(*address, timeout=10)
    try:
        seen = []
        for path in ("/assets/wizard/worker.mjs", "/wizard/", "/assets/wizard/worker.mjs", "/missing/"):
            connection.request("GET", path)
            response = connection.getresponse()
            response.read()
            seen.append(response.getheader("Content-Security-Policy"))
    finally:
        connection.close()
    policies = data["content_security_policy"]
    worker, page = policies["paths"]["/assets/wizard/worker.mjs"], policies["default"]
    assert seen == [worker, page, worker, page]


def test_without_the_builds_headers_only_nosniff(local):
    status, headers, _ = get(local, "/guide/")
    assert status == 200 and headers["x-content-type-options"] == "nosniff"
    assert "content-security-policy" not in headers and "x-frame-options" not in headers


def test_make_serve_needs_the_builds_headers(tmp_path):
    import subprocess
    import sys

    (tmp_path / "index.html").write_text("<p>x</p>", encoding="utf-8")
    result = subprocess.run([sys.executable, str(serve.ROOT / "scripts" / "serve.py"), "--dir", str(tmp_path),
                             "--port", "0", "--headers", str(tmp_path / "missing.json")],
                            capture_output=True, text=True, timeout=30)
    assert result.returncode != 0 and "missing.json not found: build the site first" in result.stderr

"""The server configuration the build writes (build/deploy/nginx.conf) is valid and serves the
handbook as DEPLOY.md says: types, precompressed files, the same policy as a header, and the
wizard working under it."""

from __future__ import annotations

import os
import re
import shutil
import socket
import ssl
import subprocess
import urllib.error
import urllib.request

import pytest

from conftest import ROOT, complete_wizard

NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
BROTLI_MODULE = "/usr/lib/nginx/modules/ngx_http_brotli_static_module.so"


@pytest.fixture(scope="module")
def nginx(site, tmp_path_factory):
    if not os.path.isfile(NGINX) or not os.path.isfile(BROTLI_MODULE):
        if os.environ.get("CI"):
            pytest.fail("nginx is missing in CI: .ci/run must install nginx-light and "
                        "libnginx-mod-http-brotli-static")
        pytest.skip("nginx not installed (apt-get install nginx-light libnginx-mod-http-brotli-static)")
    generated = (ROOT / "build" / "deploy" / "nginx.conf").read_text(encoding="utf-8")
    ports = []
    for _ in range(2):
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            ports.append(probe.getsockname()[1])
    prefix = tmp_path_factory.mktemp("nginx")
    (prefix / "logs").mkdir()
    # a certificate made for this test only, in place of the commune's
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj",
                    "/CN=127.0.0.1", "-keyout", str(prefix / "key.pem"), "-out", str(prefix / "cert.pem")],
                   check=True, capture_output=True, timeout=60)
    server = generated.replace("listen 80;", f"listen 127.0.0.1:{ports[0]};")
    server = server.replace("listen 443 ssl http2;", f"listen 127.0.0.1:{ports[1]} ssl http2;")
    server = re.sub(r"ssl_certificate +/\S+;", f"ssl_certificate {prefix}/cert.pem;", server)
    server = re.sub(r"ssl_certificate_key +/\S+;", f"ssl_certificate_key {prefix}/key.pem;", server)
    server = re.sub(r"root /srv/handbook/site;", f"root {site};", server)
    conf = prefix / "nginx.conf"
    # the site is in pytest's private temporary folder: as root, let the workers read it as root
    user = "user root;\n" if os.geteuid() == 0 else ""
    conf.write_text(f"{user}load_module {BROTLI_MODULE};\npid {prefix}/nginx.pid;\nerror_log {prefix}/error.log;\n"
                    "daemon on;\nevents {}\nhttp {\n  access_log off;\n"
                    f"  client_body_temp_path {prefix};\n{server}\n}}\n", encoding="utf-8")
    test = subprocess.run([NGINX, "-t", "-c", str(conf), "-p", str(prefix)], capture_output=True, text=True)
    assert test.returncode == 0, test.stderr
    subprocess.run([NGINX, "-c", str(conf), "-p", str(prefix)], check=True, capture_output=True)
    yield {"https": f"https://127.0.0.1:{ports[1]}", "http": f"http://127.0.0.1:{ports[0]}"}
    subprocess.run([NGINX, "-c", str(conf), "-p", str(prefix), "-s", "stop"], capture_output=True)


UNVERIFIED = ssl.create_default_context()
UNVERIFIED.check_hostname, UNVERIFIED.verify_mode = False, ssl.CERT_NONE  # the test's own certificate


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def fetch(url, **headers):
    """(status, headers, body) of one request, following no redirect."""
    opener = urllib.request.build_opener(NoRedirect, urllib.request.HTTPSHandler(context=UNVERIFIED))
    try:
        with opener.open(urllib.request.Request(url, headers=headers), timeout=10) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


def head(url, **headers):
    return fetch(url, **headers)[1]


SECURITY_HEADERS = ("Content-Security-Policy", "Strict-Transport-Security", "X-Content-Type-Options",
                    "Referrer-Policy", "Permissions-Policy", "X-Frame-Options", "Cache-Control")


def test_https_only_and_every_header_on_every_response(nginx):
    status, headers, _ = fetch(nginx["http"] + "/guides/")
    assert status == 301 and headers["Location"].startswith("https://")
    assert headers["X-Content-Type-Options"] == "nosniff" and headers["Server"] == "nginx"
    for path in ("/", "/guides/outage-with-papers/", "/wizard/", "/assets/wizard/worker.mjs",
                 "/assets/pyodide/pyodide.asm.wasm", "/sw.js", "/assets/pictograms/elderly.svg", "/no/such/page/"):
        status, headers, body = fetch(nginx["https"] + path, **{"Accept-Encoding": "br, gzip"})
        missing = [h for h in SECURITY_HEADERS if not headers.get(h)]
        assert not missing, (path, status, missing)
        assert headers["Server"] == "nginx", path  # no version banner
        if path.startswith("/no/"):
            assert status == 404 and headers["Content-Encoding"] == "br"  # its precompressed copy
            assert b"md-content" in fetch(nginx["https"] + path)[2]  # the site's own 404 page, not nginx's
        elif path != "/":
            assert status == 200, path
    assert "Accept-Encoding" in head(nginx["https"] + "/assets/wizard/worker.mjs", **{"Accept-Encoding": "gzip"})["Vary"]


def test_types_compression_and_policy_headers(nginx):
    nginx = nginx["https"]
    wasm = head(nginx + "/assets/pyodide/pyodide.asm.wasm", **{"Accept-Encoding": "br, gzip"})
    assert wasm["Content-Type"] == "application/wasm" and wasm["Content-Encoding"] == "br"
    assert head(nginx + "/assets/wizard/worker.mjs")["Content-Type"].startswith("text/javascript")
    page = head(nginx + "/guides/outage-with-papers/")
    assert "default-src 'self'" in page["Content-Security-Policy"]
    assert "wasm-unsafe-eval" not in page["Content-Security-Policy"]
    assert "'wasm-unsafe-eval'" in head(nginx + "/wizard/")["Content-Security-Policy"]


@pytest.mark.browser
def test_the_site_works_under_the_servers_policy(browser, nginx):
    nginx = nginx["https"]
    context = browser.new_context(service_workers="block", ignore_https_errors=True)
    page = context.new_page()
    errors = []
    page.on("console", lambda m: m.type == "error" and errors.append(m.text))
    for url in ("/", "/en/guides/no-id-papers/", "/plans/thai-hoa/"):
        assert page.goto(nginx + url).ok
    page.goto(nginx + "/wizard/")
    page.wait_for_selector("#hb-wizard[data-engine=ready]", timeout=60_000)
    complete_wizard(page)
    context.close()
    assert not errors, errors  # no policy violation anywhere

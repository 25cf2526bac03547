"""The server configuration the build writes (build/deploy/nginx.conf) is valid and serves the
handbook as DEPLOY.md says: types, precompressed files, the same policy as a header, and the
wizard working under it."""

from __future__ import annotations

import os
import ssl
import urllib.error
import urllib.request

import pytest

import local_nginx
from conftest import complete_wizard

@pytest.fixture(scope="module")
def nginx(site, tmp_path_factory):
    if not local_nginx.available():
        if os.environ.get("CI"):
            pytest.fail("nginx is missing in CI: .ci/run must install nginx-light and "
                        "libnginx-mod-http-brotli-static")
        pytest.skip(local_nginx.MISSING)
    with local_nginx.running(site, tmp_path_factory.mktemp("nginx"), lifetime=900) as urls:
        yield urls


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

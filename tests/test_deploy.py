"""The server configuration the build writes (build/deploy/nginx.conf) is valid and serves the
handbook as DEPLOY.md says: types, precompressed files, the same policy as a header, and the
wizard working under it."""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
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
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = generated.replace("listen 80;", f"listen 127.0.0.1:{port};")
    server = re.sub(r"root /srv/handbook/site;", f"root {site};", server)
    prefix = tmp_path_factory.mktemp("nginx")
    (prefix / "logs").mkdir()
    conf = prefix / "nginx.conf"
    # the site is in pytest's private temporary folder: as root, let the workers read it as root
    user = "user root;\n" if os.geteuid() == 0 else ""
    conf.write_text(f"{user}load_module {BROTLI_MODULE};\npid {prefix}/nginx.pid;\nerror_log {prefix}/error.log;\n"
                    "daemon on;\nevents {}\nhttp {\n  access_log off;\n"
                    f"  client_body_temp_path {prefix};\n{server}\n}}\n", encoding="utf-8")
    test = subprocess.run([NGINX, "-t", "-c", str(conf), "-p", str(prefix)], capture_output=True, text=True)
    assert test.returncode == 0, test.stderr
    subprocess.run([NGINX, "-c", str(conf), "-p", str(prefix)], check=True, capture_output=True)
    yield f"http://127.0.0.1:{port}"
    subprocess.run([NGINX, "-c", str(conf), "-p", str(prefix), "-s", "stop"], capture_output=True)


def head(url, **headers):
    with urllib.request.urlopen(urllib.request.Request(url, headers=headers)) as response:
        return response.headers


def test_types_compression_and_policy_headers(nginx):
    wasm = head(nginx + "/assets/pyodide/pyodide.asm.wasm", **{"Accept-Encoding": "br, gzip"})
    assert wasm["Content-Type"] == "application/wasm" and wasm["Content-Encoding"] == "br"
    assert head(nginx + "/assets/wizard/worker.mjs")["Content-Type"].startswith("text/javascript")
    page = head(nginx + "/guides/outage-with-papers/")
    assert "default-src 'self'" in page["Content-Security-Policy"]
    assert "wasm-unsafe-eval" not in page["Content-Security-Policy"]
    assert "'wasm-unsafe-eval'" in head(nginx + "/wizard/")["Content-Security-Policy"]


@pytest.mark.browser
def test_the_site_works_under_the_servers_policy(browser, nginx):
    context = browser.new_context(service_workers="block")
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

"""The servers' headers come from one place, what the build writes (build/deploy/headers.json, and
build/deploy/nginx.conf from the same data): the generated nginx configuration is valid and serves
the handbook as DEPLOY.md says (types, precompressed files, and each kind of response the headers
DEPLOY.md's table lists for it); scripts/serve.py sends the same, less what needs HTTPS; every
language folder, two that [a-z]{2,3} would miss included, gets the same page policy; and the
wizard runs with no WebAssembly in its page's policy (its worker's own response allows it), under
nginx, under scripts/serve.py and under a server that sends no headers at all."""

from __future__ import annotations

import json
import os
import re
import ssl
import urllib.error
import urllib.parse
import urllib.request

import pytest

import local_nginx
import serve
from conftest import ROOT, complete_wizard, copy_project, mkdocs_build

ADDED = ("en-gb", "bdq-Latn")  # a region and a script subtag: language folders [a-z]{2,3} misses
WORKER = "/assets/wizard/worker.mjs"


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """The handbook with two more languages (partial: the Vietnamese text stands in), built in a
    copy of the project, which writes its own build/deploy/."""
    root = tmp_path_factory.mktemp("deploy")
    project = copy_project(root / "project")
    for lang in ADDED:
        (project / "content" / "locales" / f"{lang}.toml").write_text(
            f'[meta]\nname = "Fixture {lang}"\npartial = true\n', encoding="utf-8")
    config = project / "content" / "handbook.toml"
    text = config.read_text(encoding="utf-8")
    line = re.search(r"^languages = (\[.*\])$", text, re.M)
    languages = json.loads(line[1]) + list(ADDED)
    config.write_text(text.replace(line[0], f"languages = {json.dumps(languages)}"), encoding="utf-8")
    result = mkdocs_build(project, root / "site")
    assert result.returncode == 0, f"{result.stdout}\n{result.stderr}"
    deploy = project / "build" / "deploy"
    return {"site": root / "site", "languages": languages, "headers": deploy / "headers.json",
            "nginx": deploy / "nginx.conf",
            "data": json.loads((deploy / "headers.json").read_text(encoding="utf-8"))}


@pytest.fixture(scope="module")
def nginx(built, tmp_path_factory):
    if not local_nginx.available():
        if os.environ.get("CI"):
            pytest.fail("nginx is missing in CI: .ci/run must install nginx-light and "
                        "libnginx-mod-http-brotli-static")
        pytest.skip(local_nginx.MISSING)
    with local_nginx.running(built["site"], tmp_path_factory.mktemp("nginx"), lifetime=900,
                             config=built["nginx"]) as urls:
        yield urls


@pytest.fixture(scope="module")
def served(built):
    """scripts/serve.py with the build's headers, as `make serve` and `make kiosk` run it."""
    httpd = serve.start(built["site"], headers=built["headers"], lifetime=900)
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


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


def directives(policy: str) -> dict[str, list[str]]:
    return {d.split()[0]: d.split()[1:] for d in policy.split("; ")}


# ---- each kind of response carries what DEPLOY.md's table says --------------------------------

SECURITY_HEADERS = ("Content-Security-Policy", "Strict-Transport-Security", "X-Content-Type-Options",
                    "Referrer-Policy", "X-Frame-Options", "Cross-Origin-Opener-Policy", "Permissions-Policy",
                    "Cache-Control")
# DEPLOY.md's rows, by their first cell, and what the test asks each server for each of them
PAGES_AND_ASSETS = [("/", 200), ("/en-gb/wizard/", 200), ("/bdq-Latn/kiosk/", 200),
                    ("/guides/outage-with-papers/", 200), ("/assets/pyodide/pyodide.asm.wasm", 200),
                    ("/sw.js", 200), ("/assets/pictograms/elderly.svg", 200), ("/no/such/page/", 404),
                    ("/guides", 301)]
ROWS = {
    "HTTPS: pages, assets, the 404 page, a folder's redirect (`/guides` → `/guides/`)":
        [("https", path, status) for path, status in PAGES_AND_ASSETS],
    "HTTPS: the wizard's worker script, `/assets/wizard/worker.mjs`": [("https", WORKER, 200)],
    "plain HTTP (port 80): the redirect to HTTPS, for every address":
        [("http", path, 301) for path in ("/", "/guides/", WORKER, "/no/such/page/")],
    "`scripts/serve.py` (plain HTTP on 127.0.0.1): pages, assets, the 404 page, a folder's redirect":
        [("serve.py", path, status) for path, status in PAGES_AND_ASSETS],
    "`scripts/serve.py`: the wizard's worker script": [("serve.py", WORKER, 200)],
}


def deploy_table() -> dict[str, tuple[set[str], str | None]]:
    """DEPLOY.md's table: for each kind of response, the headers it lists and which policy."""
    rows = {}
    for line in (ROOT / "DEPLOY.md").read_text(encoding="utf-8").splitlines():
        cells = [cell.strip() for cell in line.strip().split("|")]
        if len(cells) == 4 and cells[2].startswith("`"):
            policy = re.search(r"\(the (page|worker) policy\)", cells[2])
            rows[cells[1]] = (set(re.findall(r"`([A-Z][A-Za-z-]+)`", cells[2])), policy and policy[1])
    return rows


def test_deploy_md_has_a_row_for_each_kind_of_response():
    assert set(deploy_table()) == set(ROWS)


@pytest.mark.parametrize("row", list(ROWS))
def test_each_response_carries_the_headers_deploy_md_lists(request, served, built, row):
    names, policy = deploy_table()[row]
    data = built["data"]
    values = {**data["every_response"], **data["https_only"]}
    policies = {"page": data["content_security_policy"]["default"],
                "worker": data["content_security_policy"]["paths"][WORKER]}
    for server, path, expected in ROWS[row]:  # nginx only where a row needs it
        base = served if server == "serve.py" else request.getfixturevalue("nginx")[server]
        status, headers, _ = fetch(base + path, **{"Accept-Encoding": "br, gzip"})
        assert status == expected, (server, path, status)
        sent = {name for name in SECURITY_HEADERS if name in headers}
        assert sent == names, (server, path, "not as DEPLOY.md says:", sorted(sent ^ names))
        for name in sent:
            assert len(headers.get_all(name)) == 1, (server, path, name)  # each once
            if name in values:
                assert headers[name] == values[name], (server, path, name)
        if policy:
            assert headers["Content-Security-Policy"] == policies[policy], (server, path)
        assert headers["Server"] in ("nginx", "serve.py"), (server, path)  # no version
        location = urllib.parse.urlsplit(headers.get("Location", ""))
        if server == "http":  # the same address, over HTTPS
            assert location.scheme == "https" and location.path == path, (server, path, headers["Location"])
        elif status == 301:  # the folder, with its slash
            assert location.path == path + "/", (server, path, headers["Location"])


def test_the_404_page_is_the_sites_own_precompressed(nginx, served):
    for base in (nginx["https"], served):
        status, headers, _ = fetch(base + "/no/such/page/", **{"Accept-Encoding": "br, gzip"})
        assert status == 404 and headers["Content-Encoding"] == "br"  # its precompressed copy
        assert b"md-content" in fetch(base + "/no/such/page/")[2]  # the site's own 404 page, not nginx's
        # each language's folder answers in its own language (the page's <html lang>)
        assert b'lang="vi"' in fetch(base + "/no/such/page/")[2]
        status, _, body = fetch(base + "/en/no/such/page/")
        assert status == 404 and b'lang="en"' in body, base
    assert "Accept-Encoding" in head(nginx["https"] + WORKER, **{"Accept-Encoding": "gzip"})["Vary"]


def test_types_and_compression(nginx):
    nginx = nginx["https"]
    wasm = head(nginx + "/assets/pyodide/pyodide.asm.wasm", **{"Accept-Encoding": "br, gzip"})
    assert wasm["Content-Type"] == "application/wasm" and wasm["Content-Encoding"] == "br"
    assert head(nginx + WORKER)["Content-Type"].startswith("text/javascript")


# ---- one page policy for every language folder; WebAssembly only in the worker ------------------

def test_every_language_folder_gets_the_page_policy_and_only_the_worker_webassembly(nginx, served, built):
    data = built["data"]["content_security_policy"]
    assert set(ADDED) < set(built["languages"])
    folders = ["/"] + [f"/{lang}/" for lang in built["languages"][1:]]
    for folder in folders:
        assert (built["site"] / folder.lstrip("/") / "wizard" / "index.html").is_file(), folder
    for server, base in (("nginx", nginx["https"]), ("serve.py", served)):
        for folder in folders:
            for page in ("", "wizard/", "kiosk/", "guides/disability/"):
                status, headers, body = fetch(base + folder + page)
                assert status == 200, (server, folder + page)
                policy = headers["Content-Security-Policy"]
                assert policy == data["default"], (server, folder + page)  # the same, whatever the folder
                header = directives(policy)
                assert header["frame-ancestors"] == ["'none'"], (server, folder + page)
                assert "'wasm-unsafe-eval'" not in header["script-src"], (server, folder + page)
                # the page's own <meta> policy, plus frame-ancestors and the other pages' script hashes
                meta = directives(re.search(r'<meta http-equiv="Content-Security-Policy" content="([^"]*)"',
                                            body.decode("utf-8"))[1])
                assert "frame-ancestors" not in meta and set(meta["script-src"]) <= set(header["script-src"])
                assert ({k: v for k, v in header.items() if k not in ("script-src", "frame-ancestors")}
                        == {k: v for k, v in meta.items() if k != "script-src"}), (server, folder + page)
        worker = fetch(base + WORKER)[1]["Content-Security-Policy"]
        assert worker == data["paths"][WORKER], server
        assert "'wasm-unsafe-eval'" in directives(worker)["script-src"], server
        assert "'unsafe-eval'" not in directives(worker)["script-src"], server
    assert list(data["paths"]) == [WORKER]  # no other response allows WebAssembly


WASM_ON_THE_PAGE = """WebAssembly.compile(new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0]))
    .then(() => "compiled", (error) => error.name)"""


@pytest.mark.browser
@pytest.mark.parametrize("server, wizard", [("nginx", "/bdq-Latn/wizard/"), ("serve.py", "/bdq-Latn/kiosk/"),
                                            ("no headers", "/wizard/")])
def test_the_wizard_runs_with_no_webassembly_in_its_page_policy(browser, built, request, server, wizard):
    """No page may compile WebAssembly, and the wizard still runs: its engine compiles in a module
    worker, which follows its own script's response (the worker policy), or no policy at all when
    the server sends none (a static host): the page's <meta> policy does not reach it."""
    httpd = None
    if server == "nginx":
        base = request.getfixturevalue("nginx")["https"]
    elif server == "serve.py":
        base = request.getfixturevalue("served")
    else:
        httpd = serve.start(built["site"], lifetime=300)
        base = f"http://127.0.0.1:{httpd.server_address[1]}"
    context = browser.new_context(service_workers="block", ignore_https_errors=True)
    policies = {}
    context.on("response", lambda r: policies.setdefault(urllib.parse.urlsplit(r.url).path,
                                                         r.headers.get("content-security-policy")))
    page = context.new_page()
    errors = []
    page.on("console", lambda m: m.type == "error" and errors.append(m.text))
    try:
        for url in ("/", "/en/guides/no-id-papers/", "/plans/thai-hoa/"):
            assert page.goto(base + url).ok, url
        # a language with a region: its result is dated in its own locale (not "en-gb-VN")
        page.goto(base + "/en-gb/wizard/")
        page.wait_for_selector("#hb-wizard[data-engine=ready]", timeout=60_000)
        complete_wizard(page, who=["hearing"], situation=["system-slow"])
        assert re.search(r"\d{1,2}/\d{1,2}/\d{4}", page.inner_text(".hb-printed")), "no date on the result"
        page.goto(base + wizard)
        page.wait_for_selector("#hb-wizard[data-engine=ready]", timeout=60_000)
        complete_wizard(page, who=["elderly"], situation=["outage"])
        assert not errors, errors  # no script error, no policy violation anywhere
        # the page itself may not compile WebAssembly: its policy is enforced, without it
        meta = page.get_attribute('meta[http-equiv="Content-Security-Policy"]', "content")
        assert "wasm-unsafe-eval" not in meta
        assert page.evaluate(WASM_ON_THE_PAGE) == "CompileError"
        for path in ("/en-gb/wizard/", wizard):
            if server == "no headers":
                assert policies[path] is None, path
            else:
                assert "wasm-unsafe-eval" not in policies[path], path
                assert "frame-ancestors 'none'" in policies[path], path
        if server == "no headers":
            assert policies[WORKER] is None
        else:
            assert "'wasm-unsafe-eval'" in policies[WORKER]
    finally:
        context.close()
        if httpd:
            httpd.shutdown()

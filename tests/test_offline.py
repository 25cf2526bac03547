"""After one visit, every page, search and (once saved) the wizard work with the network cut."""

from __future__ import annotations

import re

import pytest

from conftest import complete_wizard, open_search, search_for

pytestmark = pytest.mark.browser
ACTIVATED = """async () => {
    const worker = (await navigator.serviceWorker.ready).active;
    if (worker.state !== "activated") {
        await new Promise(done => worker.addEventListener("statechange", () =>
            worker.state === "activated" && done()));
    }
    return worker.state; }"""


def test_pages_search_and_wizard_work_offline(browser, server, site, model):
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    page.goto(server + "/")
    assert page.evaluate(ACTIVATED) == "activated"
    names = page.evaluate("caches.keys()")
    assert any(n.startswith("hb-shell-") for n in names), names

    # the wizard's runtime is saved on demand (it is several MB)
    page.goto(server + "/wizard/")
    page.wait_for_selector("#hb-wizard[data-offline=not-saved]")
    label = page.inner_text(".hb-offline__save")
    assert re.search(r"\d", label) and "MB" in label  # the real size is shown
    page.click(".hb-offline__save")
    page.wait_for_selector("#hb-wizard[data-offline=saved]", timeout=60_000)

    context.set_offline(True)
    urls = sorted("/" + p.relative_to(site).as_posix()[: -len("index.html")] for p in site.rglob("index.html"))
    for url in urls:
        response = page.goto(server + url)
        assert response is not None and response.ok, url
        assert response.from_service_worker, url
        assert page.locator("h1").first.is_visible(), url

    # search, from the cached index
    page.goto(server + "/")
    open_search(page)  # at desktop width the search box is in the header
    search_for(page, "mat dien")  # typed: the theme searches on key events; no diacritics
    first = page.get_attribute(".md-search-result__item > .md-search-result__link >> nth=0", "href")
    assert re.search(r"/guides/outage-[a-z-]+/$", first), first

    # the whole wizard
    page.goto(server + "/wizard/")
    page.wait_for_selector("#hb-wizard[data-engine=ready]", timeout=60_000)
    complete_wizard(page, who=["elderly"], situation=["outage"])
    assert page.get_attribute(".hb-path", "data-path") == "paper-first"
    context.close()


def test_the_runtime_is_not_cached_without_asking(browser, server):
    context = browser.new_context()
    page = context.new_page()
    page.goto(server + "/wizard/")
    page.wait_for_selector("#hb-wizard[data-engine=ready]", timeout=60_000)
    page.evaluate(ACTIVATED)
    cached = page.evaluate("""async () => {
        const names = (await caches.keys()).filter(n => n.startsWith("hb-runtime-"));
        let count = 0;
        for (const name of names) count += (await (await caches.open(name)).keys()).length;
        return count; }""")
    assert cached == 0
    context.close()


def test_a_new_version_is_announced_and_never_mixed(browser, site, tmp_path):
    import json
    import shutil

    import serve

    copy = tmp_path / "site"
    shutil.copytree(site, copy)
    httpd = serve.start(copy)
    base = f"http://127.0.0.1:{httpd.server_address[1]}"
    context = browser.new_context()
    page = context.new_page()
    try:
        page.goto(base + "/guides/system-slow/")
        page.evaluate(ACTIVATED)
        page.reload()  # now controlled by the service worker
        old = page.evaluate("caches.keys()")
        assert page.is_hidden(".hb-update")

        # the next build: a service worker with a new version of the files
        sw = copy / "sw.js"
        text = sw.read_text(encoding="utf-8")
        manifest = json.loads(re.search(r"const MANIFEST = (\{.*?\});", text).group(1))
        version = manifest["version"]
        sw.write_text(text.replace(f'"version": "{version}"', f'"version": "{version}-next"'), encoding="utf-8")
        for variant in (".br", ".gz"):
            (copy / f"sw.js{variant}").unlink(missing_ok=True)
        page.evaluate("navigator.serviceWorker.getRegistration().then(r => r.update())")

        page.wait_for_selector(".hb-update:not([hidden])", timeout=30_000)  # the reader is told
        assert page.evaluate("caches.keys()").count(f"hb-shell-{version}") == 1  # old one still in use
        with page.expect_navigation():
            page.click("[data-hb-reload]")
        page.wait_for_function(f"caches.keys().then(k => !k.includes('hb-shell-{version}'))")
        names = page.evaluate("caches.keys()")
        assert f"hb-shell-{version}-next" in names and f"hb-shell-{version}" not in names, (old, names)
    finally:
        context.close()
        httpd.shutdown()


# ---- updates never strand a reader ----------------------------------------------------------------

MONTH_AGO = 30 * 24 * 3600


@pytest.fixture
def published(site, tmp_path, model):
    """A copy of the site behind scripts/serve.py (no Cache-Control: the browser may keep any file
    for days by its own heuristics, since every file says it was last modified a month ago), and
    ``publish(changes)`` to put the next build in its place: changed files and a new sw.js."""
    import os
    import shutil
    import time

    import serve
    from handbook.build.service_worker import write_service_worker

    copy = tmp_path / "site"
    shutil.copytree(site, copy)
    old = time.time() - MONTH_AGO
    for path in copy.rglob("*"):
        os.utime(path, (old, old))

    def publish(changes: dict[str, str]) -> None:
        for rel, text in changes.items():
            (copy / rel).write_text(text, encoding="utf-8")
            os.utime(copy / rel, (old, old))
            for rel_variant in (rel, "sw.js"):
                for suffix in (".br", ".gz"):
                    (copy / f"{rel_variant}{suffix}").unlink(missing_ok=True)
        write_service_worker(copy, model.languages)

    httpd = serve.start(copy)
    yield f"http://127.0.0.1:{httpd.server_address[1]}", copy, publish
    httpd.shutdown()


def accept_update(page) -> None:
    page.evaluate("navigator.serviceWorker.getRegistration().then(r => r.update())")
    page.wait_for_selector(".hb-update:not([hidden])", timeout=30_000)
    with page.expect_navigation():
        page.click("[data-hb-reload]")


def test_an_update_is_fetched_past_the_http_cache(browser, published):
    base, copy, publish = published
    context = browser.new_context()
    page = context.new_page()
    try:
        page.goto(base + "/guides/system-slow/")
        page.evaluate(ACTIVATED)
        page.reload()
        assert "(bản mới)" not in page.inner_text("h1")
        html = (copy / "guides/system-slow/index.html").read_text(encoding="utf-8")
        assert html.count("</h1>") == 1
        publish({"guides/system-slow/index.html": html.replace("</h1>", " (bản mới)</h1>")})
        accept_update(page)
        page.locator("h1", has_text="(bản mới)").wait_for(timeout=10_000)
        context.set_offline(True)
        page.reload()
        assert "(bản mới)" in page.inner_text("h1")  # offline too: the new version was cached
    finally:
        context.close()


def test_a_saved_runtime_is_kept_across_a_rules_update(browser, published):
    import json

    base, copy, publish = published
    context = browser.new_context()
    page = context.new_page()
    try:
        page.goto(base + "/wizard/")
        page.wait_for_selector("#hb-wizard[data-offline=not-saved]", timeout=60_000)
        page.click(".hb-offline__save")
        page.wait_for_selector("#hb-wizard[data-offline=saved]", timeout=60_000)

        engine = json.loads((copy / "assets/wizard/engine.json").read_text(encoding="utf-8"))
        engine["next-build"] = True  # a rules update: a new engine bundle, the same Pyodide
        publish({"assets/wizard/engine.json": json.dumps(engine, ensure_ascii=False)})
        accept_update(page)
        runtimes = page.evaluate("caches.keys().then(k => k.filter(n => n.startsWith('hb-runtime-')))")
        assert len(runtimes) == 1, runtimes
        cached = page.evaluate(f"""caches.open({json.dumps(runtimes[0])})
            .then(c => c.match(new URL('assets/wizard/engine.json', location.origin + '/')))
            .then(r => r && r.json())""")
        assert cached and cached.get("next-build") is True  # the new rules, saved without asking

        context.set_offline(True)
        page.reload()
        page.wait_for_selector("#hb-wizard[data-engine=ready]", timeout=60_000)
        assert page.get_attribute("#hb-wizard", "data-offline") == "saved"
        complete_wizard(page, who=["elderly"], situation=["outage"])
        assert page.get_attribute(".hb-path", "data-path") == "paper-first"
    finally:
        context.close()


def megabytes(text: str) -> list[float]:
    """The sizes a Vietnamese message gives ("≈ 1.234,5 MB": '.' groups thousands, ',' decimals)."""
    return [float(n.replace(".", "").replace(",", ".")) for n in re.findall(r"≈ ([\d.,]+) MB", text)]


def test_a_full_storage_is_reported_with_the_size_needed(browser, server):
    context = browser.new_context()
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    try:
        # 1 MB: not even the pages fit; every page says so, with the space needed
        cdp.send("Storage.overrideQuotaForOrigin", {"origin": server, "quotaSize": 1_000_000})
        page.goto(server + "/guides/system-slow/")
        page.wait_for_selector(".hb-storage:not([hidden])", timeout=30_000)
        text = page.inner_text(".hb-storage")
        (needed,) = megabytes(text)
        assert 1 < needed < 10, text
        assert page.evaluate("navigator.serviceWorker.getRegistration().then(r => !r || !r.active)")

        # 6 MB: the pages fit, the wizard's runtime does not; the wizard says so, not "no network"
        cdp.send("Storage.overrideQuotaForOrigin", {"origin": server, "quotaSize": 6_000_000})
        page.goto(server + "/wizard/")
        page.wait_for_selector("#hb-wizard[data-engine=ready]", timeout=60_000)
        page.evaluate(ACTIVATED)
        page.wait_for_selector("#hb-wizard[data-offline=not-saved]", timeout=30_000)
        label = page.inner_text(".hb-offline__save")
        stored = megabytes(label)[1]
        page.click(".hb-offline__save")
        status = page.locator(".hb-offline__status")
        status.filter(has_text="MB").wait_for(timeout=30_000)
        needed = megabytes(status.inner_text())[0]
        assert needed == stored > 10, (label, status.inner_text())
        assert page.get_attribute("#hb-wizard", "data-offline") == "not-saved"
    finally:
        context.close()

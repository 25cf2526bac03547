"""After one visit, every page, search and (once saved) the wizard work with the network cut."""

from __future__ import annotations

import re

import pytest

from conftest import complete_wizard

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
    page.click(".md-search__input")  # at desktop width the search box is in the header
    page.keyboard.type("mat dien")  # typed: the theme searches on key events; no diacritics
    page.wait_for_selector(".md-search-result__item", timeout=20_000)
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

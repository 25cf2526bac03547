"""What only a browser can show: the home page renders, a guide opens, the language switch
reaches the English page, with no console errors and no request to another origin."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest

pytestmark = pytest.mark.browser


def watch(page, origin):
    """Record console errors, page errors and requests that leave the site's origin."""
    seen = {"errors": [], "off_origin": []}
    page.on("console", lambda m: m.type == "error" and seen["errors"].append(m.text))
    page.on("pageerror", lambda e: seen["errors"].append(str(e)))
    host = urlsplit(origin).netloc

    def on_request(request):
        parts = urlsplit(request.url)
        if parts.scheme in ("http", "https") and parts.netloc != host:
            seen["off_origin"].append(request.url)

    page.on("request", on_request)
    return seen


def heading(page):
    """The page's h1 without its permalink sign."""
    return page.locator("h1").first.evaluate("e => e.firstChild.textContent").strip()


def test_home_guide_and_language_switch(page, server, model):
    seen = watch(page, server)
    page.goto(server + "/")
    assert page.locator("html").get_attribute("lang") == "vi"
    tiles = page.locator("a.hb-tile")
    assert tiles.count() == len(model.situations)
    assert page.locator("h1").first.is_visible()

    # open a guide from its tile
    sid = "outage-no-papers"
    page.locator(f'a.hb-tile[data-situation="{sid}"]').click()
    page.wait_for_url(re.compile(rf"/guides/{sid}/$"))
    assert heading(page) == model.t("vi", "situations", sid, "title")
    assert page.locator("article a.hb-cite").count() > 0

    # a citation lands on the plan paragraph
    first_cite = page.locator("article a.hb-cite").first
    target = first_cite.get_attribute("data-cite")
    first_cite.click()
    page.wait_for_url(re.compile(r"/plans/ngok-reo/#s-"))
    section = target.split(":", 1)[1]
    assert page.locator(f'[data-section="{section}"]').is_visible()

    # back to the guide, then switch language with the header's language selector
    page.go_back()
    page.wait_for_url(re.compile(rf"/guides/{sid}/$"))
    page.locator(".md-header .md-select").first.hover()
    page.locator('.md-header a.md-select__link[hreflang="en"]').click()
    page.wait_for_url(re.compile(rf"/en/guides/{sid}/$"))
    assert page.locator("html").get_attribute("lang") == "en"
    assert heading(page) == model.t("en", "situations", sid, "title")
    assert page.locator(".hb-translation").is_visible()

    assert not seen["errors"], seen["errors"]
    assert not seen["off_origin"], seen["off_origin"]


def test_every_page_loads_without_console_errors(page, server, site, model):
    seen = watch(page, server)
    urls = sorted("/" + p.relative_to(site).as_posix()[: -len("index.html")]
                  for p in site.rglob("index.html"))
    assert len(urls) >= 2 * (len(model.situations) + len(model.plans) + 5)
    for url in urls:
        response = page.goto(server + url)
        assert response.ok, url
    assert not seen["errors"], seen["errors"]
    assert not seen["off_origin"], seen["off_origin"]

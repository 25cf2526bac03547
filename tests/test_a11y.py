"""Zero axe-core violations (WCAG 2.0/2.1/2.2 A and AA, best practices, target-size on) on every
built page, in every language, at phone and desktop widths, and on the wizard's result."""

from __future__ import annotations

import pytest

from conftest import ROOT
from test_reading import REFLOW

pytestmark = pytest.mark.browser
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa", "best-practice"]
RUN = """async (tags) => (await axe.run(document, {
    runOnly: {type: "tag", values: tags}, rules: {"target-size": {enabled: true}}}))
  .violations.map(v => `${v.id} (${v.nodes.length}): ${v.nodes[0].target.join(" ")} `
                       + `${v.nodes[0].failureSummary.replace(/\\s+/g, " ").slice(0, 240)}`)"""
# 320 CSS px: the narrowest phone, where pages must also reflow (WCAG 1.4.10, checked on the same
# visit: tests/test_reading.py checks the other reflow width); 1280: a desktop
VIEWPORTS = [{"width": 320, "height": 740}, {"width": 1280, "height": 800}]


def violations(page):
    page.add_script_tag(path=str(AXE))
    return page.evaluate(RUN, TAGS)


@pytest.mark.parametrize("viewport", VIEWPORTS, ids=lambda v: f"{v['width']}px")
def test_every_page_has_no_axe_violations(browser, server, site, viewport):
    urls = sorted("/" + p.relative_to(site).as_posix()[: -len("index.html")] for p in site.rglob("index.html"))
    # axe is injected as an inline script, which the pages' policy rightly refuses
    context = browser.new_context(viewport=viewport, bypass_csp=True)
    page = context.new_page()
    found, too_wide = {}, []
    for url in urls:
        page.goto(server + url)
        if page.locator("#hb-wizard").count():
            page.wait_for_selector("#hb-wizard:not([data-engine=loading])", timeout=60_000)
        result = violations(page)
        if result:
            found[url] = result
        if viewport["width"] in REFLOW and page.evaluate("document.documentElement.scrollWidth") > viewport["width"]:
            too_wide.append((url, page.evaluate("document.documentElement.scrollWidth")))
    context.close()
    assert len(urls) > 40
    assert not found, found
    assert not too_wide, too_wide


@pytest.mark.parametrize("viewport", VIEWPORTS, ids=lambda v: f"{v['width']}px")
def test_wizard_steps_and_result_have_no_axe_violations(browser, server, viewport):
    context = browser.new_context(viewport=viewport, bypass_csp=True)
    page = context.new_page()
    page.goto(server + "/wizard/")
    page.wait_for_selector("#hb-wizard[data-engine=ready]", timeout=60_000)
    page.click('.hb-choice[data-answer="elderly"]')
    page.click('[data-step="who"] [data-go="next"]')
    assert violations(page) == []
    page.click('.hb-choice[data-answer="outage"]')
    page.click('[data-step="situation"] [data-go="next"]')
    assert violations(page) == []
    page.click('[data-step="summary"] [data-go="result"]')
    page.wait_for_selector(".hb-result .hb-item")
    assert violations(page) == []
    context.close()


@pytest.mark.parametrize("viewport", [{"width": 1366, "height": 768}, {"width": 1080, "height": 1920}],
                         ids=lambda v: f"{v['width']}x{v['height']}")
def test_kiosk_steps_slip_idle_warning_and_guide_have_no_axe_violations(browser, server, viewport):
    context = browser.new_context(viewport=viewport, bypass_csp=True)
    page = context.new_page()
    page.clock.install()  # the page's clock runs as usual; the idle wait below is skipped, not waited
    page.goto(server + "/kiosk/")
    page.wait_for_selector("#hb-wizard[data-engine=ready]", timeout=60_000)
    page.click('.hb-choice[data-answer="elderly"]')
    page.click('[data-step="who"] [data-go="next"]')
    page.click('.hb-choice[data-answer="no-id-papers"]')
    page.click('[data-step="situation"] [data-go="next"]')
    assert violations(page) == []
    page.click('[data-step="summary"] [data-go="result"]')
    page.wait_for_selector(".hb-result .hb-slip__qr")
    assert violations(page) == []
    page.evaluate("document.getElementById('hb-wizard').dataset.kioskIdle = '30'")
    page.clock.fast_forward("00:21")  # the warning shows after 20 quiet seconds; 9 s stay for axe
    page.wait_for_selector(".hb-idle", state="visible", timeout=10_000)
    assert violations(page) == []
    page.click(".hb-idle__stay")
    page.click(".hb-kiosk-tiles a >> nth=0")
    page.wait_for_url("**/?kiosk")
    assert violations(page) == []
    context.close()

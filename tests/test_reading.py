"""Reading on any screen: reflow without horizontal scrolling at 320 px and at 200 % zoom, a text
size that persists, a skip link first, focus always visible."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser
# WCAG reflow: 320 CSS px, the narrowest phone (checked on every page during the axe pass at
# that width, tests/test_a11y.py, to visit each page once); 640: a 1280 px screen zoomed to 200 %.
REFLOW = [320, 640]
WIDTHS = [w for w in REFLOW if w != 320]


@pytest.mark.parametrize("width", WIDTHS)
def test_every_page_reflows_without_horizontal_scroll(browser, server, site, width):
    context = browser.new_context(viewport={"width": width, "height": 700}, service_workers="block")
    page = context.new_page()
    too_wide = []
    for path in sorted(site.rglob("index.html")):
        url = "/" + path.relative_to(site).as_posix()[: -len("index.html")]
        page.goto(server + url)
        scroll_width = page.evaluate("document.documentElement.scrollWidth")
        if scroll_width > width:
            too_wide.append((url, scroll_width))
    context.close()
    assert not too_wide, too_wide


def test_text_size_persists_and_reflows(browser, server):
    context = browser.new_context(viewport={"width": 320, "height": 700}, service_workers="block")
    page = context.new_page()
    page.goto(server + "/")
    page.click('button[data-text-size="150"]')
    assert page.get_attribute("html", "data-text-size") == "150"
    page.goto(server + "/guides/disability/")
    assert page.get_attribute("html", "data-text-size") == "150"  # kept across pages
    assert page.get_attribute('button[data-text-size="150"]', "aria-pressed") == "true"
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    page.goto(server + "/wizard/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    page.click('button[data-text-size="100"]')
    assert page.get_attribute("html", "data-text-size") is None
    assert page.evaluate("localStorage.length") == 0  # the default leaves nothing behind
    context.close()


def test_skip_link_comes_first_and_focus_is_visible(browser, server):
    context = browser.new_context(viewport={"width": 1280, "height": 800}, service_workers="block")
    page = context.new_page()
    page.goto(server + "/guides/upset-citizen/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.classList.contains('md-skip')")
    for _ in range(12):
        page.keyboard.press("Tab")
        outline = page.evaluate("""() => { const s = getComputedStyle(document.activeElement);
            return [document.activeElement.tagName, s.outlineStyle, s.outlineWidth, s.boxShadow]; }""")
        tag, style, width, shadow = outline
        assert (style != "none" and float(width.rstrip("px")) >= 1) or shadow != "none", outline
    context.close()


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_a_tap_on_a_glossary_term_shows_its_meaning(browser, server, model, lang):
    """On a phone (touch, no mouse to hover) a term's meaning shows when it is tapped."""
    context = browser.new_context(viewport={"width": 390, "height": 800}, has_touch=True, is_mobile=True)
    page = context.new_page()
    page.goto(server + ("/" if lang == model.reference else f"/{lang}/") + "guides/forgot-password/")
    term = page.locator("article abbr", has_text="VNeID").first
    term.scroll_into_view_if_needed()
    term.tap()
    page.wait_for_function("el => el.hasAttribute('aria-describedby')", arg=term.element_handle(), timeout=5_000)
    tooltip = page.locator("#" + term.get_attribute("aria-describedby"))
    tooltip.wait_for(state="visible", timeout=5_000)
    assert " ".join(model.t(lang, "glossary", "vneid", "meaning").split()) in " ".join(tooltip.inner_text().split())
    context.close()


def test_the_keyboard_reaches_a_glossary_terms_meaning(browser, server, model):
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    page.goto(server + "/guides/forgot-password/")
    page.keyboard.press("Tab")  # the skip link first
    page.keyboard.press("Enter")
    for _ in range(40):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.tagName === 'ABBR'"):
            break
    assert page.evaluate("document.activeElement.tagName") == "ABBR", "no glossary term takes the focus"
    # the theme gives the focused term its tooltip when it sees the focus (a moment later)
    page.wait_for_function("document.activeElement.hasAttribute('aria-describedby')", timeout=5_000)
    described = page.evaluate("document.activeElement.getAttribute('aria-describedby')")
    tooltip = page.locator(f"#{described}")
    tooltip.wait_for(state="visible", timeout=5_000)
    meanings = {" ".join(model.t("vi", "glossary", tid, "meaning").split()) for tid in model.glossary}
    assert " ".join(tooltip.inner_text().split()) in meanings
    context.close()

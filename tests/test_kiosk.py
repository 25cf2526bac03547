"""The lookup kiosk: big targets, no typing, the runtime saved by itself, and every answer
forgotten after a while without a touch."""

from __future__ import annotations

import re

import pytest

import pdftools
from conftest import complete_wizard

pytestmark = pytest.mark.browser
KIOSK_TARGET_PX = 64


def open_kiosk(page, server, lang="vi"):
    page.goto(server + ("/" if lang == "vi" else f"/{lang}/") + "kiosk/")
    page.wait_for_selector("#hb-wizard[data-engine=ready]", timeout=60_000)


def test_kiosk_targets_are_big_and_there_is_no_header(browser, server):
    context = browser.new_context(viewport={"width": 1280, "height": 1024})
    page = context.new_page()
    open_kiosk(page, server)
    assert not page.locator(".md-header").is_visible() and not page.locator(".md-footer").is_visible()
    small = page.evaluate("""(min) => [...document.querySelectorAll(
        '.hb-kiosk-bar a, .hb-choice, [data-step="who"] .hb-nav button, .hb-kiosk-tiles a')]
        .filter(el => el.offsetParent !== null)
        .map(el => [el.textContent.trim().slice(0, 30), el.getBoundingClientRect()])
        .filter(([, r]) => r.width < min || r.height < min).map(([t]) => t)""", KIOSK_TARGET_PX)
    assert small == []
    typing = page.locator("input[type=text], input[type=search], textarea")
    assert all(not typing.nth(i).is_visible() for i in range(typing.count()))  # no typing
    page.wait_for_selector("#hb-wizard[data-offline=saved]", timeout=60_000)  # saved by itself
    context.close()


def test_kiosk_forgets_every_answer_when_idle(browser, server):
    context = browser.new_context(viewport={"width": 1280, "height": 1024})
    page = context.new_page()
    open_kiosk(page, server)
    complete_wizard(page, who=["hearing"], situation=["no-id-papers"])
    page.evaluate("document.getElementById('hb-wizard').dataset.kioskIdle = '2'")  # instead of 90 s
    page.wait_for_selector('[data-step="who"]:not([hidden])', timeout=10_000)
    assert page.eval_on_selector_all('.hb-choice[aria-pressed="true"]', "els => els.length") == 0
    assert page.locator(".hb-result .hb-item").count() == 0
    assert page.inner_text('.hb-summary__answers[data-question="who"]') in ("", "Không chọn")
    context.close()


def test_a_guide_opened_from_the_kiosk_returns_to_it(browser, server):
    context = browser.new_context(viewport={"width": 1280, "height": 1024})
    page = context.new_page()
    open_kiosk(page, server, "en")
    page.click('.hb-kiosk-tiles a[data-situation="outage-with-papers"]')
    page.wait_for_url(re.compile(r"/en/guides/outage-with-papers/\?kiosk"))
    home = page.locator(".hb-kiosk-home")
    assert home.is_visible() and home.bounding_box()["height"] >= KIOSK_TARGET_PX
    home.click()
    page.wait_for_url(re.compile(r"/en/kiosk/$"))
    context.close()


def test_kiosk_with_the_keyboard_alone(browser, server):
    context = browser.new_context(viewport={"width": 1280, "height": 1024})
    page = context.new_page()
    open_kiosk(page, server)
    for _ in range(60):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.dataset.answer === 'elderly'"):
            break
    page.keyboard.press("Space")
    assert page.get_attribute('.hb-choice[data-answer="elderly"]', "aria-pressed") == "true"
    visible_focus = page.evaluate("""() => { const s = getComputedStyle(document.activeElement);
        return s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2; }""")
    assert visible_focus
    context.close()


# ---- the citizen's support slip -------------------------------------------------------------

SLIP_ANSWERS = {"who": ["elderly", "hearing", "language-barrier"], "situation": ["no-id-papers", "upset-citizen"]}


@pytest.fixture(scope="module")
def engine(model):
    from wizard.data import export
    from wizard.engine import Engine

    return Engine(export(model))


def kiosk_result(browser, server, lang="vi", viewport=None, **args):
    context = browser.new_context(viewport=viewport or {"width": 1280, "height": 1024})
    page = context.new_page()
    open_kiosk(page, server, lang)
    complete_wizard(page, **{**SLIP_ANSWERS, **args})
    return context, page


def test_the_kiosk_gives_the_citizen_a_slip_not_the_staff_checklist(browser, server, model, engine):
    context, page = kiosk_result(browser, server)
    expected = engine.decide(SLIP_ANSWERS["who"], SLIP_ANSWERS["situation"], "vi")
    assert page.locator(".hb-result .hb-item, .hb-result .hb-checklist").count() == 0
    lines = page.eval_on_selector_all(".hb-slip__line", "els => els.map(e => [e.dataset.slip, "
                                      "[...e.querySelectorAll('a.hb-cite')].map(a => a.dataset.cite)])")
    assert 1 <= len(lines) <= 5
    assert lines == [[line["id"], line["sources"]] for line in expected["slip"]]  # each one traceable
    shown = page.inner_text(".hb-result")
    staff_orders = [model.t("vi", "items", iid, "text") for iid in model.items]
    assert not [text for text in staff_orders if text in shown]  # not one staff order
    # the answers as pictures, and the part to hand over at the counter names every answer
    shown_order = [a for q in model.wizard.questions for a in q.answers]  # as the tiles show them
    assert page.eval_on_selector_all(".hb-slip__answer", "els => els.map(e => e.dataset.answer)") == \
        sorted(SLIP_ANSWERS["who"] + SLIP_ANSWERS["situation"], key=shown_order.index)
    assert page.locator(".hb-slip__answer img").count() == 5
    counter = page.inner_text(".hb-slip__counter")
    assert all(model.t("vi", "answers", a, "label") in counter for a in SLIP_ANSWERS["who"])
    context.close()


def test_no_link_leaves_kiosk_mode(browser, server):
    context, page = kiosk_result(browser, server, "en")
    hrefs = page.eval_on_selector_all("a[href]", "els => els.map(a => a.href)")
    leaving = [h for h in hrefs if h.startswith(server) and not re.search(r"/kiosk/(#.*)?$", h)
               and "?kiosk" not in h]
    assert len(hrefs) > 30 and leaving == []
    page.click(".hb-slip__line a.hb-cite >> nth=0")
    page.wait_for_url(re.compile(r"/en/plans/[a-z-]+/\?kiosk#s-"))
    assert page.locator(".hb-kiosk-home").is_visible()
    context.close()


def test_back_and_the_back_forward_cache_keep_nothing_of_the_previous_person(browser, server):
    """In a real Chromium, Back may restore the kiosk from the back-forward cache (Playwright turns
    that cache off by default: this browser keeps it on)."""
    from conftest import CHROMIUM_ARGS, chromium_or_skip

    with browser.browser_type.launch(executable_path=chromium_or_skip(), args=CHROMIUM_ARGS, headless=True,
                                     ignore_default_args=["--disable-back-forward-cache"]) as real:
        context = real.new_context(viewport={"width": 1280, "height": 1024})
        page = context.new_page()
        page.add_init_script("addEventListener('pageshow', e => { if (e.persisted) "
                             "document.documentElement.dataset.restored = 'bfcache'; });")
        open_kiosk(page, server)
        # a message from the service worker (the runtime saved) evicts a page from that cache:
        # let the kiosk finish saving first, so that Back really restores it from there
        page.wait_for_selector("#hb-wizard[data-offline=saved]", state="attached", timeout=60_000)
        complete_wizard(page, who=["hearing"], situation=["no-id-papers"])
        page.click(".hb-slip__line a.hb-cite >> nth=0")
        page.wait_for_url(re.compile(r"\?kiosk#"))
        page.go_back(wait_until="commit")  # a page from the back-forward cache fires no "load"
        page.wait_for_url(re.compile(r"/kiosk/$"), wait_until="commit")
        page.wait_for_selector('[data-step="who"]:not([hidden])')
        assert page.eval_on_selector_all('.hb-choice[aria-pressed="true"]', "els => els.length") == 0
        assert page.locator(".hb-result > *").count() == 0
        assert page.inner_text('.hb-summary__answers[data-question="who"]') in ("", "Không chọn")
        restored = page.get_attribute("html", "data-restored")
    assert restored == "bfcache", "Back did not come from the back-forward cache: this test proves less"


@pytest.mark.parametrize("paper,width_mm", [("receipt", 80), ("a4", 210)])
def test_the_slip_prints_on_receipt_paper_and_a4_with_nothing_cut(browser, server, engine, tmp_path, paper,
                                                                  width_mm):
    from pypdf import PdfReader

    context, page = kiosk_result(browser, server)
    expected = engine.decide(SLIP_ANSWERS["who"], SLIP_ANSWERS["situation"], "vi")
    page.evaluate("paper => { document.getElementById('hb-receipt-css').media = "
                  "paper === 'receipt' ? 'print' : 'not all'; }", paper)  # what the print buttons do
    page.emulate_media(media="print")
    # nothing wider than the paper: every part of the slip inside the printable width
    printable_px = (width_mm - (6 if paper == "receipt" else 30)) / 25.4 * 96
    page.set_viewport_size({"width": round(printable_px), "height": 1200})
    overflow = page.evaluate("""() => { const slip = document.querySelector('.hb-slip');
        const box = slip.getBoundingClientRect();
        return [...slip.querySelectorAll('*')].filter(el => el.getBoundingClientRect().right > box.right + 0.5
          || el.scrollWidth > el.clientWidth + 1 && getComputedStyle(el).overflowX !== 'visible')
          .map(el => el.className || el.tagName); }""")
    assert overflow == [] and page.evaluate("document.documentElement.scrollWidth <= innerWidth")
    pdf = tmp_path / f"slip-{paper}.pdf"
    page.pdf(path=str(pdf), prefer_css_page_size=True, print_background=True)
    context.close()
    reader = PdfReader(str(pdf))
    width = float(reader.pages[0].mediabox.width) / 72 * 25.4
    assert abs(width - width_mm) < 1, f"page is {width:.1f} mm wide"
    # one font family draws every letter, whatever fonts this machine has (no letter borrowed)
    assert pdftools.families(pdf) == {pdftools.FAMILY}, pdftools.fonts(pdf)
    text = pdftools.text(pdf)
    for line in expected["slip"]:  # every sentence whole on the paper
        assert pdftools.normal(line["text"]) in text, line["text"]
    if paper == "receipt":
        assert len(reader.pages) <= 2

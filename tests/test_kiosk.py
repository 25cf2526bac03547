"""The lookup kiosk: big targets, no typing, the runtime saved by itself, and every answer
forgotten after a while without a touch."""

from __future__ import annotations

import re

import pytest

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

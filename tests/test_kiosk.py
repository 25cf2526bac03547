"""The lookup kiosk: big targets, no typing, the runtime saved by itself, and every answer
forgotten after a while without a touch."""

from __future__ import annotations

import io
import re

import pytest

import pdftools
from conftest import complete_wizard

pytestmark = pytest.mark.browser
KIOSK_TARGET_PX = 64


def open_kiosk(page, server, lang="vi"):
    page.goto(server + ("/" if lang == "vi" else f"/{lang}/") + "kiosk/")
    page.wait_for_selector("#hb-wizard[data-engine=ready]", timeout=60_000)


KIOSK_SIZES = [{"width": 1366, "height": 768}, {"width": 1280, "height": 1024}, {"width": 1080, "height": 1920}]
# what takes the person on, on each step
WAY_ON = {"who": '[data-step="who"] [data-go="next"]', "situation": '[data-step="situation"] [data-go="next"]',
          "summary": '[data-step="summary"] [data-go="result"]', "result": '[data-step="result"] [data-go="print"]'}
# every visible target of the page (links, buttons, form controls) smaller than `min` px either way
SMALL_TARGETS = """(min) => [...document.querySelectorAll('a[href], button, input, select, textarea, [role=button]')]
    .filter(el => el.checkVisibility({visibilityProperty: true, opacityProperty: true}) && el.getClientRects().length)
    .map(el => [el.outerHTML.slice(0, 80), el.getBoundingClientRect()])
    .filter(([, r]) => r.width < min || r.height < min).map(([t]) => t)"""
# elements of `selector` (visible) that are not wholly inside the viewport, or lie under `cover`
OUT_OF_VIEW = """([selector, cover]) => {
    const bar = cover && document.querySelector(cover)?.getBoundingClientRect();
    return [...document.querySelectorAll(selector)].filter(el => el.checkVisibility())
      .map(el => [el.outerHTML.slice(0, 60), el.getBoundingClientRect()])
      .filter(([, r]) => r.top < -0.5 || r.left < -0.5 || r.bottom > innerHeight + 0.5 || r.right > innerWidth + 0.5
                         || (bar && r.bottom > bar.top + 0.5))
      .map(([t]) => t); }"""


def step_name(page):
    return page.get_attribute('.hb-step:not([hidden])', "data-step")


def check_fits(page, step):
    """The step's question (or title), its answers and its way on, all on the screen, nothing under
    the bar of the way on, and no target under 64 px."""
    nav = f'[data-step="{step}"] > .hb-nav'
    assert page.evaluate(OUT_OF_VIEW, [f'[data-step="{step}"] h2', None]) == []
    assert page.evaluate(OUT_OF_VIEW, [WAY_ON[step], None]) == [], f"{step}: the way on is off screen"
    parts = {"who": ".hb-choice", "situation": ".hb-choice", "summary": ".hb-summary",
             "result": ".hb-slip__answers, .hb-slip__line, .hb-slip__counter, .hb-slip__qr"}[step]
    scoped = ", ".join(f'[data-step="{step}"] {p.strip()}' for p in parts.split(","))
    assert page.evaluate(OUT_OF_VIEW, [scoped, nav]) == [], f"{step}: not all on one screen"
    assert page.evaluate(SMALL_TARGETS, KIOSK_TARGET_PX) == [], f"{step}: targets under 64 px"


@pytest.mark.parametrize("viewport", KIOSK_SIZES, ids=lambda v: f"{v['width']}x{v['height']}")
def test_every_kiosk_step_fits_the_screen(browser, server, viewport):
    context = browser.new_context(viewport=viewport, has_touch=True)
    page = context.new_page()
    open_kiosk(page, server)
    assert not page.locator(".md-header").is_visible() and not page.locator(".md-footer").is_visible()
    # no technical status for the citizen (the engine's progress, the offline copy)
    assert not page.locator(".hb-engine").is_visible() and not page.locator(".hb-offline").is_visible()
    # pictures first, at least 96 px, on every tile
    pics = page.eval_on_selector_all('[data-step="who"] .hb-choice', """els => els.map(b => {
        const pic = b.querySelector('img').getBoundingClientRect(), label = b.querySelector('.hb-choice__label');
        return [pic.height, pic.bottom <= label.getBoundingClientRect().top + 1]; })""")
    assert pics and all(height >= 96 and first for height, first in pics), pics
    if viewport["height"] >= 1.5 * viewport["width"]:  # a tall portrait screen: tiles sized for it
        assert all(height >= 160 for height, _ in pics), pics
    check_fits(page, "who")
    for answer in SLIP_ANSWERS["who"]:
        page.click(f'.hb-choice[data-answer="{answer}"]')
    page.click(WAY_ON["who"])
    check_fits(page, "situation")
    for answer in SLIP_ANSWERS["situation"]:
        page.click(f'.hb-choice[data-answer="{answer}"]')
    page.click(WAY_ON["situation"])
    check_fits(page, "summary")
    page.click(WAY_ON["summary"])
    page.wait_for_selector(".hb-result .hb-slip")
    assert step_name(page) == "result"
    check_fits(page, "result")
    typing = page.locator("input[type=text], input[type=search], textarea")
    assert all(not typing.nth(i).is_visible() for i in range(typing.count()))  # no typing
    context.close()


def test_kiosk_saves_itself_for_offline_use_and_says_nothing(browser, server):
    context = browser.new_context(viewport={"width": 1280, "height": 1024})
    page = context.new_page()
    open_kiosk(page, server)
    page.wait_for_selector("#hb-wizard[data-offline=saved]", state="attached", timeout=60_000)  # by itself
    assert not page.locator(".hb-offline").is_visible()
    context.close()


@pytest.mark.parametrize("where", ["wizard", "guide"])
def test_kiosk_warns_before_it_forgets_and_its_button_keeps_the_session(browser, server, where):
    """The wizard at the kiosk, and a guide opened from it (the citizen's view), warn the same way
    before they forget: the wizard goes back to its first question, the guide to the kiosk."""
    context = browser.new_context(viewport={"width": 1366, "height": 768})
    page = context.new_page()
    open_kiosk(page, server)
    if where == "wizard":
        page.click('.hb-choice[data-answer="hearing"]')
        page.click(WAY_ON["who"])
        idle = "document.getElementById('hb-wizard').dataset.kioskIdle = '6'"
        kept = lambda: step_name(page) == "situation" and page.get_attribute(
            '.hb-choice[data-answer="hearing"]', "aria-pressed") == "true"
    else:
        page.click('.hb-kiosk-tiles a[data-situation="elderly-mobility"]')
        page.wait_for_url(re.compile(r"/guides/elderly-mobility/\?kiosk"))
        idle = "document.querySelector('.hb-kiosk-home').dataset.kioskIdle = '6'"
        kept = lambda: "/guides/elderly-mobility/" in page.url
    # 6 s instead of 90: the warning comes 2 s before the reset
    page.evaluate(idle)
    dialog = page.locator(".hb-idle")
    dialog.wait_for(state="visible", timeout=10_000)
    # announced: an alert dialog named by its visible title, with a countdown; nothing forgotten yet
    assert dialog.get_attribute("role") == "alertdialog"
    assert page.evaluate("""() => { const d = document.querySelector('.hb-idle');
        return document.getElementById(d.getAttribute('aria-labelledby')).checkVisibility()
          && document.getElementById(d.getAttribute('aria-describedby')).checkVisibility(); }""")
    assert re.search(r"\d", page.inner_text(".hb-idle__count"))
    assert kept()
    stay = page.locator(".hb-idle__stay")
    assert stay.bounding_box()["height"] >= KIOSK_TARGET_PX
    assert page.evaluate("document.activeElement.classList.contains('hb-idle__stay')")  # focus on it
    stay.click()
    assert not dialog.is_visible()
    page.wait_for_timeout(3000)  # past the moment the reset would have come without the button
    assert kept() and not dialog.is_visible()
    # left alone again: warned, then forgotten
    dialog.wait_for(state="visible", timeout=10_000)
    if where == "wizard":
        page.wait_for_selector('[data-step="who"]:not([hidden])', timeout=10_000)
        assert not dialog.is_visible()
        assert page.eval_on_selector_all('.hb-choice[aria-pressed="true"]', "els => els.length") == 0
    else:
        page.wait_for_url(re.compile(r"/kiosk/$"), timeout=10_000)
    context.close()


def test_kiosk_forgets_every_answer_when_idle(browser, server):
    context = browser.new_context(viewport={"width": 1280, "height": 1024})
    page = context.new_page()
    open_kiosk(page, server)
    complete_wizard(page, who=["hearing"], situation=["no-id-papers"])
    page.evaluate("document.getElementById('hb-wizard').dataset.kioskIdle = '2'")  # instead of 90 s
    page.wait_for_selector(".hb-idle", state="visible", timeout=10_000)  # warned first
    page.wait_for_selector('[data-step="who"]:not([hidden])', timeout=10_000)
    assert page.eval_on_selector_all('.hb-choice[aria-pressed="true"]', "els => els.length") == 0
    assert page.locator(".hb-result > *").count() == 0
    assert page.inner_text('.hb-summary__answers[data-question="who"]') in ("", "Không chọn")
    context.close()


def test_a_guide_opened_at_the_kiosk_is_a_citizens_guide(browser, server):
    context = browser.new_context(viewport={"width": 1366, "height": 768}, has_touch=True)
    page = context.new_page()
    open_kiosk(page, server, "en")
    page.click('.hb-kiosk-tiles a[data-situation="outage-with-papers"]')
    page.wait_for_url(re.compile(r"/en/guides/outage-with-papers/\?kiosk"))
    # no search, no language menu, no staff navigation, no plan text, no citation to tap
    for staff in (".md-search", "input", ".md-header", ".md-tabs", ".md-sidebar", ".md-select", ".md-footer",
                  "a.hb-cite", "blockquote", "#checklist", ".hb-source"):
        assert all(not el.is_visible() for el in page.locator(staff).all()), staff
    # the key steps, as large pictures with listen
    steps = page.locator(".hb-strip__panel")
    assert steps.count() > 0 and steps.first.is_visible()
    assert all(box["height"] >= 96 for box in (img.bounding_box() for img in page.locator(".hb-strip__panel img").all()))
    home = page.locator(".hb-kiosk-home")
    assert page.evaluate(SMALL_TARGETS, KIOSK_TARGET_PX) == []
    for _ in range(2):  # always on screen, wherever the page is scrolled
        box = home.bounding_box()
        assert home.is_visible() and box["height"] >= KIOSK_TARGET_PX and box["y"] + box["height"] <= 768
        page.mouse.wheel(0, 2000)
    # it looks like a button: a filled background, not text in a corner
    assert page.evaluate("getComputedStyle(document.querySelector('.hb-kiosk-home')).backgroundColor") \
        not in ("rgba(0, 0, 0, 0)", "transparent", "rgb(255, 255, 255)")
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
                                      "[...e.querySelectorAll('.hb-cite')].map(a => a.dataset.cite)])")
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
    # citations are printed text, not links into the plans (no 10 px target to tap)
    assert page.locator(".hb-slip a").count() == 0 and page.locator(".hb-slip .hb-cite").count() > 0
    context.close()


def test_no_link_leaves_kiosk_mode(browser, server):
    context, page = kiosk_result(browser, server, "en")
    hrefs = page.eval_on_selector_all("a[href]", "els => els.map(a => a.href)")
    leaving = [h for h in hrefs if h.startswith(server) and not re.search(r"/kiosk/(#.*)?$", h)
               and "?kiosk" not in h]
    assert len(hrefs) > 10 and leaving == []
    page.click(".hb-kiosk-tiles a >> nth=0")
    page.wait_for_url(re.compile(r"/en/guides/[a-z-]+/\?kiosk$"))
    assert page.locator(".hb-kiosk-home").is_visible()
    hrefs = page.eval_on_selector_all("a[href]", "els => els.map(a => a.href)")
    assert [h for h in hrefs if h.startswith(server) and "?kiosk" not in h and not h.endswith("/kiosk/")] == []
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
        page.click(".hb-kiosk-tiles a >> nth=0")
        page.wait_for_url(re.compile(r"\?kiosk$"))
        page.go_back(wait_until="commit")  # a page from the back-forward cache fires no "load"
        page.wait_for_url(re.compile(r"/kiosk/$"), wait_until="commit")
        page.wait_for_selector('[data-step="who"]:not([hidden])')
        assert page.eval_on_selector_all('.hb-choice[aria-pressed="true"]', "els => els.length") == 0
        assert page.locator(".hb-result > *").count() == 0
        assert page.inner_text('.hb-summary__answers[data-question="who"]') in ("", "Không chọn")
        restored = page.get_attribute("html", "data-restored")
    assert restored == "bfcache", "Back did not come from the back-forward cache: this test proves less"


def print_slip(page, paper, pdf):
    """Press the slip's print button for ``paper`` (the browser's print dialog left out) and print
    the page to ``pdf`` as Chromium prints it, at the size the page asks for."""
    page.evaluate("window.print = () => {}")
    page.click(f'[data-go="print"][data-paper="{paper}"]')
    page.emulate_media(media="print")
    page.pdf(path=str(pdf), prefer_css_page_size=True, print_background=True)


def render(pdf, page_index=0, scale=4):
    import pypdfium2

    return pypdfium2.PdfDocument(str(pdf))[page_index].render(scale=scale).to_pil()


def decode_qr(image):
    import zxingcpp

    return [result.text for result in zxingcpp.read_barcodes(image)]


@pytest.mark.parametrize("paper,width_mm", [("receipt", 80), ("a4", 210)])
def test_the_slip_prints_on_receipt_paper_and_a4_with_nothing_cut(browser, server, engine, tmp_path, paper,
                                                                  width_mm):
    from pypdf import PdfReader

    context, page = kiosk_result(browser, server)
    expected = engine.decide(SLIP_ANSWERS["who"], SLIP_ANSWERS["situation"], "vi")
    # what the screen shows besides the slip: its buttons, links and tiles (none of it on paper)
    slip_text = pdftools.normal(page.inner_text(".hb-slip"))
    controls = {pdftools.normal(t) for t in page.eval_on_selector_all(
        "a[href], button", "els => els.filter(e => e.checkVisibility() || e.closest('.hb-kiosk-tiles'))"
        ".map(e => e.innerText)")}
    controls = {t for t in controls if len(t) > 3 and t not in slip_text}
    assert len(controls) > 10
    counter = pdftools.normal(page.inner_text(".hb-slip__counter h3"))
    today = page.evaluate("new Date().toLocaleDateString('vi-VN')")
    qr_href = page.get_attribute(".hb-slip__qr", "data-href")
    pdf = tmp_path / f"slip-{paper}.pdf"
    print_slip(page, paper, pdf)
    # nothing wider than the paper: every part of the slip inside the printable width
    overflow = page.evaluate("""() => { const slip = document.querySelector('.hb-slip');
        const box = slip.getBoundingClientRect();
        return [...slip.querySelectorAll('*')].filter(el => el.getBoundingClientRect().right > box.right + 0.5
          || el.scrollWidth > el.clientWidth + 1 && getComputedStyle(el).overflowX !== 'visible')
          .map(el => el.className || el.tagName); }""")
    assert overflow == []
    context.close()
    reader = PdfReader(str(pdf))
    width = float(reader.pages[0].mediabox.width) / 72 * 25.4
    height = float(reader.pages[0].mediabox.height) / 72 * 25.4
    assert abs(width - width_mm) < 1, f"page is {width:.1f} mm wide"
    assert len(reader.pages) == 1, f"{len(reader.pages)} pages"  # one page, or one strip
    # one font family draws every letter, whatever fonts this machine has (no letter borrowed)
    assert pdftools.families(pdf) == {pdftools.FAMILY}, pdftools.fonts(pdf)
    text = pdftools.text(pdf)
    for line in expected["slip"]:  # every sentence whole on the paper
        assert pdftools.normal(line["text"]) in text, line["text"]
    assert counter in text  # the counter's part
    assert [c for c in controls if c in text] == []  # nothing of the screen's controls
    assert text.count(today) == 1  # the date, once
    # the counter's QR code, as printed, opens the staff procedure of the same answers
    image = render(pdf)
    assert decode_qr(image) == [qr_href]
    if paper == "receipt":
        # as long as its content: little blank paper under the last printed line
        from PIL import ImageOps

        ink = ImageOps.invert(image.convert("L").point(lambda v: 255 if v > 200 else 0)).getbbox()
        blank_mm = (image.height - ink[3]) / image.height * height
        assert blank_mm < 12, f"{blank_mm:.0f} mm of blank paper under the slip ({height:.0f} mm long)"
    else:
        assert height > 290  # A4


def test_the_slips_qr_code_opens_the_same_procedure_on_the_staff_wizard(browser, server, engine):
    from urllib.parse import parse_qs, urlsplit

    context, page = kiosk_result(browser, server, "en")
    from PIL import Image

    image = Image.open(io.BytesIO(page.locator(".hb-slip__qr svg").screenshot()))
    (address,) = decode_qr(image)
    context.close()
    parts = urlsplit(address)
    # the staff wizard (in the authoritative language), on this site; the answers in the fragment only
    assert f"{parts.scheme}://{parts.netloc}" == server and parts.path == "/wizard/" and not parts.query
    fragment = parse_qs(parts.fragment)
    assert fragment["who"][0].split(",") == SLIP_ANSWERS["who"]
    assert sorted(fragment["situation"][0].split(",")) == sorted(SLIP_ANSWERS["situation"])
    # an officer's phone opens it: the staff procedure of those answers
    phone = browser.new_context(viewport={"width": 360, "height": 740})
    officer = phone.new_page()
    requests = []
    officer.on("request", lambda r: requests.append(r.url))
    officer.goto(address)
    officer.wait_for_selector(".hb-result .hb-item", timeout=60_000)
    expected = engine.decide(SLIP_ANSWERS["who"], SLIP_ANSWERS["situation"], "vi")
    assert officer.eval_on_selector_all(".hb-item", "els => els.map(e => e.dataset.item)") == \
        [item["id"] for item in expected["items"]]
    assert officer.get_attribute(".hb-path", "data-path") == expected["path"]["id"]
    assert sorted(officer.eval_on_selector_all('.hb-choice[aria-pressed="true"]', "els => els.map(e => e.dataset.answer)")) \
        == sorted(SLIP_ANSWERS["who"] + SLIP_ANSWERS["situation"])
    assert not [r for r in requests if "who=" in r or "situation=" in r]  # never sent to the server
    phone.close()

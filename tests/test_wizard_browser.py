"""The wizard in a real browser: Pyodide in a module worker gives the same answers as CPython,
with the mouse and with the keyboard alone; print, fallback, no JavaScript, nothing kept."""

from __future__ import annotations

import itertools
import json
import re
from urllib.parse import parse_qs

import pytest

from conftest import complete_wizard
from wizard.data import export
from wizard.engine import Engine

pytestmark = pytest.mark.browser
READY = 60_000  # ms: generous for a cold Pyodide on a slow CI machine; the bench measures speed


@pytest.fixture(scope="module")
def data(model):
    return export(model)


def open_wizard(page, server, lang="vi"):
    prefix = "" if lang == "vi" else f"/{lang}"
    page.goto(f"{server}{prefix}/wizard/")
    page.wait_for_selector("#hb-wizard[data-engine=ready]", timeout=READY)


def shown_result(page):
    page.wait_for_selector(".hb-result .hb-path")
    path = page.get_attribute(".hb-path", "data-path")
    items = page.eval_on_selector_all(
        ".hb-item", "els => els.map(e => [e.dataset.item, e.dataset.phase, "
        "[...e.querySelectorAll('a.hb-cite')].map(a => a.dataset.cite)])")
    return path, [tuple(i[:2]) + (i[2],) for i in items]


def expected(data, who, situation, lang="vi"):
    result = Engine(data).decide(who, situation, lang)
    return result["path"]["id"], [(i["id"], i["phase"], i["sources"]) for i in result["items"]]


def test_complete_with_the_mouse(page, server, data, model):
    errors = []
    page.on("console", lambda m: m.type == "error" and errors.append(m.text))
    page.on("pageerror", lambda e: errors.append(str(e)))
    open_wizard(page, server)
    assert page.is_hidden(".hb-nojs")
    for answer in ("elderly", "hearing"):
        page.click(f'.hb-choice[data-answer="{answer}"]')
    page.click('[data-step="who"] [data-go="next"]')
    page.click('.hb-choice[data-answer="outage"]')
    page.click('[data-step="situation"] [data-go="next"]')
    summary = page.inner_text('.hb-summary__answers[data-question="who"]')
    assert model.t("vi", "answers", "hearing", "label") in summary
    page.click('[data-step="summary"] [data-go="result"]')
    assert shown_result(page) == expected(data, ["elderly", "hearing"], ["outage"])
    # every citation in the result lands on its plan paragraph
    hrefs = page.eval_on_selector_all(".hb-result a.hb-cite", "els => els.map(a => [a.dataset.cite, a.href])")
    for cite, href in hrefs:
        plan, section = cite.split(":")
        assert href.endswith(f"/plans/{plan}/#s-{section.replace('.', '-')}"), href
    # change one answer from the summary, then start again
    page.click('[data-step="result"] [data-go="summary"]')
    page.click('.hb-change[data-go="situation"]')
    page.click('.hb-choice[data-answer="outage"]')  # unselect
    page.click('.hb-choice[data-answer="emergency"]')
    page.click('[data-step="situation"] [data-go="next"]')
    page.click('[data-step="summary"] [data-go="result"]')
    assert shown_result(page) == expected(data, ["elderly", "hearing"], ["emergency"])
    page.click('[data-go="restart"]')
    assert page.is_visible('[data-step="who"]')
    assert page.eval_on_selector_all('.hb-choice[aria-pressed="true"]', "els => els.length") == 0
    assert not errors, errors  # no script error and no Content-Security-Policy violation


def tab_to(page, selector, limit=80):
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("s => document.activeElement && document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"Tab never reached {selector}")


def test_complete_with_the_keyboard_alone(page, server, data):
    open_wizard(page, server, "en")
    tab_to(page, '.hb-choice[data-answer="mobility"]')
    page.keyboard.press("Space")
    tab_to(page, '[data-step="who"] [data-go="next"]')
    page.keyboard.press("Enter")
    tab_to(page, '.hb-choice[data-answer="no-bank-account"]')
    page.keyboard.press("Enter")
    tab_to(page, '[data-step="situation"] [data-go="next"]')
    page.keyboard.press("Enter")
    tab_to(page, '[data-step="summary"] [data-go="result"]')
    page.keyboard.press("Enter")
    assert shown_result(page) == expected(data, ["mobility"], ["no-bank-account"], "en")
    focused = page.evaluate("document.activeElement.id")
    assert focused == "hb-q-result"  # focus follows the step, for screen readers and keyboards


def test_print_preview_has_the_checklist_and_no_navigation(page, server):
    open_wizard(page, server)
    complete_wizard(page, situation=["no-id-papers"])
    page.emulate_media(media="print")
    assert page.is_visible(".hb-result .hb-item") and page.is_visible(".hb-printed")
    assert page.is_visible(".hb-result a.hb-cite")
    for hidden in (".md-header", ".md-sidebar--primary", ".hb-engine", '[data-go="print"]'):
        assert not page.is_visible(hidden), hidden
    assert re.search(r"\d", page.inner_text(".hb-printed"))  # the date
    # a loopback address (the test site's): the notice in place of a QR code that would open nothing
    assert page.is_visible(".hb-qr--none") and page.inner_text(".hb-print-meta__commune").strip()


def test_engine_failure_shows_the_guides(browser, server, model):
    # no service worker here: requests it makes would not pass through the route that blocks
    context = browser.new_context(service_workers="block")
    page = context.new_page()
    page.route(re.compile(r".*/assets/pyodide/.*"), lambda route: route.abort())
    page.goto(server + "/wizard/")
    page.wait_for_selector("#hb-wizard[data-engine=failed]", timeout=15_000)
    assert page.is_visible(".hb-fallback")
    links = page.eval_on_selector_all(".hb-fallback a", "els => els.map(a => a.getAttribute('href'))")
    assert any(href.startswith("../guides/") for href in links)
    # the questions still work; the result step then points to the guides of the answers
    page.click('.hb-choice[data-answer="elderly"]')
    page.click('[data-step="who"] [data-go="next"]')
    page.click('[data-step="situation"] [data-go="next"]')
    page.click('[data-step="summary"] [data-go="result"]')
    guides = page.eval_on_selector_all(".hb-fallback__guides a", "els => els.map(a => a.getAttribute('href'))")
    assert guides[0] == "../guides/elderly-mobility/"
    context.close()


@pytest.mark.parametrize("name", ["pyodide.asm.wasm", "stdlib.zip"])
def test_a_missing_runtime_file_is_reported_at_once(browser, server, name):
    context = browser.new_context(service_workers="block")
    page = context.new_page()
    page.route(re.compile(rf".*/{re.escape(name)}$"), lambda route: route.fulfill(status=404, body="missing"))
    page.goto(server + "/wizard/")
    page.wait_for_selector("#hb-wizard[data-engine=failed]", timeout=5_000)  # not the 12 s time-out
    assert page.is_visible(".hb-fallback") and page.locator(".hb-fallback a").count() > 0
    context.close()


def test_without_javascript_every_answer_leads_to_a_guide(browser, server, model, site):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(server + "/wizard/")
    assert page.is_hidden("#hb-wizard")
    links = page.eval_on_selector_all(".hb-nojs a[data-answer]",
                                      "els => els.map(a => [a.dataset.answer, a.getAttribute('href')])")
    context.close()
    answers = [a for q in model.wizard.questions for a in q.answers]
    assert [a for a, _ in links] == answers
    for _, href in links:  # its guide, or the list of guides for an answer with no guide of its own
        assert re.fullmatch(r"\.\./guides/([a-z-]+/)?", href)
        assert (site / href[3:] / "index.html").is_file()


def test_nothing_personal_is_kept(page, server):
    """The answers and the step live in the page's URL fragment only (never sent, no new history
    entry), so a reload or a language switch keeps them; Restart clears them; nothing is stored."""
    open_wizard(page, server)
    start_url = page.url
    entries = page.evaluate("history.length")
    complete_wizard(page, who=["elderly"])
    base, _, fragment = page.url.partition("#")
    assert base == start_url and parse_qs(fragment) == {"who": ["elderly"], "step": ["result"]}
    assert page.evaluate("history.length") == entries  # replaced, never pushed
    stored = page.evaluate("""async () => ({
        local: localStorage.length, session: sessionStorage.length, cookies: document.cookie,
        dbs: indexedDB.databases ? (await indexedDB.databases()).length : 0})""")
    assert stored == {"local": 0, "session": 0, "cookies": "", "dbs": 0}
    page.click('[data-go="restart"]')
    assert page.url == start_url


def test_a_language_switch_keeps_the_answers_and_the_step(page, server, model):
    open_wizard(page, server)
    page.click('.hb-choice[data-answer="elderly"]')
    page.click('.hb-choice[data-answer="hearing"]')
    page.click('[data-step="who"] [data-go="next"]')
    page.click('.hb-choice[data-answer="outage"]')
    # the header's language selector, as a person uses it
    page.locator(".md-header .md-select").first.hover()
    page.locator('.md-header a.md-select__link[hreflang="en"]').click()
    page.wait_for_url(re.compile(r"/en/wizard/#"))
    page.wait_for_selector("#hb-wizard[data-engine=ready]", timeout=READY)
    assert page.get_attribute(".hb-step:not([hidden])", "data-step") == "situation"
    assert page.eval_on_selector_all('.hb-choice[aria-pressed="true"]', "els => els.map(e => e.dataset.answer)") \
        == ["elderly", "hearing", "outage"]
    page.click('[data-step="situation"] [data-go="next"]')
    page.click('[data-step="summary"] [data-go="result"]')
    assert shown_result(page)[0] == Engine(export(model)).decide(["elderly", "hearing"], ["outage"], "en")["path"]["id"]
    # an answer the wizard does not know, in a hand-made address, is ignored
    page.goto(f"{server}/wizard/#who=elderly,nobody&situation=&step=summary")
    assert page.get_attribute(".hb-step:not([hidden])", "data-step") == "summary"
    assert page.eval_on_selector_all('.hb-choice[aria-pressed="true"]', "els => els.map(e => e.dataset.answer)") \
        == ["elderly"]


@pytest.mark.parametrize("path", ["/wizard/", "/kiosk/"])
def test_the_way_on_stays_in_view_on_a_phone(browser, server, path):
    """At 360x740 nine tall tiles used to push "Next" three screens down: a sticky bar keeps it."""
    context = browser.new_context(viewport={"width": 360, "height": 740}, has_touch=True)
    page = context.new_page()
    page.goto(server + path)
    page.wait_for_selector("#hb-wizard[data-engine=ready]", timeout=READY)
    uncovered = """(sel) => { const el = document.querySelector(sel), r = el.getBoundingClientRect();
        const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
        return r.top >= 0 && r.bottom <= innerHeight && (el === hit || el.contains(hit)); }"""
    for step, answers, way_on in (("who", ["elderly", "poor-household"], '[data-step="who"] [data-go="next"]'),
                                  ("situation", ["outage"], '[data-step="situation"] [data-go="next"]'),
                                  ("summary", [], '[data-step="summary"] [data-go="result"]')):
        for answer in answers:  # tiles further down: the page scrolls, the way on stays
            page.click(f'.hb-choice[data-answer="{answer}"]')
        assert page.evaluate(uncovered, way_on), f"{step}: the way on is not in view"
        page.click(way_on)
    context.close()


def test_the_wizards_first_screen_on_a_phone_is_the_question_and_its_first_answers(browser, server, model):
    """At 360x740 the staff wizard opens on its first question and first answers, above the bar of
    the way on: the lead is short, and once ready no status line takes room (issue 21). A
    translated page also carries the notice that the Vietnamese text is authoritative: there the
    question and its hint are on the first screen, the answers start just under it."""
    for lang in model.languages:
        context = browser.new_context(viewport={"width": 360, "height": 740}, has_touch=True)
        page = context.new_page()
        page.goto(server + ("/" if lang == model.reference else f"/{lang}/") + "wizard/")
        page.wait_for_selector("#hb-wizard[data-engine=ready]", state="attached", timeout=READY)
        bar = page.locator('[data-step="who"] > .hb-nav').bounding_box()["y"]
        parts = ['[data-step="who"] h2', '[data-step="who"] .hb-hint']
        if lang == model.reference:
            parts += ['[data-step="who"] .hb-choice >> nth=0', '[data-step="who"] .hb-choice >> nth=1']
        for part in parts:
            box = page.locator(part).bounding_box()
            assert box["y"] >= 0 and box["y"] + box["height"] <= bar + 0.5, (lang, part, box, bar)
        assert page.locator(".hb-engine").bounding_box()["height"] <= 1  # said to screen readers only
        assert page.inner_text(".hb-engine__text") == model.t(lang, "ui", "wizard_ready")
        context.close()


def test_a_guides_first_screen_on_a_phone_shows_what_to_do(browser, server, model):
    context = browser.new_context(viewport={"width": 360, "height": 740})
    page = context.new_page()
    for sid in model.situations:
        page.goto(f"{server}/guides/{sid}/")
        for part in (".hb-strip__panel img", ".hb-strip__label"):  # the first key step: picture and words
            box = page.locator(part).first.bounding_box()
            assert box["y"] + box["height"] <= 740, f"{sid}: the first key step is below the fold"
        # the text-size buttons stay clear of the title (its stacked accents rise above its box)
        buttons = page.locator(".hb-textsize").bounding_box()
        title = page.locator("article h1").first.bounding_box()
        assert buttons["y"] + buttons["height"] + 4 <= title["y"], sid
    context.close()


# ---- the same table of cases in Pyodide and in CPython ---------------------------------------

def cases(data):
    answers = [(q["id"], a) for q in data["questions"] for a in q["answers"]]
    table = [()]
    table += [(a,) for a in answers]
    table += list(itertools.combinations(answers, 2))
    table += [tuple(answers[i] for i in range(len(answers)) if (n * 2654435761) >> i & 1)
              for n in range(1, 40)]
    table.append(tuple(answers))
    out = []
    for lang in data["languages"]:
        for chosen in table:
            out.append({"who": [a for q, a in chosen if q == "who"],
                        "situation": [a for q, a in chosen if q == "situation"], "lang": lang})
    return out


PYODIDE_RUNNER = """async ([cases]) => {
  const { loadPyodide } = await import("/assets/pyodide/pyodide.mjs");
  const bundle = await (await fetch("/assets/wizard/engine.json")).json();
  const pyodide = await loadPyodide({ indexURL: "/assets/pyodide/", stdLibURL: "/assets/wizard/stdlib.zip",
                                      lockFileContents: JSON.stringify(bundle.lock) });
  for (const [path, source] of Object.entries(bundle.files)) {
    pyodide.FS.mkdirTree("/cases/" + path.split("/").slice(0, -1).join("/"));
    pyodide.FS.writeFile("/cases/" + path, source);
  }
  pyodide.globals.set("DATA", JSON.stringify(bundle.data));
  pyodide.globals.set("CASES", JSON.stringify(cases));
  return pyodide.runPython(`
import sys, json
sys.path.insert(0, "/cases")
from wizard.engine import Engine
engine = Engine(json.loads(DATA))
json.dumps({"version": sys.version,
            "results": [engine.decide(c["who"], c["situation"], c["lang"]) for c in json.loads(CASES)]})
`);
}"""


def test_pyodide_gives_the_same_results_as_cpython(browser, server, data):
    table = cases(data)
    assert len(table) > 300
    # Pyodide on the page itself, for this test only: no page's policy allows WebAssembly (the
    # engine compiles it in its worker), so this context sets the page's policy aside
    context = browser.new_context(bypass_csp=True)
    page = context.new_page()
    try:
        page.goto(server + "/wizard/")
        out = json.loads(page.evaluate(PYODIDE_RUNNER, [table]))
    finally:
        context.close()
    assert out["version"].split()[0] != "", "Pyodide reported no Python version"
    engine = Engine(data)
    for case, result in zip(table, out["results"], strict=True):
        assert result == engine.decide(case["who"], case["situation"], case["lang"]), case


def test_a_policy_without_wasm_shows_the_fallback_not_a_spinner(browser, server):
    """A server that forgets 'wasm-unsafe-eval' makes Pyodide hang silently in its worker: the
    page's time-out must still say so and offer the guides."""
    context = browser.new_context(service_workers="block")
    page = context.new_page()

    def strict_worker(route):
        response = route.fetch()
        headers = {**response.headers, "content-security-policy": "default-src 'self'; script-src 'self'"}
        headers.pop("content-encoding", None)
        route.fulfill(status=response.status, headers=headers, body=response.body())

    page.route(re.compile(r".*/assets/wizard/worker\.mjs$"), strict_worker)
    page.goto(server + "/wizard/")
    page.wait_for_selector("#hb-wizard[data-engine=failed]", timeout=30_000)
    assert page.is_visible(".hb-fallback") and page.locator(".hb-fallback a").count() > 0
    context.close()


def test_the_wizard_requests_nothing_from_another_origin(browser, server):
    context = browser.new_context(service_workers="block")
    requests = []
    context.on("request", lambda r: requests.append(r.url))
    page = context.new_page()
    open_wizard(page, server)
    complete_wizard(page)
    context.close()
    assert any("pyodide.asm.wasm" in url for url in requests), "the worker's requests were not seen"
    assert all(url.startswith(server) or url.startswith("data:") for url in requests), requests


def test_a_proviso_is_said_once_before_the_stages_it_governs(page, server, data):
    """A merger question: the stages about the file are conditional; the checklist says so once,
    right before the first of them, and the slip before the first of its lines they hold."""
    result = Engine(data).decide(["elderly"], ["merger-questions"])
    (proviso,) = result["provisos"]
    governed = [s["id"] for s in result["stages"] if s["proviso"] == proviso["id"]]
    open_wizard(page, server)
    complete_wizard(page, ["elderly"], ["merger-questions"])
    order = page.eval_on_selector_all(
        ".hb-checklist .hb-proviso, .hb-checklist h4.hb-phase",
        "els => els.map(e => e.matches('.hb-proviso') ? 'proviso:' + e.dataset.proviso : e.dataset.phase)")
    assert order.count(f"proviso:{proviso['id']}") == 1
    assert order[order.index(f"proviso:{proviso['id']}") + 1] == governed[0], order
    assert all(order.index(s) > order.index(f"proviso:{proviso['id']}") for s in governed)
    assert page.inner_text(".hb-checklist .hb-proviso").startswith(proviso["text"])
    # the slip (the kiosk's view of the same result)
    page.goto(f"{server}/kiosk/")
    page.wait_for_selector("#hb-wizard[data-engine=ready]", timeout=READY)
    complete_wizard(page, ["elderly"], ["merger-questions"])
    lines = page.eval_on_selector_all(
        ".hb-slip__lines > li", "els => els.map(e => e.dataset.proviso ? 'proviso' : e.dataset.slip)")
    first_governed = next(n for n, line in enumerate(result["slip"]) if line["proviso"])
    assert lines.count("proviso") == 1 and lines.index("proviso") == first_governed, lines
    assert [x for x in lines if x != "proviso"] == [line["id"] for line in result["slip"]]

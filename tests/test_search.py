"""Search finds Vietnamese typed without diacritics or with Telex leftovers, in both languages,
from the kiosk too; the folding itself is checked on its own under Node."""

from __future__ import annotations

import json
import re
import shutil
import subprocess

import pytest

from conftest import ROOT

FOLD_JS = ROOT / "docs" / "assets" / "javascripts" / "lunr" / "min" / "lunr.vi.min.js"

# query → the guides that may come first (the wizard's own guide for that answer, or both
# guides of a plan that cover it); each query is also tried with its diacritics and in Telex.
VI_QUERIES = {
    ("quen mat khau", "quên mật khẩu", "queen maatj khaaur"): {"forgot-password"},
    ("mat dien", "mất điện", "maats ddieenj"): {"outage-with-papers", "outage-no-papers"},
    ("khong co giay to", "không có giấy tờ", "khoong cos giaays towf"): {"no-id-papers"},
    ("nguoi khuyet tat", "người khuyết tật", "nguwowif khuyeets taatj"): {"disability"},
}
# the theme's search does not stem: "disabilities" finds "disabilities", not "disability"
EN_QUERIES = {
    ("forgotten password", "forgot password"): {"forgot-password"},
    ("power down",): {"outage-with-papers", "outage-no-papers"},
    ("identity papers",): {"no-id-papers"},
    ("disabilities",): {"disability"},
}


def results(page, base: str, query: str) -> list[str]:
    """The result links, in order, for ``query`` typed into the search box of ``base``."""
    page.goto(base)
    page.click(".md-search__input")
    page.keyboard.type(query)  # typed: the theme searches on key events
    page.wait_for_selector(".md-search-result__item", timeout=20_000)
    return page.eval_on_selector_all(".md-search-result__item > .md-search-result__link",
                                     "els => els.map(e => e.getAttribute('href'))")


def first_guide(links: list[str], prefix: str) -> str | None:
    match = re.search(rf"^https?://[^/]+{re.escape(prefix)}guides/([a-z0-9-]+)/", links[0]) if links else None
    return match.group(1) if match else None


@pytest.mark.browser
@pytest.mark.parametrize("lang,queries", [("vi", VI_QUERIES), ("en", EN_QUERIES)])
def test_search_puts_the_right_guide_first(browser, server, model, lang, queries):
    prefix = "/" if lang == model.reference else f"/{lang}/"
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    wrong = {}
    for forms, expected in queries.items():
        assert expected <= set(model.situations), expected  # the expectations name real guides
        for query in forms:
            links = results(page, server + prefix, query)
            if first_guide(links, prefix) not in expected:
                wrong[query] = links[:3]
    context.close()
    assert wrong == {}


@pytest.mark.browser
def test_search_from_a_page_opened_at_the_kiosk_stays_in_the_kiosk(browser, server):
    context = browser.new_context(viewport={"width": 1280, "height": 1024})
    page = context.new_page()
    links = results(page, server + "/guides/elderly-mobility/?kiosk", "mat dien")
    assert links
    page.click(".md-search-result__item > .md-search-result__link >> nth=0")
    page.wait_for_url(re.compile(r"/guides/outage-[a-z-]+/\?kiosk"))
    assert page.locator(".hb-kiosk-home").is_visible()  # the way back, and the idle reset
    context.close()


@pytest.mark.skipif(shutil.which("node") is None, reason="Node.js is not installed")
def test_folding_and_telex_under_node():
    """The same file the search worker loads, run with a stand-in for lunr."""
    harness = """
const fs = require("fs");
const lunr = { Pipeline: { registerFunction() {} }, trimmerSupport: { generateTrimmer: () => (t) => t },
               Query: function () {}, Builder: function () {} };
lunr.Query.prototype.clause = function (spec) { this.spec = spec; return this; };
globalThis.self = { lunr };
eval(fs.readFileSync(process.argv[1], "utf8"));
const words = JSON.parse(process.argv[2]);
const q = new lunr.Query();
const before = words.map((w) => [lunr.vi.searchable(w), q.clause({ term: w }).spec.term]);
lunr.vi.setVocabulary(JSON.parse(process.argv[3]));  // as once the index is built
console.log(JSON.stringify([before, words.map((w) => lunr.vi.searchable(w))]));
"""
    cases = {
        "Quên*": "quen*", "mật": "mat", "ĐIỆN": "dien", "khẩu*": "khau*",  # diacritics folded
        "quen": "quen", "giay": "giay", "nguoi": "nguoi",  # plain syllables stay
        "queen": "quen", "maatj": "mat", "ddieenj": "dien", "khaaur": "khau",  # Telex read
        "nguwowif": "nguoi", "nguowif": "nguoi", "giaays": "giay", "tatj": "tat",
        "password": "password", "vneid": "vneid", "papers": "papers", "forgot": "forgot",  # not Telex
    }
    # with the index's vocabulary, Telex is read only where the letters as typed find nothing
    vocabulary = ["mat", "power", "poe", "quen", "queen", "dien"]
    with_vocabulary = {"maatj": "mat", "power*": "power*", "powe*": "powe*", "queen": "queen",
                       "ddieenj*": "dien*", "khaaur": "khaaur"}
    words = [*cases, *with_vocabulary]
    out = subprocess.run(["node", "-e", harness, str(FOLD_JS), json.dumps(words), json.dumps(vocabulary)],
                         capture_output=True, text=True, timeout=60, check=True)
    before, after = json.loads(out.stdout)
    assert {w: g[0] for w, g in zip(cases, before)} == cases
    assert [g[1] for g in before][: len(cases)] == list(cases.values())  # every query clause is folded
    assert dict(zip(with_vocabulary, after[len(cases):])) == with_vocabulary

"""Search finds Vietnamese typed without diacritics or with Telex leftovers, in both languages,
from the kiosk too; the folding itself is checked on its own under Node."""

from __future__ import annotations

import json
import re
import shutil
import subprocess

import pytest

from conftest import ROOT, open_search, search_for, search_on
from handbook import search_index

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


# The words people say (content/lexicon.toml), typed as a person at the counter types them: no
# diacritics, abbreviations, everyday words. query → (the pages that count, how high the first of
# them must come: 1 = first). A page is "guides/ID/" or "glossary/#TERM".
OUTAGE = ("guides/outage-with-papers/", "guides/outage-no-papers/")
DISABILITY = ("guides/disability/",)
VI_EVERYDAY = {
    "nguoi gia": (("guides/elderly-mobility/",), 1),  # not the pages about "giấy tờ"
    "người già": (("guides/elderly-mobility/",), 1),
    "cu gia": (("guides/elderly-mobility/",), 1),
    "diec": (DISABILITY, 3),
    "điếc": (DISABILITY, 3),
    "cam": (DISABILITY, 3),
    "mu": (DISABILITY, 3),
    "khiem thinh": (DISABILITY, 3),
    "khiem thi": (DISABILITY, 3),
    "xe lan": (DISABILITY, 3),
    "liet": (DISABILITY, 3),
    "cup dien": (OUTAGE, 1),
    "mat mang": (OUTAGE, 1),
    "mat wifi": (OUTAGE, 1),
    "mat can cuoc": (("guides/no-id-papers/",), 3),
    "khong co cccd": (("guides/no-id-papers/",), 3),
    "cmnd": (("guides/no-id-papers/",), 3),
    "khong co the ngan hang": (("guides/no-bank-account/",), 1),
    "the atm": (("guides/no-bank-account/",), 1),
    "quen pass vneid": (("guides/forgot-password/",), 1),
    "mat khau vneid": (("guides/forgot-password/",), 1),
    "khong biet chu": (("guides/cannot-read/",), 1),
    "mu chu": (("guides/cannot-read/",), 3),
    "khong biet tieng kinh": (("guides/cannot-read/",), 3),
    "dan toc": (("guides/cannot-read/",), 3),
    "mang cham": (("guides/system-slow/",), 1),
    "buc xuc": (("guides/upset-citizen/",), 1),
    "sap nhap": (("guides/merger-questions/",), 1),
    "cap cuu": (("guides/outage-no-papers/",), 3),
    "lam ho": (("guides/full-service/",), 3),
    "dinh danh dien tu": (("glossary/#vneid",), 3),
    "phieu hen": (("glossary/#giay-hen",), 3),
}
EN_EVERYDAY = {
    "old people": (("guides/elderly-mobility/",), 1),
    "deaf": (DISABILITY, 3),
    "blind": (DISABILITY, 3),
    "wheelchair": (DISABILITY, 3),
    "power cut": (OUTAGE, 1),
    "ID card": (("guides/no-id-papers/",), 3),
    "ATM card": (("guides/no-bank-account/",), 1),
}


def result_pages(page, base: str, query: str) -> list[list[str]]:
    """Each result of ``query`` typed into the search box of ``base``, in order: the links it
    shows (its page, then its best sections), relative to ``base``."""
    search_on(page, base)
    search_for(page, query)
    items = page.eval_on_selector_all(
        ".md-search-result__item",
        "items => items.map(li => [...li.querySelectorAll(':scope > .md-search-result__link')]"
        ".map(a => a.href))")
    return [[re.sub(rf"^{re.escape(base)}", "", href) for href in links] for links in items]


def rank(results: list[list[str]], wanted: tuple[str, ...]) -> int | None:
    """The position (1-based) of the first result that is one of the pages ``wanted``."""
    for n, links in enumerate(results, 1):
        if any(link in wanted for link in links[:1]) or any(
                link in wanted for link in links if "#" in link and link.startswith("glossary/")):
            return n
    return None


@pytest.mark.browser
@pytest.mark.parametrize("lang,queries", [("vi", VI_EVERYDAY), ("en", EN_EVERYDAY)])
def test_search_knows_the_words_people_say(browser, server, model, lang, queries):
    prefix = "/" if lang == model.reference else f"/{lang}/"
    guides = {f"guides/{sid}/" for sid in model.situations} | {f"glossary/#{tid}" for tid in model.glossary}
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    wrong = {}
    for query, (wanted, at_most) in queries.items():
        assert set(wanted) <= guides, wanted  # the expectations name real pages
        found = result_pages(page, server + prefix, query)
        position = rank(found, wanted)
        if position is None or position > at_most:
            wrong[query] = (position, [links[0] for links in found[:3]])
    context.close()
    assert wrong == {}


@pytest.mark.browser
def test_results_show_no_struck_through_list_of_missing_words(browser, server):
    """The theme adds under a result the query's words it lacks, struck through ("Không:
    ~~nguoi~~ ~~duoc~~"): not reading text, and wrong for folded words."""
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    result_pages(page, server + "/", "nguoi duoc")
    assert page.locator(".md-search-result__terms").count() > 0  # the theme still writes them
    assert page.eval_on_selector_all(".md-search-result__terms",
                                     "els => els.filter(e => e.getClientRects().length).length") == 0
    context.close()


def test_the_search_index_holds_reading_text_only(site, model):
    """No print-only text (the printed date, "scan the code" and its address), no control
    (listen buttons, navigation), no status message, no Markdown left over; and every guide
    and term with words in the lexicon has them, in the index only."""
    index = search_index.read(site)
    not_reading = {lang: [model.t(lang, "ui", key) for key in ("print_scan", "wizard_printed_on", "listen",
                                                              "listen_all", "wizard_loading", "kiosk_start")]
                   for lang in model.languages}
    found = []
    for doc in index["docs"]:
        lang = doc["location"].split("/", 1)[0] if doc["location"].split("/", 1)[0] in model.languages else model.reference
        text = re.sub(r"<[^>]+>", " ", doc["text"])
        for phrase in not_reading[lang]:
            if re.search(rf"(?<!\w){re.escape(phrase)}(?!\w)", text):
                found.append((doc["location"], phrase))
        if "127.0.0.1" in text or re.search(r"\{:|\}\{", text):
            found.append((doc["location"], text[:80]))
    assert found == []
    assert index["config"]["fields"]["words"]["boost"] > index["config"]["fields"]["text"]["boost"]
    with_words = {doc["location"]: doc["words"] for doc in index["docs"] if "words" in doc}
    assert "người già" in with_words["guides/elderly-mobility/"]
    assert "deaf" in with_words["en/guides/disability/"]
    assert "VNeID" in with_words["glossary/#vneid"]
    page = (site / "guides" / "elderly-mobility" / "index.html").read_text(encoding="utf-8")
    assert "cụ già" not in page and "data-search-exclude" not in page  # the index's, not the page's


def test_pages_fetch_only_the_configuration_of_the_index(site):
    """The theme's script fetches search/search_index.json on every page: it holds the
    configuration only; the entries are in the file the handbook's search worker asks for."""
    stub = json.loads((site / search_index.INDEX).read_text(encoding="utf-8"))
    full = search_index.read(site)
    assert stub == {"config": full["config"], "docs": []} and len(full["docs"]) > 100


@pytest.mark.browser
def test_the_index_is_loaded_only_when_a_person_starts_to_search(browser, server, model):
    """Opening a page costs no index and no search engine (issue 21: pages <= 100 KB); focusing
    the search box loads the theme's worker and the index."""
    for lang in model.languages:
        prefix = "/" if lang == model.reference else f"/{lang}/"
        context = browser.new_context(viewport={"width": 1280, "height": 800}, service_workers="block")
        page = context.new_page()
        asked: list[str] = []
        context.on("request", lambda request: asked.append(request.url))
        page.goto(server + prefix + "guides/", wait_until="networkidle")
        page.wait_for_timeout(500)
        config = json.loads(page.inner_text("#__config"))
        assert "/workers/handbook-search.js#" in config["search"]  # the theme's worker was found and replaced
        loaded = lambda: {re.sub(r"^.*/", "", url) for url in asked if "/search/" in url or "/workers/" in url}
        assert loaded() == {"search_index.json", "handbook-search.js"}, loaded()
        open_search(page)
        files = loaded()
        assert search_index.FULL.rsplit("/", 1)[1] in files
        assert any(name.startswith("search.") and name.endswith(".min.js") for name in files)  # the theme's worker
        page.keyboard.type("a")
        page.wait_for_selector(".md-search-result__item", timeout=20_000)
        context.close()


def results(page, base: str, query: str) -> list[str]:
    """The result links, in order, for ``query`` typed into the search box of ``base``."""
    search_on(page, base)
    search_for(page, query)  # typed: the theme searches on key events
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
def test_a_page_opened_at_the_kiosk_offers_no_search(browser, server):
    """A guide opened at the kiosk is a citizen's view (issue 21): no search box, which needs
    typing, and the big way back to the kiosk instead."""
    context = browser.new_context(viewport={"width": 1280, "height": 1024})
    page = context.new_page()
    page.goto(server + "/guides/elderly-mobility/?kiosk")
    page.wait_for_selector(".hb-kiosk-home", state="visible")
    assert not page.locator(".md-search__input").is_visible()
    assert not page.locator('label[for="__search"]').first.is_visible()
    assert page.get_attribute(".hb-kiosk-home", "href").rstrip("/").endswith("/kiosk")
    # the same page outside the kiosk has its search
    page.goto(server + "/guides/elderly-mobility/")
    assert page.locator('label[for="__search"]').first.is_visible() or page.locator(".md-search__input").is_visible()
    context.close()


@pytest.mark.skipif(shutil.which("node") is None, reason="Node.js is not installed")
def test_folding_and_telex_under_node():
    """The same file the search worker loads, run with a stand-in for lunr."""
    harness = """
const fs = require("fs");
const lunr = { Pipeline: { registerFunction() {} }, trimmerSupport: { generateTrimmer: () => (t) => t },
               Query: function () {}, Builder: function () {} };
lunr.Query.prototype.clause = function (spec) { this.spec = spec; (this.all = this.all || []).push(spec); return this; };
globalThis.self = { lunr };
eval(fs.readFileSync(process.argv[1], "utf8"));
const words = JSON.parse(process.argv[2]);
const q = new lunr.Query();
const before = words.map((w) => [lunr.vi.searchable(w), q.clause({ term: w }).spec.term]);
lunr.vi.setVocabulary(JSON.parse(process.argv[3]));  // as once the index is built
const exact = JSON.parse(process.argv[4]).map((w) => {  // the clauses a prefix query makes
  const query = new lunr.Query();
  query.clause({ term: w });
  return query.all.map((c) => [c.term, c.boost || 1]);
});
console.log(JSON.stringify([before, words.map((w) => lunr.vi.searchable(w)), exact]));
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
    # a word in the index as typed is asked for once more, whole, and counts more than the longer
    # words its prefix finds ("gia" = già before "giay" = giấy); not a word the index lacks
    prefix_queries = {"quen*": [["quen*", 1], ["quen", 10]], "dien*": [["dien*", 1], ["dien", 10]],
                      "maatj*": [["mat*", 1], ["mat", 10]], "khau*": [["khau*", 1]], "mat": [["mat", 1]]}
    words = [*cases, *with_vocabulary]
    out = subprocess.run(["node", "-e", harness, str(FOLD_JS), json.dumps(words), json.dumps(vocabulary),
                          json.dumps(list(prefix_queries))], capture_output=True, text=True, timeout=60, check=True)
    before, after, exact = json.loads(out.stdout)
    assert dict(zip(prefix_queries, exact)) == prefix_queries
    assert {w: g[0] for w, g in zip(cases, before)} == cases
    assert [g[1] for g in before][: len(cases)] == list(cases.values())  # every query clause is folded
    assert dict(zip(with_vocabulary, after[len(cases):])) == with_vocabulary

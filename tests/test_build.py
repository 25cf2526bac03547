"""The built site: every page in every language, citations that land on a real anchor,
and nothing loaded from another origin."""

from __future__ import annotations

import gzip
import html
import urllib.error
import urllib.request
import re

from conftest import ROOT
import pytest

from htmltools import all_pages, read_page, resolve, target_file

# Elements and attributes that make a browser fetch something.
RESOURCE_ATTRS = {
    "script": ["src"], "img": ["src", "srcset"], "source": ["src", "srcset"], "iframe": ["src"],
    "video": ["src", "poster"], "audio": ["src"], "track": ["src"], "embed": ["src"],
    "object": ["data"], "form": ["action"], "input": ["src"],
}
FETCHING_LINK_RELS = {"stylesheet", "preload", "modulepreload", "prefetch", "icon", "manifest",
                      "apple-touch-icon", "preconnect", "dns-prefetch"}
OFF_ORIGIN = re.compile(r"^\s*(https?:)?//", re.I)


@pytest.fixture(scope="module")
def pages(site):
    return all_pages(site)


def lang_root(model, lang):
    return "" if lang == model.reference else f"{lang}/"


def test_every_page_exists_in_every_language(site, model):
    for lang in model.languages:
        root = site / lang_root(model, lang)
        expected = ["", "guides/", "plans/", "glossary/", "contacts/", "wizard/", "wizard/rules/"]
        expected += [f"guides/{sid}/" for sid in model.situations]
        expected += [f"plans/{pid}/" for pid in model.plans]
        missing = [p for p in expected if not (root / p / "index.html").is_file()]
        assert not missing, f"{lang}: missing {missing}"


def test_pages_declare_their_language(site, model, pages):
    for page in pages:
        if page.path.name == "404.html":
            continue
        lang = "en" if page.url.startswith("/en/") else model.reference
        (html_el,) = page.find("html")
        assert html_el.attrs.get("lang") == lang, page.url


def test_translated_pages_say_the_vietnamese_is_authoritative(site, model, pages):
    for page in pages:
        if not page.url.startswith("/en/") or page.path.name == "404.html":  # the 404 page: below
            continue
        notes = page.with_class("hb-translation")
        assert len(notes) == 1, f"{page.url} lacks the translation notice"
        (link,) = [el for el in page.find("a") if el.attrs.get("hreflang") == model.reference
                   and el.attrs.get("lang") == model.reference and "href" in el.attrs][:1]
        path, _ = resolve(page, link.attrs["href"])
        assert path == page.url[len("/en"):], f"{page.url}: notice links to {path}"


def test_the_404_page_speaks_the_language_of_its_folder(site, model):
    """A missing page under / says so in Vietnamese, under /en/ in English (each build of a
    language renders the theme's 404.html to the root; the last used to win, in English)."""
    import serve

    for lang in model.languages:
        path = site / lang_root(model, lang) / "404.html"
        text = path.read_text(encoding="utf-8")
        assert f'<html lang="{lang}"' in text, path
        assert html.escape(model.t(lang, "ui", "not_found_title"), quote=False) in text, path
    httpd = serve.start(site)
    base = f"http://127.0.0.1:{httpd.server_address[1]}"
    try:
        for where, lang in (("/no/such/page/", model.reference), ("/en/no/such/page/", "en"), ("/..%2f/x", model.reference)):
            try:
                urllib.request.urlopen(base + where, timeout=10)
            except urllib.error.HTTPError as error:
                assert error.code == 404
                assert f'<html lang="{lang}"' in error.read().decode("utf-8"), where
            else:
                raise AssertionError(f"{where} was found")
    finally:
        httpd.shutdown()


def test_language_switcher_leads_to_the_same_page(site, model, pages):
    for page in pages:
        if page.path.name == "404.html":
            continue
        switch = [el for el in page.find("a") if "hreflang" in el.attrs
                  and "md-select__link" in el.attrs.get("class", "")]
        assert {el.attrs["hreflang"] for el in switch} == set(model.languages), page.url
        same = page.url[len("/en"):] if page.url.startswith("/en/") else page.url
        for el in switch:
            path, _ = resolve(page, el.attrs["href"])
            expected = same if el.attrs["hreflang"] == model.reference else f"/en{same}"
            assert path == expected, f"{page.url}: switch to {el.attrs['hreflang']} goes to {path}"


def test_every_citation_links_to_an_existing_anchor(site, model, pages):
    ids_by_file = {}
    checked = 0
    for page in pages:
        for el in page.with_class("hb-cite"):
            cite = el.attrs.get("data-cite", "")
            plan, _, section = cite.partition(":")
            assert plan in model.plans and section in model.plans[plan].sections, (page.url, cite)
            path, fragment = resolve(page, el.attrs["href"])
            lang_prefix = "/en" if page.url.startswith("/en/") else ""
            assert path == f"{lang_prefix}/plans/{plan}/", (page.url, el.attrs["href"])
            assert fragment == "s-" + section.replace(".", "-"), (page.url, cite, fragment)
            file = target_file(site, path)
            if file not in ids_by_file:
                ids_by_file[file] = read_page(site, file).ids
            assert fragment in ids_by_file[file], f"{page.url}: #{fragment} not in {path}"
            checked += 1
    assert checked > 200, f"only {checked} citations found: is the guide template citing?"


def test_every_guide_cites_every_source_of_its_steps(site, model):
    for lang in model.languages:
        for situation in model.situations.values():
            page = read_page(site, site / lang_root(model, lang) / "guides" / situation.id / "index.html")
            shown = {el.attrs["data-cite"] for el in page.with_class("hb-cite")}
            needed = {str(c) for iid in situation.checklist for c in model.items[iid].cites}
            needed.add(str(situation.citation))
            assert needed <= shown, f"{lang} {situation.id}: missing {needed - shown}"
            # every checklist item and every step is on the page
            steps = [el.attrs["data-item"] for el in page.elements if "data-item" in el.attrs]
            assert steps == list(situation.steps), (lang, situation.id)
            checks = [el.attrs["data-check"] for el in page.with_class("hb-check")]
            assert checks == [i.id for i in model.items_of(situation)], (lang, situation.id)
            assert len(page.find("input", type="checkbox")) >= len(checks)


def test_plan_sections_are_anchors_in_both_languages(site, model):
    for lang in model.languages:
        for plan in model.plans.values():
            page = read_page(site, site / lang_root(model, lang) / "plans" / plan.id / "index.html")
            sections = {el.attrs["data-section"]: el.attrs.get("id") for el in page.elements
                        if "data-section" in el.attrs}
            assert list(sections) == plan.sections, (lang, plan.id)
            assert all(sections[s] == "s-" + s.replace(".", "-") for s in sections)


def test_no_page_references_another_origin(site, pages):
    offenders = []
    for page in pages:
        for el in page.elements:
            attrs = list(RESOURCE_ATTRS.get(el.tag, []))
            if el.tag == "link" and set(el.attrs.get("rel", "").split()) & FETCHING_LINK_RELS:
                attrs.append("href")
            if el.tag == "a":  # the handbook works offline: links stay on the site
                href = el.attrs.get("href", "")
                if OFF_ORIGIN.match(href):
                    offenders.append((page.url, "a", href))
            for attr in attrs:
                for value in re.split(r",\s*", el.attrs.get(attr, "")):
                    if OFF_ORIGIN.match(value):
                        offenders.append((page.url, el.tag, value))
            style = el.attrs.get("style", "")
            if re.search(r"url\(\s*['\"]?\s*(https?:)?//", style):
                offenders.append((page.url, el.tag, style))
    for css in site.rglob("*.css"):
        text = css.read_text(encoding="utf-8")
        for match in re.finditer(r"(?:url\(\s*['\"]?|@import\s+['\"])\s*((?:https?:)?//[^'\")\s]+)", text):
            offenders.append((css.relative_to(site).as_posix(), "css", match.group(1)))
    assert not offenders, offenders


def test_no_google_fonts_or_cdn(site):
    for path in site.rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        assert "fonts.googleapis" not in text and "fonts.gstatic" not in text, path
        assert "cdn.jsdelivr" not in text and "unpkg.com" not in text, path


def test_contacts_say_where_to_ask_instead_of_inventing(site, model):
    for lang in model.languages:
        page = read_page(site, site / lang_root(model, lang) / "contacts" / "index.html")
        for commune in model.communes.values():
            for fact in ("address", "hotline", "hours"):
                cells = [el for el in page.find("dd", data_field=fact)]
                assert len(cells) == len(model.communes), (lang, fact)
                if not getattr(commune, fact):
                    assert any("hb-missing" in c.attrs.get("class", "") for c in cells)
        assert not page.find("a", href=True) or not any(
            el.attrs.get("href", "").startswith("tel:") for el in page.find("a")
        ), "no phone number is known, so none may be linked"


def test_the_site_ships_the_engine_and_the_rules_of_the_content(site, model):
    import json

    from wizard.data import export

    bundle = json.loads((site / "assets" / "wizard" / "engine.json").read_text(encoding="utf-8"))
    assert bundle["data"] == json.loads(json.dumps(export(model)))
    for name, source in bundle["files"].items():
        assert (ROOT / name).read_text(encoding="utf-8") == source, name
    for name in ("pyodide.mjs", "pyodide.asm.wasm"):
        assert (site / "assets" / "pyodide" / name).is_file(), name
    import zipfile

    listed = [line for line in (ROOT / "wizard" / "stdlib.txt").read_text().splitlines()
              if line and not line.startswith("#")]
    with zipfile.ZipFile(site / "assets" / "wizard" / "stdlib.zip") as shipped:
        # compiled to bytecode by the build: no module is compiled in the browser
        assert shipped.namelist() == [re.sub(r"\.py$", ".pyc", name) for name in listed]
    assert not (site / "assets" / "pyodide" / "python_stdlib.zip").exists(), "ship the trimmed one only"


def test_the_rules_page_shows_every_rule_with_its_sources(site, model):
    for lang in model.languages:
        page = read_page(site, site / lang_root(model, lang) / "wizard" / "rules" / "index.html")
        rules = [el.attrs["data-rule"] for el in page.elements if "data-rule" in el.attrs]
        assert sorted(rules) == sorted(r.id for r in model.wizard.rules), lang
        shown = {el.attrs["data-cite"] for el in page.with_class("hb-cite")}
        needed = {str(c) for r in model.wizard.rules for c in r.cites}
        needed |= {str(c) for p in model.wizard.paths for c in p.cites}
        assert needed <= shown, (lang, needed - shown)


def test_the_rules_page_says_the_order_of_a_visit_is_the_handbooks(site, model):
    """A stage with moments (care steps) shows them, in order, as the handbook's reading."""
    import html as html_module

    staged = [stage for stage in model.procedure.stages if stage.moments]
    assert staged, "the care steps have an order of their own"
    for lang in model.languages:
        text = (site / lang_root(model, lang) / "wizard" / "rules" / "index.html").read_text(encoding="utf-8")
        for stage in staged:
            shown = re.search(r'<p class="hb-moments">(.*?)</p>', text[text.index(f'id="stage-{stage.id}"'):], re.S)
            assert shown, (lang, stage.id)
            said = html_module.unescape(re.sub(r"<[^>]+>", "", shown.group(1)))
            labels = [html_module.unescape(model.t(lang, "items", iid, "short")) for m in stage.moments for iid in m]
            places = [said.find(label) for label in labels]
            assert -1 not in places and places == sorted(places), (lang, stage.id, labels)
            assert f"({len(stage.moments)})" in said


def test_only_the_wizard_page_loads_the_engine(site, pages):
    for page in pages:
        scripts = [el.attrs.get("src", "") for el in page.find("script")]
        loads = any("assets/wizard/wizard.js" in src for src in scripts)
        assert loads == page.url.rstrip("/").endswith(("/wizard", "/kiosk")), page.url


def test_every_page_has_a_strict_content_security_policy(site, pages):
    import base64
    import hashlib

    for page in pages:
        html = page.path.read_text(encoding="utf-8")
        head = html[html.index("<head>"):]
        first = re.match(r"<head>\s*(<meta[^>]*>)", head)
        assert first and 'http-equiv="Content-Security-Policy"' in first.group(1), page.url
        policy = re.search(r'content="([^"]*)"', first.group(1)).group(1)
        directives = {d.split()[0]: d.split()[1:] for d in policy.split("; ")}
        assert directives["default-src"] == ["'self'"], page.url
        script = directives["script-src"]
        assert "'unsafe-eval'" not in script and "'unsafe-inline'" not in script, page.url
        # no page compiles WebAssembly: the wizard's engine does, in its worker (handbook/headers.py)
        assert "'wasm-unsafe-eval'" not in script, page.url
        for match in re.finditer(r"<script(?P<attrs>[^>]*)>(?P<body>.*?)</script>", html, re.S):
            if "src=" in match.group("attrs") or "application/json" in match.group("attrs"):
                continue
            digest = base64.b64encode(hashlib.sha256(match.group("body").encode()).digest()).decode()
            assert f"'sha256-{digest}'" in script, (page.url, match.group("body")[:80])


def test_every_precompressed_file_is_its_source(site):
    """The .br and .gz files servers send instead must hold the finished file: written before
    the last step of the build (i18n rewrites the search index at the very end), a stale copy
    served search over one language only."""
    import brotli

    stale = []
    for packed in sorted([*site.rglob("*.br"), *site.rglob("*.gz")]):
        source = packed.with_suffix("")
        data = brotli.decompress(packed.read_bytes()) if packed.suffix == ".br" \
            else gzip.decompress(packed.read_bytes())
        if data != source.read_bytes():
            stale.append(packed.relative_to(site).as_posix())
    assert stale == []


def test_glossary_terms_show_their_meaning_wherever_they_appear(site, model, pages):
    """Every glossary term written in a page's text is an <abbr> whose title is its meaning."""
    for lang in model.languages:
        prefix = "/" if lang == model.reference else f"/{lang}/"
        mine = [p for p in pages if p.url.startswith(prefix) and (lang != model.reference or not any(
            p.url.startswith(f"/{other}/") for other in model.languages))]
        found = {}
        for page in mine:
            for el in page.find("abbr"):
                found.setdefault(el.attrs.get("title"), set()).add(page.url)
        for tid in model.glossary:
            word = model.t(lang, "glossary", tid, "abbr")
            meaning = " ".join(model.t(lang, "glossary", tid, "meaning").split())
            written = [p.url for p in mine if word in p.article_text]
            if written:
                assert meaning in found, (lang, tid)
        for core in ("tthc", "dvc", "vneid"):  # the plans use these everywhere
            assert " ".join(model.t(lang, "glossary", core, "meaning").split()) in found, (lang, core)


def test_the_rules_page_shows_every_pair_of_answers_and_how_it_is_settled(site, model):
    """The whole pairwise table: one row per pair of answers; a pair that loses or changes a
    step says why (a conflict, a fact or path with its sources, a proviso, the path's way)."""
    from wizard.data import export
    from wizard.pairs import pairs

    rows = {" ".join(r["answers"]): r for r in pairs(export(model))}
    for lang in model.languages:
        text = (site / lang_root(model, lang) / "wizard" / "rules" / "index.html").read_text(encoding="utf-8")
        table = text[text.index('<table class="hb-pairs">'):]
        table = table[:table.index("</table>")]
        shown = re.findall(r'<tr data-pair="([^"]+)" data-settled="(yes|no)"><td>.*?</td><td>(.*?)</td></tr>',
                           table, re.S)
        assert sorted(pair for pair, _, _ in shown) == sorted(rows), lang
        for pair, settled, cell in shown:
            row = rows[pair]
            assert (settled == "yes") == row["settled"], (lang, pair)
            assert cell.count("<p>") >= 1, (lang, pair)
            if row["conflicts"] or row["excluded"] or row["provisos"]:
                assert 'class="hb-cite"' in cell, (lang, pair)  # a cited rule settles it
            for by in row["excluded"]:
                label = (model.t(lang, "facts", by[5:], "label") if by.startswith("fact:")
                         else model.t(lang, "paths", by[5:], "title"))
                assert html.escape(label, quote=False) in cell or label in cell, (lang, pair, by)

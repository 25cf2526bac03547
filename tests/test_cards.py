"""Pictograms, printable guides and the A6 counter cards (PDF): sizes, real Vietnamese text in an
embedded font, and a QR code that opens the card's own guide."""

from __future__ import annotations

import math
import re
import shutil

import pytest

import pdftools
from conftest import ROOT, complete_wizard, copy_project, mkdocs_build
from handbook.cards import guide_url, site_url
from htmltools import normalise, read_page

A6_PT = (297.6, 419.5)
A4_PT = (595.3, 841.9)


@pytest.fixture(scope="module")
def cards(tmp_path_factory, browser):
    from cards import make_cards  # scripts/cards.py, the code behind `make cards`

    out = tmp_path_factory.mktemp("cards") / "cards"
    make_cards(out, browser=browser)
    return out


PUBLIC = "https://sotay.example.gov.vn/"  # a public address, as a deployment sets it


@pytest.fixture(scope="module")
def public_cards(tmp_path_factory, browser):
    """The cards of a handbook whose site_url is a public address (mkdocs.yml's, in a copy)."""
    from cards import make_cards

    project = copy_project(tmp_path_factory.mktemp("public") / "project")
    config = project / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    assert "site_url: http://127.0.0.1:8000/" in text
    config.write_text(text.replace("site_url: http://127.0.0.1:8000/", f"site_url: {PUBLIC}"), encoding="utf-8")
    out = project / "cards"
    make_cards(out, root=project, browser=browser)
    return out


def size_ok(page, expected):
    width, height = float(page.mediabox.width), float(page.mediabox.height)
    return abs(width - expected[0]) <= 1 and abs(height - expected[1]) <= 1


def decode_qr(pdf_path, page_index):
    import pypdfium2
    import zxingcpp

    document = pypdfium2.PdfDocument(str(pdf_path))
    image = document[page_index].render(scale=4).to_pil()
    return [result.text for result in zxingcpp.read_barcodes(image)]


def test_every_card_is_a6_front_and_back_with_its_title_and_qr(public_cards, model):
    from pypdf import PdfReader

    cards, base = public_cards, PUBLIC
    for lang in model.languages:
        for situation in model.situations.values():
            path = cards / lang / f"{situation.id}.pdf"
            reader = PdfReader(str(path))
            assert len(reader.pages) == 2, f"{path.name}: one card = one front page + one back page"
            assert all(size_ok(p, A6_PT) for p in reader.pages), path
            front = pdftools.text(path, page=1)
            title = pdftools.normal(model.t(lang, "situations", situation.id, "title"))
            assert title in front, f"{lang}/{situation.id}: title {title!r} not in {front[:200]!r}"
            back = pdftools.text(path, page=2)
            assert pdftools.normal(model.t(lang, "ui", "guide_checklist")) in back
            assert decode_qr(path, 1) == [guide_url(model, base, lang, situation.id)], path
            assert pdftools.normal(model.t(lang, "ui", "print_no_address")) not in back


def test_without_a_public_address_a_card_says_so_in_place_of_a_dead_code(cards, model):
    """The default site_url (http://127.0.0.1:8000/, for make serve) is no address a phone can
    open: the back says "no public address set" where the QR code goes, and has no code."""
    from handbook.cards import is_loopback

    assert is_loopback(site_url(ROOT))
    for lang in model.languages:
        for situation in model.situations.values():
            path = cards / lang / f"{situation.id}.pdf"
            back = pdftools.text(path, page=2)
            assert pdftools.normal(model.t(lang, "ui", "print_no_address")) in back, path
            assert "127.0.0.1" not in back and decode_qr(path, 1) == [], path


@pytest.mark.parametrize("url,loopback", [
    ("http://127.0.0.1:8000/", True), ("http://localhost:8000/", True), ("http://[::1]/", True),
    ("http://127.1.2.3/", True), ("http://0.0.0.0:8000/", True), ("http://app.localhost/", True),
    ("https://sotay.example.gov.vn/", False), ("http://192.168.1.20:8000/", False),
    ("https://127.0.0.1.example.vn/", False)])
def test_which_addresses_only_this_machine_can_open(url, loopback):
    from handbook.cards import is_loopback

    assert is_loopback(url) is loopback


@pytest.mark.parametrize("commune,setting", [(None, "site_url in mkdocs.yml"),
                                             ("thai-hoa", "site_url in content/communes/thai-hoa.toml")])
def test_make_cards_and_make_site_warn_of_a_loopback_address_and_still_succeed(tmp_path, commune, setting):
    """`make cards` and `make site [COMMUNE=ID]` say which setting to change, and succeed (so
    `make serve` and `make test` work with the default address)."""
    import os
    import subprocess
    import sys

    from conftest import COMMUNE_ENV, chromium_or_skip

    chromium_or_skip()
    env = {**os.environ, COMMUNE_ENV: commune or ""}
    made = subprocess.run([sys.executable, str(ROOT / "scripts" / "cards.py"), "--out", str(tmp_path / "cards")],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    built = mkdocs_build(ROOT, tmp_path / "site", commune=commune)
    for name, result in (("make cards", made), ("make site", built)):
        assert result.returncode == 0, (name, result.stderr[-2000:])
        assert "warning: the handbook's public address is http://127.0.0.1:8000/" in result.stderr, name
        assert re.search(rf"fix: set {re.escape(setting)}\b", result.stderr), (name, result.stderr[-1000:])


def test_cards_embed_one_font_family_that_writes_vietnamese(cards, model):
    from pypdf import PdfReader

    printed = sorted(cards.rglob("*.pdf"))
    assert len(printed) == len(model.languages) * (len(model.situations) + 1)
    for path in printed:  # every card and sheet: one family, whatever fonts this machine has
        assert pdftools.families(path) == {pdftools.FAMILY}, (path, pdftools.fonts(path))
    reader = PdfReader(str(cards / model.reference / "elderly-mobility.pdf"))
    embedded = []
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descendants = font.get("/DescendantFonts")
            descriptor = (descendants[0].get_object() if descendants else font).get("/FontDescriptor")
            embedded.append(descriptor is not None and any(
                key in descriptor.get_object() for key in ("/FontFile", "/FontFile2", "/FontFile3")))
    assert embedded and all(embedded)
    # Vietnamese diacritics survive as text, not as drawings, each letter whole
    text = pdftools.text(cards / model.reference / "elderly-mobility.pdf")
    assert pdftools.normal(model.t(model.reference, "situations", "elderly-mobility", "title")) in text
    assert re.search(r"[ạảãấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹđ]", text)


def test_a4_sheets_hold_four_cards_front_and_back(cards, model):
    from pypdf import PdfReader

    for lang in model.languages:
        reader = PdfReader(str(cards / lang / "sheets-a4.pdf"))
        assert len(reader.pages) == 2 * math.ceil(len(model.situations) / 4)
        assert all(size_ok(p, A4_PT) for p in reader.pages)
        first_fronts = pdftools.text(cards / lang / "sheets-a4.pdf", page=1)
        for situation in list(model.situations.values())[:4]:
            assert pdftools.normal(model.t(lang, "situations", situation.id, "title")) in first_fronts


# ---- pictograms ---------------------------------------------------------------------------


def test_every_pictogram_has_alt_text_in_every_language(model):
    for pid in model.pictograms:
        alts = [model.t(lang, "pictograms", pid, "alt") for lang in model.languages]
        assert all(a.strip() for a in alts) and len(set(alts)) == len(alts), pid


def test_every_guide_has_a_pictogram_strip(site, model):
    for lang in model.languages:
        root = site if lang == model.reference else site / lang
        for situation in model.situations.values():
            page = read_page(site, root / "guides" / situation.id / "index.html")
            panels = page.with_class("hb-strip__panel")
            assert 3 <= len(panels) <= 6, (lang, situation.id)
            pictures = [el for el in page.find("img") if "hb-pic" in el.attrs.get("class", "")
                        and el.attrs.get("data-pictogram")]
            assert len(pictures) == len(panels)
            for img in pictures:
                assert img.attrs["alt"] == model.t(lang, "pictograms", img.attrs["data-pictogram"], "alt")
                assert (site / "assets" / "pictograms" / f"{img.attrs['data-pictogram']}.svg").is_file()


def test_licences_page_lists_every_icon_file_used(site, model):
    for lang in model.languages:
        root = site if lang == model.reference else site / lang
        page = read_page(site, root / "licences" / "index.html")
        listed = {normalise(text) for text in re.findall(r'<code class="hb-icon-file"[^>]*>([^<]+)</code>',
                                                           (root / "licences" / "index.html").read_text())}
        used = {f"{s}:{n}" for p in model.pictograms.values() for s, n in p.icons}
        assert listed == used, lang
        for icon_set in model.icon_sets.values():
            assert icon_set.licence in page.article_text and icon_set.attribution in page.article_text
    shipped = {p.stem for p in (site / "assets" / "pictograms").glob("*.svg")}
    assert shipped == set(model.pictograms)


def test_the_site_lists_every_card_when_they_are_made(tmp_path, cards, model):
    project = copy_project(tmp_path / "project")
    shutil.copytree(cards, project / "build" / "cards" / "all")  # where `make site` puts them
    site_dir = tmp_path / "site"
    result = mkdocs_build(project, site_dir)
    assert result.returncode == 0, result.stderr
    for lang in model.languages:
        root = site_dir if lang == model.reference else site_dir / lang
        page = read_page(site_dir, root / "cards" / "index.html")
        links = [el.attrs["href"] for el in page.find("a") if "hb-card-link" in el.attrs.get("class", "")]
        assert len(links) == len(model.languages) * (len(model.situations) + 1)
        for href in links:
            target = (root / "cards" / href).resolve()
            assert target.is_file() and target.read_bytes()[:5] == b"%PDF-", href


def test_without_cards_the_page_says_how_to_make_them(site, model):
    from handbook.build.paths import cards_dir

    if cards_dir(None).exists():  # the cards of the default build (`make site`)
        pytest.skip("this checkout has made cards (make site); covered by the test above")
    page = read_page(site, site / "cards" / "index.html")
    assert page.with_class("hb-missing")


@pytest.mark.browser
def test_print_preview_of_a_guide(page, server, model):
    page.goto(server + "/guides/no-id-papers/")
    page.emulate_media(media="print")
    assert page.locator(".hb-check").first.is_visible()
    assert page.locator(".hb-strip__panel").first.is_visible()
    for hidden in (".md-header", ".md-sidebar--primary", ".md-footer"):
        assert not page.locator(hidden).first.is_visible(), hidden
    # the test site's address is this machine's: no code that would open nothing, but the notice
    assert page.locator(".hb-qr svg").count() == 0
    assert page.inner_text(".hb-qr--none") == model.t("vi", "ui", "print_no_address")
    assert "Ngọk Réo" in page.inner_text(".hb-print-meta__commune")
    assert re.search(r"\d", page.inner_text("[data-print-date]"))


@pytest.mark.browser
@pytest.mark.parametrize("where", ["/guides/no-id-papers/", "/en/guides/outage/", "/wizard/"])
def test_every_printout_draws_its_text_in_the_handbooks_one_font(page, server, model, tmp_path, where):
    """A guide's A4 checklist and the wizard's A4 procedure, printed as a browser prints them:
    every letter in the handbook's own font, on a machine whose system fonts lack Vietnamese."""
    page.goto(server + where)
    if where == "/wizard/":
        complete_wizard(page, who=("elderly", "hearing"), situation=("outage",))
    page.evaluate("document.fonts.ready")
    pdf = tmp_path / "print.pdf"
    page.pdf(path=str(pdf), format="A4", print_background=True)
    assert pdftools.families(pdf) == {pdftools.FAMILY}, pdftools.fonts(pdf)
    heading = pdftools.normal(page.inner_text("article h1").rstrip("¶"))
    assert heading and heading in pdftools.text(pdf)

"""The handbook's one font: self-hosted, one file a weight cut to the characters the handbook
can show (with a margin), declared where the theme cannot override it, the same bytes from the
same inputs, and a clear error when the package is missing."""

from __future__ import annotations

import html
import io
import re

import pytest

from handbook import fonts


def test_the_site_serves_its_own_font_and_declares_each_face(site):
    css = (site / fonts.STYLESHEET).read_text(encoding="utf-8")
    faces = re.findall(r"@font-face \{([^}]*)\}", css)
    urls = re.findall(r"url\(([^)]+)\)", css)
    assert len(faces) == len(urls) == len(fonts.WEIGHTS)  # regular and bold, one file each
    for face, url in zip(faces, urls):
        assert f'font-family: "{fonts.FAMILY}"' in face
        assert (site / "assets" / "stylesheets" / url).resolve().is_file(), url
        assert not url.startswith(("http:", "https:", "//")), "nothing from elsewhere"
    assert (site / fonts.SITE_DIR / "LICENSE.txt").read_text(encoding="utf-8").count("SIL Open Font License")
    # the handbook's stylesheet gives the theme's body the family, on screen and in print
    sheet = (site / "assets" / "stylesheets" / "handbook.css").read_text(encoding="utf-8")
    assert re.search(r":root, body \{\s*--md-text-font-family: \"" + fonts.FAMILY, sheet)
    page = (site / "index.html").read_text(encoding="utf-8")
    assert page.index(fonts.STYLESHEET) < page.index("assets/stylesheets/handbook.css")


def cmap(data: bytes) -> set[int]:
    from fontTools.ttLib import TTFont

    return set(TTFont(io.BytesIO(data)).getBestCmap())


def package_cmap(weight: int, names: list[str]) -> set[int]:
    """Every character the package's files of the subsets ``names`` have."""
    return set().union(*(cmap(fonts._file(name, weight).read_bytes()) for name in names))


def test_every_character_of_every_page_that_noto_has_is_in_the_font(site, model):
    """Cut to the handbook's characters, the font still draws every character any page shows that
    the package has (what it lacks falls back as before), and the margin: every Vietnamese letter."""
    shown = set()
    for path in site.rglob("*.html"):
        text = re.sub(r"<script\b.*?</script>|<style\b.*?</style>|<svg\b.*?</svg>", " ",
                      path.read_text(encoding="utf-8"), flags=re.S)
        shown |= {ord(c) for c in html.unescape(re.sub(r"<[^>]+>", " ", text)) if ord(c) >= 0x20}
    css = (site / fonts.STYLESHEET).read_text(encoding="utf-8")
    for weight, url in re.findall(r"font-weight: (\d+);[^}]*url\(([^)]+)\)", css):
        kept = cmap((site / "assets" / "stylesheets" / url).resolve().read_bytes())
        available = package_cmap(int(weight), fonts.subsets(model.strings))
        missing = sorted(f"U+{p:04X} {chr(p)}" for p in (shown | fonts.MARGIN) & available - kept)
        assert missing == [], (weight, missing)
        vietnamese = "ĂăÂâĐđÊêÔôƠơƯư" + "".join(chr(p) for p in range(0x1EA0, 0x1EFA))
        assert {ord(c) for c in vietnamese} <= kept
        assert len(kept) < len(available)  # cut: not every character of the package


def test_the_font_is_smaller_and_the_same_bytes_from_the_same_text(model):
    made = fonts.faces(model.strings)
    for weight, data in made.items():
        sources = sum(fonts._file(name, weight).stat().st_size for name in fonts.subsets(model.strings))
        assert len(data) < 0.85 * sources, (weight, len(data), sources)
        again = fonts._subset(fonts.subsets(model.strings), weight, fonts.codepoints(model.strings))
        assert again == data  # made anew (not from the cache), byte for byte
    # a letter only Latin Extended has joins that piece in, and the font keeps it
    bahnar = {**model.strings, "bdq": "Bahnar: ŏ ĕ"}
    assert "latin-ext" in fonts.subsets(bahnar) and "latin-ext" not in fonts.subsets(model.strings)
    assert {ord("ŏ"), ord("ĕ")} <= cmap(fonts.faces(bahnar)[400])


def test_a_missing_font_package_says_how_to_install_it(monkeypatch, tmp_path):
    monkeypatch.setattr(fonts, "PACKAGE", tmp_path / "node_modules" / "@fontsource" / "noto-sans")
    monkeypatch.setattr(fonts, "ROOT", tmp_path)
    with pytest.raises(fonts.FontError, match=r"make setup"):
        fonts.site_files({"vi": "Việt"})

"""The handbook's one font: self-hosted, only the subsets its text needs, declared where the
theme cannot override it, and a clear error when the package is missing."""

from __future__ import annotations

import re

import pytest

from handbook import fonts


def test_the_site_serves_its_own_font_and_declares_each_face(site):
    css = (site / fonts.STYLESHEET).read_text(encoding="utf-8")
    faces = re.findall(r"@font-face \{([^}]*)\}", css)
    urls = re.findall(r"url\(([^)]+)\)", css)
    assert len(faces) == len(urls) == 2 * len(fonts.subsets({"vi": "Việt"}))  # regular and bold
    for face, url in zip(faces, urls):
        assert f'font-family: "{fonts.FAMILY}"' in face and "unicode-range: U+" in face
        assert (site / "assets" / "stylesheets" / url).resolve().is_file(), url
        assert not url.startswith(("http:", "https:", "//")), "nothing from elsewhere"
    assert (site / fonts.SITE_DIR / "LICENSE.txt").read_text(encoding="utf-8").count("SIL Open Font License")
    # the handbook's stylesheet gives the theme's body the family, on screen and in print
    sheet = (site / "assets" / "stylesheets" / "handbook.css").read_text(encoding="utf-8")
    assert re.search(r":root, body \{\s*--md-text-font-family: \"" + fonts.FAMILY, sheet)
    page = (site / "index.html").read_text(encoding="utf-8")
    assert page.index(fonts.STYLESHEET) < page.index("assets/stylesheets/handbook.css")


def test_only_the_subsets_the_text_needs():
    assert fonts.subsets({"vi": "Trung tâm Phục vụ hành chính công — Đắk Lắk"}) == ["vietnamese", "latin"]
    assert "latin-ext" in fonts.subsets({"bdq": "Bahnar: ŏ ĕ"})  # letters only Latin Extended has
    # Vietnamese letters come from the small Vietnamese file, declared after Latin Extended
    css = fonts.face_css(lambda path: path.name, ["latin-ext", "vietnamese", "latin"])
    order = [m.group(1) for m in re.finditer(r"noto-sans-([a-z-]+)-400-normal", css)]
    assert order == ["latin-ext", "vietnamese", "latin"]


def test_a_missing_font_package_says_how_to_install_it(monkeypatch, tmp_path):
    monkeypatch.setattr(fonts, "PACKAGE", tmp_path / "node_modules" / "@fontsource" / "noto-sans")
    monkeypatch.setattr(fonts, "ROOT", tmp_path)
    with pytest.raises(fonts.FontError, match=r"make setup"):
        fonts.site_files({"vi": "Việt"})

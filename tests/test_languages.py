"""Adding a language is one strings file and one line of configuration; a partial language builds
with the Vietnamese text in place of what it lacks, visibly marked; `make i18n-report` says what."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest

from conftest import ROOT, copy_project, mkdocs_build
from handbook.model import UNTRANSLATED
from htmltools import read_page
from test_model import mutate

# A fixture, not a translation: the code is Ba Na's (ISO 639-3, which the i18n plugin's own check
# refuses), the strings are placeholders that nobody could mistake for Ba Na.
FIXTURE = """[meta]
name = "Fixture language"
partial = true

[ui]
home_title = "FIXTURE home title"
nav_guides = "FIXTURE guides"
"""
TRANSLATED = 3  # meta.name, ui.home_title, ui.nav_guides


def add_language(project, partial: bool = True):
    (project / "content" / "locales" / "bdq.toml").write_text(
        FIXTURE if partial else FIXTURE.replace("partial = true\n", ""), encoding="utf-8")
    # the one line of configuration
    mutate(project, "content/handbook.toml", 'languages = ["vi", "en"]', 'languages = ["vi", "en", "bdq"]')
    return project


@pytest.fixture(scope="module")
def fixture_site(tmp_path_factory):
    root = tmp_path_factory.mktemp("language")
    project = add_language(copy_project(root / "project"))
    result = mkdocs_build(project, root / "site")
    assert result.returncode == 0, result.stdout + result.stderr
    return project, root / "site"


def test_a_partial_language_builds_every_page_with_vietnamese_marked(fixture_site, model):
    _, site = fixture_site
    vi_pages = sorted(p.relative_to(site) for p in site.rglob("index.html") if p.relative_to(site).parts[0]
                      not in ("en", "bdq"))
    assert vi_pages and all((site / "bdq" / p).is_file() for p in vi_pages)  # every page
    home = read_page(site, site / "bdq" / "index.html")
    assert home.find("html", lang="bdq")
    assert "FIXTURE home title" in home.text  # its own words where it has them
    marked = home.with_class("hb-untranslated")
    assert marked and all(el.attrs.get("lang") == model.reference for el in marked)
    assert home.with_class("hb-untranslated-notice") and home.with_class("hb-translation")
    guide = read_page(site, site / "bdq" / "guides" / "disability" / "index.html")
    assert guide.with_class("hb-untranslated")  # the guide's title, steps and plan text
    # the marks themselves never reach a file: pages, search index, engine data
    for path in site.rglob("*"):
        if path.suffix in (".html", ".json", ".js", ".xml"):
            text = path.read_text(encoding="utf-8")
            assert not any(m in text for m in UNTRANSLATED), path
            assert "\\ue000" not in text.lower(), path


def test_the_switcher_and_the_theme_know_the_new_language(fixture_site):
    _, site = fixture_site
    html = (site / "index.html").read_text(encoding="utf-8")
    assert 'hreflang="bdq"' in html and "Fixture language" in html


def test_a_language_not_marked_partial_stops_the_build_with_the_fix(tmp_path):
    project = add_language(copy_project(tmp_path / "project"), partial=False)
    result = mkdocs_build(project, tmp_path / "site")
    output = result.stdout + result.stderr
    assert result.returncode != 0
    assert re.search(r"content/locales/bdq\.toml:\d+: missing translation ", output), output
    assert "partial = true" in output  # the fix names both ways out
    assert not (tmp_path / "site" / "index.html").exists()


def test_the_report_says_what_each_language_lacks(fixture_site, model):
    project, _ = fixture_site
    out = subprocess.run([sys.executable, "-m", "handbook.i18n_report", "--root", str(project)],
                         cwd=ROOT, capture_output=True, text=True, timeout=60, check=True).stdout
    strings, _, spoken = out.partition("\naudio (")
    lines = {line.split()[0]: line for line in strings.splitlines() if not line.startswith(" ")}
    assert set(lines) == {*model.languages, "bdq"}
    # sound: Ba Na has no voice of its own; its untranslated strings are heard in Vietnamese
    bdq = re.search(r"bdq: (\d+) spoken strings: 0 recorded, (\d+) synthetic \(no synthetic voice; "
                    r"(\d+) untranslated, in vi\), (\d+) silent", spoken)
    assert bdq, spoken
    total, synthetic, borrowed, silent = map(int, bdq.groups())
    assert synthetic == borrowed > 0 and synthetic + silent == total  # what it has in Ba Na is silent
    counts = {lang: re.search(r"(\d+)/(\d+) strings", line).groups() for lang, line in lines.items()}
    assert counts["en"][0] == counts["en"][1]  # complete
    assert int(counts["bdq"][0]) == TRANSLATED and "partial" in lines["bdq"]
    assert "content/locales/bdq.toml: ui.site_name" in out  # each missing string, by file and key

"""Any commune's handbook from its profile: only its plans, its names, its contacts, its address."""

from __future__ import annotations

import json
import re

import pytest

from conftest import ROOT, copy_project, mkdocs_build
from handbook.model import ContentError, load
from htmltools import all_pages, read_page
from wizard.data import export
from wizard.engine import Engine

FIXTURE = """# A commune made up for the tests: one plan, every fact filled in.
id = "ia-fixture"
kind = "xa"
name = "Ia Thử"
province = "Gia Lai"
address = "Thôn 1, xã Ia Thử"
hotline = "0269 3 000 111"
hours = "Thứ Hai đến Thứ Sáu, 7:00–11:30 và 13:30–17:00"
site_url = "https://sotay.ia-thu.example/"
plans = ["ngok-reo"]
"""


def cited_plans(data: dict) -> set[str]:
    """Every plan the wizard's exported rules cite."""
    cites = [c for item in data["items"].values() for c in item["cites"]]
    cites += [c for rule in data["rules"] for c in rule["cites"]]
    cites += [c for path in data["paths"] for c in path["cites"]] + data["defer"]["cites"]
    cites += [c for stage in data["stages"] for v in stage["variants"] for step in v["steps"]
              for c in step["sources"]]
    cites += [c for conflict in data["conflicts"] for c in conflict["cites"]]
    return {c.split(":", 1)[0] for c in cites}


@pytest.mark.parametrize("commune", ["ngok-reo", "thai-hoa"])
def test_a_communes_handbook_holds_its_plans_only(model, commune):
    mine = load(ROOT, commune=commune)
    plans = set(model.communes[commune].plans)
    assert set(mine.plans) == plans and mine.commune.id == commune and list(mine.communes) == [commune]
    assert {s.plan for s in mine.situations.values()} == plans
    assert set(mine.situations) == {s.id for s in model.situations.values() if s.plan in plans}
    data = export(mine)
    assert cited_plans(data) == plans
    for situation in mine.situations.values():  # checklists and cross-links stay inside
        assert set(situation.checklist) <= set(mine.items) and set(situation.related) <= set(mine.situations)
    for rule in mine.wizard.rules:
        assert rule.link is None or rule.link in mine.situations
    # every answer left still does something, and the engine takes every one of them
    engine = Engine(data)
    for question, answer in mine.wizard.answers():
        result = engine.decide(**{question: [answer]})
        assert result["path"] or result["items"], (question, answer)
        assert result["path"] is None or result["path"]["id"] in {p.id for p in mine.wizard.paths}
    every = engine.decide(**{q.id: list(q.answers) for q in mine.wizard.questions})
    assert {c.split(":")[0] for item in every["items"] for c in item["sources"]} <= plans


def test_an_unknown_commune_is_refused_with_the_fix(model):
    with pytest.raises(ContentError) as caught:
        load(ROOT, commune="nowhere")
    text = str(caught.value)
    assert "content/communes/nowhere.toml" in text and "fix:" in text
    assert all(c in text for c in model.communes)


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    """A copy of the project with one more commune: adding a commune is adding its profile."""
    project = copy_project(tmp_path_factory.mktemp("communes") / "project")
    (project / "content" / "communes" / "ia-fixture.toml").write_text(FIXTURE, encoding="utf-8")
    return project


def test_the_cards_carry_the_communes_centre_and_address(project):
    from handbook.cards import CardRenderer, site_url

    model = load(project, commune="ia-fixture")
    renderer = CardRenderer(model, model.site_url(site_url(project)))
    for lang in model.languages:
        for situation in model.situations.values():
            card = renderer.card(lang, situation)
            assert card.commune == model.centre(lang, model.commune)
            assert card.url.startswith("https://sotay.ia-thu.example/")


@pytest.fixture(scope="module")
def commune_sites(project):
    """Each real commune's handbook, and the fixture commune's, built as `make site COMMUNE=ID`."""
    root = project.parent
    sites = {}
    for commune in ("ngok-reo", "thai-hoa", "ia-fixture"):
        result = mkdocs_build(project, root / commune, commune=commune)
        assert result.returncode == 0, f"{commune}:\n{result.stdout}\n{result.stderr}"
        sites[commune] = root / commune
    return sites


@pytest.mark.parametrize("commune", ["ngok-reo", "thai-hoa", "ia-fixture"])
def test_each_commune_builds_with_its_own_names_and_plans(commune_sites, model, commune):
    site = commune_sites[commune]
    profile = model.communes.get(commune)
    name, plans = (profile.name, set(profile.plans)) if profile else ("Ia Thử", {"ngok-reo"})
    home = read_page(site, site / "index.html")
    assert name in home.text  # the site's title and the home page name the commune
    assert {p.name for p in (site / "plans").iterdir() if p.is_dir()} == plans
    assert {p.name for p in (site / "guides").iterdir() if p.is_dir()} == \
        {s.id for s in model.situations.values() if s.plan in plans}
    cited, linked = set(), set()
    for page in all_pages(site):
        cited |= {el.attrs["data-cite"].split(":")[0] for el in page.find(data_cite=True)}
        linked |= {m for el in page.find("a", href=True)
                   for m in re.findall(r"plans/([a-z0-9-]+)/", el.attrs["href"])}
    assert cited == plans and linked == plans  # its own plans, and no other
    contacts = read_page(site, site / "contacts" / "index.html")
    assert [el.attrs["id"] for el in contacts.find("h2", id=True)] == [commune]
    bundle = json.loads((site / "assets" / "wizard" / "engine.json").read_text(encoding="utf-8"))
    assert cited_plans(bundle["data"]) == plans


def test_the_profile_gives_contacts_and_the_public_address(commune_sites):
    site = commune_sites["ia-fixture"]
    contacts = read_page(site, site / "contacts" / "index.html")
    facts = {el.attrs["data-field"] for el in contacts.find("dd", data_field=True)
             if "hb-missing" not in el.attrs.get("class", "")}
    assert facts == {"address", "hotline", "hours", "province"}
    assert contacts.find("a", href="tel:02693000111")
    sitemap = (site / "sitemap.xml").read_text(encoding="utf-8")
    assert "https://sotay.ia-thu.example/guides/" in sitemap  # the site's own address, not mkdocs.yml's
    guide = (site / "guides" / "outage-with-papers" / "index.html").read_text(encoding="utf-8")
    assert "https://sotay.ia-thu.example/guides/outage-with-papers/" in guide  # the printout's QR code
    assert "Ia Thử" in read_page(site, site / "guides" / "outage-with-papers" / "index.html").text  # printout's centre


@pytest.mark.browser
def test_a_commune_without_a_default_path_shows_the_checklist_alone(browser, commune_sites):
    import serve

    httpd = serve.start(commune_sites["thai-hoa"])
    try:
        page = browser.new_page()
        page.goto(f"http://127.0.0.1:{httpd.server_address[1]}/wizard/")
        page.wait_for_selector("#hb-wizard[data-engine=ready]", timeout=60_000)
        from conftest import complete_wizard

        assert page.locator('.hb-choice[data-answer="outage"]').count() == 0  # not in its plan
        complete_wizard(page, who=[], situation=["forgot-password"])
        assert page.locator(".hb-result .hb-item").count() > 0
        # no path: no title, but the plain words that the rest is the centre's usual procedure
        assert page.get_attribute(".hb-path", "data-path") == "" and page.locator(".hb-path__title").count() == 0
        assert page.is_visible(".hb-path .hb-no-path")
        page.close()
    finally:
        httpd.shutdown()

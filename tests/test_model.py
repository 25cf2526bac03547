"""The content model: it loads, it covers the plans' citation scheme, and bad input is refused
with a message that names the file, the line and the fix."""

from __future__ import annotations

import os
import re
import shutil

import pytest

from conftest import ROOT, copy_project, mkdocs_build
from handbook.model import ContentError, load

# The citation scheme of the plans (shared/seeds/README.md): every one must exist.
SCHEME = {
    "ngok-reo": ["I", "II"]
    + [f"III.{n}{s}" for n in range(1, 8) for s in ("", ".1", ".2")]
    + ["IV"] + [f"IV.{n}" for n in range(1, 8)],
    "thai-hoa": ["1"] + [f"1.{n}" for n in range(1, 7)] + ["2"] + [f"2.{n}" for n in range(1, 5)],
}
# The 12 situations of the two plans (ngok-reo III.1–III.7; thai-hoa 1, 2.1–2.4).
SITUATION_SECTIONS = {("ngok-reo", f"III.{n}") for n in range(1, 8)} | {
    ("thai-hoa", s) for s in ("1", "2.1", "2.2", "2.3", "2.4")}


def test_every_scheme_section_exists(model):
    for plan, sections in SCHEME.items():
        missing = [s for s in sections if s not in model.plans[plan].sections]
        assert not missing, f"{plan} lacks sections {missing}"


def test_one_situation_per_plan_situation(model):
    assert {(s.plan, s.section) for s in model.situations.values()} == SITUATION_SECTIONS


def test_every_item_and_step_is_cited_and_phased(model):
    for situation in model.situations.values():
        assert situation.staff, situation.id
        for iid in situation.checklist:
            item = model.items[iid]
            assert item.cites and item.phase in model.phases
        assert set(situation.steps) <= set(situation.checklist)


def test_cross_links_are_symmetric_and_across_plans(model):
    pairs = {(s.id, o) for s in model.situations.values() for o in s.related}
    assert pairs, "some guides must be cross-linked"
    for a, b in pairs:
        assert (b, a) in pairs
        assert model.situations[a].plan != model.situations[b].plan


def test_unknown_facts_stay_empty(model):
    # The plans give no phone numbers or opening hours: nothing may be invented for them.
    for commune in model.communes.values():
        assert commune.hotline == "" and commune.hours == "", commune.id


def test_every_language_has_every_string(model):
    for lang in model.languages:
        for sid in model.situations:
            assert model.t(lang, "situations", sid, "title").strip()
        for plan in model.plans.values():
            for block in plan.blocks:
                assert model.block_text(lang, plan.id, block).strip()


# ---- bad input ------------------------------------------------------------------------
# (name, file, text to find, replacement, message that must appear, check the line?)
BAD = [
    ("malformed-toml", "content/situations.toml", 'id = "disability"', 'id = "disability',
     "not valid TOML", True),
    ("duplicate-situation-id", "content/situations.toml", 'id = "cannot-read"',
     'id = "elderly-mobility"', "duplicate situation id 'elderly-mobility'", True),
    ("duplicate-item-id", "content/checklist.toml", 'id = "stay-friendly"', 'id = "plain-words"',
     "duplicate item id 'plain-words'", True),
    ("unknown-citation-section", "content/checklist.toml", '"ngok-reo:III.5.2"', '"ngok-reo:III.9.2"',
     "section 'III.9.2', which plan 'ngok-reo' does not have", True),
    ("unknown-citation-plan", "content/glossary.toml", '"thai-hoa:2.1"', '"thai-ha:2.1"',
     "unknown plan 'thai-ha'", True),
    ("malformed-citation", "content/checklist.toml", '"thai-hoa:1.1"', '"thai-hoa 1.1"',
     "is not a citation", True),
    ("unknown-phase", "content/checklist.toml", 'phase = "payment"', 'phase = "paymnet"',
     "unknown phase 'paymnet'", True),
    ("unknown-item", "content/situations.toml", '"sign-or-write", "prioritise-file"',
     '"sign-or-writ", "prioritise-file"', "unknown checklist item 'sign-or-writ'", True),
    ("situation-section-missing", "content/situations.toml", 'staff = ["III.4.1"]',
     'staff = ["III.4.3"]', "staff 'III.4.3' is not a section of plan 'ngok-reo'", True),
    ("related-same-plan", "content/situations.toml", 'related = ["full-service"]\n\n[[situation]]\nid = "disability"',
     'related = ["disability"]\n\n[[situation]]\nid = "disability"', "is from the same plan", False),
    ("missing-translation", "content/locales/en.toml", 'title = "People with disabilities"\n', "",
     "missing translation situations.disability.title", False),
    ("missing-plan-translation", "content/locales/en.toml", '"III.5.2/2" = ', '# "III.5.2/2" = ',
     "missing translation plans.ngok-reo.blocks.III.5.2/2", False),
    ("unknown-string", "content/locales/en.toml", 'home_more = "More"',
     'home_more = "More"\nhome_mroe = "More"', "unknown string ui.home_mroe", True),
    ("unused-item", "content/situations.toml", 'checklist = ["volunteers-guide", "seat-and-water"',
     'checklist = ["seat-and-water"', "item 'volunteers-guide' is in no situation's checklist", False),
    ("commune-unknown-plan", "content/communes/thai-hoa.toml", 'plans = ["thai-hoa"]',
     'plans = ["thai-hoa", "nowhere"]', "commune plan 'nowhere' does not exist", True),
    ("commune-bad-hotline", "content/communes/thai-hoa.toml", 'hotline = ""', 'hotline = "call us"',
     "hotline 'call us' is not a phone number", True),
    ("commune-bad-site-url", "content/communes/thai-hoa.toml", 'site_url = ""', 'site_url = "sotay.gov.vn"',
     "site_url 'sotay.gov.vn' is not a web address", True),
    ("commune-no-plan", "content/communes/ngok-reo.toml", 'plans = ["ngok-reo"]', 'plans = []',
     "the commune has no plan in force", True),
    ("commune-bad-kind", "content/communes/ngok-reo.toml", 'kind = "xa"', 'kind = "huyen"',
     "commune kind 'huyen' is unknown", True),
    ("wrong-type", "content/checklist.toml", "network = false", 'network = "no"',
     "expected true or false", True),
    ("step-label-too-long", "content/locales/en.toml", 'short = "Seat and water"',
     'short = "A seat and a glass of water"', "items.seat-and-water.short has 7 words", True),
    ("wizard-unknown-answer", "content/wizard.toml", 'when = ["who:vision"]', 'when = ["who:blind"]',
     "rule 'vision': unknown answer 'who:blind'", True),
    ("wizard-unknown-path", "content/wizard.toml", 'path = "paper-first"\ndefer_network',
     'path = "paper-frist"\ndefer_network', "unknown path 'paper-frist'", True),
    ("wizard-missing-section", "content/wizard.toml", 'cites = ["ngok-reo:III.6"]',
     'cites = ["ngok-reo:III.6.3"]', "section 'III.6.3', which plan 'ngok-reo' does not have", True),
    ("wizard-phase-typo", "content/wizard.toml", 'phase = "when-back-online"',
     'phase = "when-back-onlin"', "[defer]: unknown phase 'when-back-onlin'", True),
    ("wizard-unknown-key", "content/wizard.toml", '\n[[rule]]\nid = "poor-household"',
     '\n[[rulex]]\nid = "poor-household"', "unknown key 'rulex'", True),
    # the procedure (content/procedure.toml): stages, variants, order, wording
    ("procedure-missing-section", "content/procedure.toml", 'cites = ["thai-hoa:1.3"]',
     'cites = ["thai-hoa:1.9"]', "section '1.9', which plan 'thai-hoa' does not have", True),
    ("procedure-no-variant-for-some-answers", "content/procedure.toml",
     'when = ["path:guided-online"]\n  steps = ["guide-look-up-submit"]',
     'when = ["situation:emergency"]\n  steps = ["guide-look-up-submit"]',
     "stage 'submit' has no variant for some answers", False),
    ("procedure-unknown-condition", "content/procedure.toml", 'any = ["who:hearing", "who:speech"]',
     'any = ["who:hearing", "who:speach"]', "unknown condition 'who:speach'", True),
    ("procedure-item-of-another-stage", "content/procedure.toml", 'steps = ["scan-and-submit"]',
     'steps = ["log-in-for-them"]', "item 'log-in-for-them' belongs to stage 'account'", True),
    ("procedure-step-not-cited", "content/procedure.toml",
     'cites = ["ngok-reo:III.3.2"]\n  any = ["who:mobility"]', 'cites = ["ngok-reo:III.3.1"]\n  any = ["who:mobility"]',
     "item 'wheelchair-help' cites none of the variant's sections", False),
    ("procedure-conflict-drops-all", "content/procedure.toml", 'drop = ["situation:system-slow"]',
     'drop = ["situation:system-slow", "situation:outage"]', "'drop' must name some, not all", True),
    ("procedure-dependency-cycle", "content/checklist.toml", 'id = "enter-data-later"\nphase = "when-back-online"',
     'id = "enter-data-later"\nafter = ["pay-with-unit-account"]\nphase = "when-back-online"',
     "the items' 'after' form a cycle", False),
    ("procedure-step-too-long", "content/locales/en.toml",
     'text = "When needed, explain how to apply to have lost papers reissued or replaced."',
     'text = "When needed, explain how to apply to have lost papers reissued or replaced' + ", and" * 60
     + '."', "has 73 words", True),
    # inputs that ended in a traceback, or passed silently
    ("unknown-placeholder", "content/locales/vi.toml", 'wizard_step_of = "Bước {n}/{total}:"',
     'wizard_step_of = "Bước {n}/{tong}:"', "ui.wizard_step_of: has the placeholders {n}, {tong}", True),
    ("stray-brace", "content/locales/en.toml", 'wizard_step_of = "Step {n} of {total}:"',
     'wizard_step_of = "Step {n of {total}:"', "ui.wizard_step_of: a { or } does not close", True),
    ("placeholder-only-a-commune-uses", "content/locales/vi.toml", 'site_name_commune = "{site} — {kind} {name}"',
     'site_name_commune = "{site} — {kind} {nam}"', "it takes {kind}, {name}, {site}", True),
    ("placeholder-where-none-is-filled", "content/locales/vi.toml", 'home_more = "Xem thêm"',
     'home_more = "Xem {more}"', "ui.home_more: has the placeholders {more}; it takes no placeholder", True),
    ("language-listed-twice", "content/handbook.toml", 'languages = ["vi", "en"]', 'languages = ["vi", "en", "en"]',
     "a language is listed twice", True),
    ("kiosk-idle-out-of-bounds", "content/handbook.toml", "kiosk_idle_seconds = 90",
     "kiosk_idle_seconds = 999999999", "kiosk_idle_seconds is 999999999, outside 10–3600", True),
    ("term-is-a-list", "content/locales/vi.toml", 'term = "VNeID"', 'term = ["VNeID"]',
     "translation glossary.vneid.term is empty or not text", True),
    ("situation-id-is-a-number", "content/situations.toml", 'id = "disability"', "id = 5",
     "'id' is int, expected a string", False),
    ("unknown-icon", "content/pictograms.toml", '"mdi:human-cane"', '"mdi:human-cain"',
     "set 'mdi' has no icon 'human-cain'", True),
    ("unknown-top-level-table", "content/checklist.toml", '[[item]]\nid = "emergency-first"',
     '[[itme]]\nid = "x"\n\n[[item]]\nid = "emergency-first"', "checklist.toml has an unknown key 'itme'", False),
    ("wizard-answer-without-rule", "content/wizard.toml", 'when = ["who:poor-household"]',
     'when = ["who:poor-household", "situation:outage"]', "answer 'poor-household' has no rule of its own",
     False),
]
# A mistake reported where it must be fixed, not where the fixture made it.
NAMED_FILE = {"unused-item": "content/checklist.toml"}


def mutate(root, rel, find, replace):
    """Apply one edit to a content file; return the line number where the edit landed."""
    path = root / rel
    before = path.read_text(encoding="utf-8")
    assert find in before, f"fixture text {find!r} not in {rel}"
    after = before.replace(find, replace, 1)
    path.write_text(after, encoding="utf-8")
    at = len(os.path.commonprefix([before, after]))
    return after.count("\n", 0, at) + 1


@pytest.mark.parametrize("name,rel,find,replace,message,check_line", BAD, ids=[b[0] for b in BAD])
def test_bad_input_is_refused_with_file_and_line(tmp_path, name, rel, find, replace, message,
                                                 check_line):
    shutil.copytree(ROOT / "content", tmp_path / "content")
    line = mutate(tmp_path, rel, find, replace)
    with pytest.raises(ContentError) as caught:
        load(tmp_path)
    text = str(caught.value)
    assert message in text, text
    named = NAMED_FILE.get(name, rel)
    assert re.search(rf"^{re.escape(named)}(:\d+)?: ", text, re.M), f"{named} not named in\n{text}"
    assert "fix:" in text
    if check_line:
        assert f"{rel}:{line}:" in text, f"expected {rel}:{line} in\n{text}"
    # no other problem is reported for a single mistake, except its direct consequences
    assert len(caught.value.problems) <= 2, text


def test_broken_content_stops_the_build_before_any_page(tmp_path):
    project = copy_project(tmp_path / "project")
    line = mutate(project, "content/checklist.toml", '"ngok-reo:III.6.1"', '"ngok-reo:III.6.9"')
    site_dir = tmp_path / "site"
    result = mkdocs_build(project, site_dir)
    output = result.stdout + result.stderr
    assert result.returncode != 0
    assert f"content/checklist.toml:{line}:" in output, output
    assert not any(site_dir.rglob("*.html")), "a failed build must not write pages"


def test_the_site_configuration_names_only_the_authoritative_language(tmp_path):
    project = copy_project(tmp_path / "project")
    mutate(project, "mkdocs.yml", "          build: true\n", "          build: true\n"
           "        - locale: fr\n          name: Français\n")
    result = mkdocs_build(project, tmp_path / "site")
    assert result.returncode != 0
    assert re.search(r"mkdocs.yml: the i18n plugin lists the languages .*\n *fix: list only the "
                     r"authoritative language, 'vi'", result.stdout + result.stderr)

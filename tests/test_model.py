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
    ("id-too-long", "content/situations.toml", 'id = "cannot-read"', 'id = "' + "a" * 121 + '"',
     "at most 120 characters", True),
    ("id-with-a-final-newline", "content/checklist.toml", 'id = "stay-friendly"', 'id = "stay-friendly\\n"',
     "lower-case-with-dashes", True),
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
    ("unused-item", "content/situations.toml",
     'checklist = ["paper-file-now", "backup-equipment", "skip-online-steps", "enter-data-later"]\n'
     'steps = ["paper-file-now", "backup-equipment", "skip-online-steps", "enter-data-later"]',
     'checklist = ["paper-file-now", "backup-equipment", "enter-data-later"]\n'
     'steps = ["paper-file-now", "backup-equipment", "enter-data-later"]',
     "item 'skip-online-steps' is in no situation's checklist", False),
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
    ("moment-names-no-item-of-the-stage", "content/procedure.toml", '"wheelchair-help", "volunteers-guide"',
     '"wheelchair-help", "scan-and-submit"', "moments name 'scan-and-submit', which is not an item of this stage",
     True),
    ("payment-skipped-with-nothing-later", "content/procedure.toml", '  steps = ["explain-pay-later"]',
     '  steps = []\n  announce = true', "'payment' is not skippable", False),
    # a path or a fact that excludes an item: no variant gives it while that holds
    ("fact-excluded-item-given", "content/procedure.toml",
     'any = ["who:elderly"]\n  unless = ["fact:handled-first"]\n  steps = [["volunteers-guide", "seat-and-water"]]',
     'any = ["who:elderly"]\n  steps = [["volunteers-guide", "seat-and-water"]]',
     "gives seat-and-water, which the fact 'handled-first' excludes", True),
    ("path-excluded-item-given", "content/procedure.toml",
     'when = ["path:urgent-direct"]\n  steps = ["direct-procedure"]', 'when = ["path:paper-first"]\n  steps = ["direct-procedure"]',
     "gives guide-look-up-submit, which the path 'urgent-direct' excludes", False),
    ("fact-unknown-answer", "content/wizard.toml", 'given = ["situation:forgot-password"]',
     'given = ["situation:forgot-pasword"]', "fact 'has-account': unknown answer 'situation:forgot-pasword'", True),
    ("fact-unknown-condition", "content/procedure.toml",
     'unless = ["fact:handled-first"]\n  steps = [["volunteers-guide", "seat-and-water"]]',
     'unless = ["fact:handled-frist"]\n  steps = [["volunteers-guide", "seat-and-water"]]',
     "unknown condition 'fact:handled-frist'", True),
    ("proviso-unknown-stage", "content/procedure.toml", 'start = "identify"', 'start = "identfy"',
     "proviso 'handled-here': unknown stage 'identfy'", True),
    ("slip-unless-unknown-line", "content/procedure.toml", 'unless = ["emergency"]', 'unless = ["emergncy"]',
     "slip line 'priority': unless names 'emergncy'", True),
    ("item-covers-another-stage", "content/checklist.toml", 'covers = ["direct-procedure"]',
     'covers = ["log-in-for-them"]', "covers 'log-in-for-them', which is not another item of its stage", True),
    ("care-item-in-no-moment", "content/procedure.toml", '["prioritise-file", "attentive-while-waiting"]',
     '["attentive-while-waiting"]', "prioritise-file is in no moment", False),
    ("procedure-step-too-long", "content/locales/en.toml",
     'text = "When necessary, staff may explain how to apply to have lost papers reissued or replaced."',
     'text = "When necessary, staff may explain how to apply to have lost papers reissued or replaced' + ", and" * 60
     + '."', "has 75 words", True),
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
    # every content file: broken syntax, wrong shapes, sizes, ids, and what follows from them
    ("vi-malformed", "content/locales/vi.toml", 'home_more = "Xem thêm"', 'home_more = "Xem thêm',
     "not valid TOML", True),
    ("en-malformed", "content/locales/en.toml", 'home_more = "More"', 'home_more = "More', "not valid TOML", True),
    ("ui-string-missing-from-the-authoritative-file", "content/locales/vi.toml", 'home_more = "Xem thêm"\n', "",
     "missing translation ui.home_more", False),
    ("ui-string-nothing-uses", "content/locales/vi.toml", 'home_more = "Xem thêm"',
     'home_more = "Xem thêm"\nhome_mroe = "Xem"', "unknown string ui.home_mroe", True),
    ("vi-unknown-meta-key", "content/locales/vi.toml", "[meta]\n", '[meta]\nfoo = "x"\n',
     "unknown string meta.foo", True),
    ("vi-missing-situation-title", "content/locales/vi.toml", "[situations.disability]\ntitle",
     "[situations.disability]\ntitlex", "missing translation situations.disability.title", False),
    ("en-table-misspelt", "content/locales/en.toml", "[phases]", "[phasez]",
     "missing translations in [phases]: phases.on-arrival", False),
    ("file-of-5-mb", "content/locales/en.toml", 'home_more = "More"', f'home_more = "{"x" * 5_000_000}"',
     "MB; a content file is at most 1 MB", False),
    ("plan-file-of-5-mb", "content/plans/thai-hoa.toml", 'vi = "PHƯƠNG ÁN"', f'vi = "{"PHƯƠNG ÁN " * 500_000}"',
     "a content file is at most 1 MB", False),
    ("text-far-too-long", "content/locales/vi.toml", 'term = "VNeID"', f'term = "{"VNeID " * 4000}"',
     "glossary.vneid.term is 24,000 characters long; a text is at most 10,000", True),
    ("plan-paragraph-far-too-long", "content/plans/ngok-reo.toml", 'kind = "li"\nvi = "',
     f'kind = "li"\nvi = "{"Hỗ trợ người dân. " * 700}', "characters long; a text is at most 10,000", True),
    ("commune-address-far-too-long", "content/communes/ngok-reo.toml", 'address = ""',
     f'address = "{"Thôn 1, " * 2000}"', "address is 16,000 characters long", True),
    ("stage-listed-twice", "content/procedure.toml", '[[stage]]\nid = "identify"', '[[stage]]\nid = "on-arrival"',
     "stage 'on-arrival' is listed twice", False),
    ("stage-unknown-way", "content/procedure.toml", 'id = "identify"\nway = "one"', 'id = "identify"\nway = "some"',
     "stage 'identify': way 'some' is unknown", True),
    ("procedure-malformed", "content/procedure.toml", 'id = "identify"', 'id = "identify', "not valid TOML", True),
    ("procedure-unknown-table", "content/procedure.toml", '[[slip]]\nid = "emergency"', '[[slipp]]\nid = "emergency"',
     "procedure.toml has an unknown key 'slipp'", True),
    ("slip-unknown-item", "content/procedure.toml", 'items = ["emergency-first"]', 'items = ["emergency-firs"]',
     "slip line 'emergency': unknown item 'emergency-firs'", True),
    ("plan-malformed", "content/plans/thai-hoa.toml", 'vi = "PHƯƠNG ÁN"', 'vi = "PHƯƠNG ÁN', "not valid TOML", True),
    ("plan-unknown-block-kind", "content/plans/thai-hoa.toml", 'kind = "title"\nvi = "PHƯƠNG ÁN"',
     'kind = "titel"\nvi = "PHƯƠNG ÁN"', "block kind 'titel' is unknown", True),
    ("plan-block-kind-misspelt", "content/plans/ngok-reo.toml", 'kind = "li"', 'kind = "bullet"',
     "block kind 'bullet' is unknown", True),
    ("plan-original-missing", "content/plans/thai-hoa.toml", 'original = "thai-hoa.original.txt"',
     'original = "thai-hoa.txt"', "the original text thai-hoa.txt is missing", False),
    ("plan-id-differs-from-file", "content/plans/thai-hoa.toml", 'id = "thai-hoa"', 'id = "thai-ha"',
     "plan id 'thai-ha' differs from the file name", False),
    ("pictograms-malformed", "content/pictograms.toml", 'id = "elderly"', 'id = "elderly', "not valid TOML", True),
    ("pictogram-duplicate", "content/pictograms.toml", 'id = "vision"', 'id = "elderly"',
     "pictogram id 'elderly' is a duplicate or malformed", False),
    ("pictogram-unknown-set", "content/pictograms.toml", '"mdi:human-cane"', '"mdx:human-cane"',
     "icon 'mdx:human-cane' is not SET:NAME of a listed set", True),
    ("glossary-malformed", "content/glossary.toml", 'id = "dvc"', 'id = "dvc', "not valid TOML", True),
    ("glossary-duplicate-term", "content/glossary.toml", 'id = "dvc"', 'id = "tthc"',
     "term id 'tthc' is a duplicate or malformed", False),
    ("glossary-unknown-key", "content/glossary.toml", 'id = "dvc"\nseen_in', 'id = "dvc"\nseen = []\nseen_in',
     "term 'dvc' has an unknown key 'seen'", True),
    ("language-without-strings", "content/handbook.toml", 'languages = ["vi", "en"]',
     'languages = ["vi", "en", "fr"]', "file is missing", False),
    ("no-language", "content/handbook.toml", 'languages = ["vi", "en"]', "languages = []", "no language is listed",
     True),
    ("voice-of-unlisted-language", "content/handbook.toml", 'en = "en" }', 'en = "en", bdq = "vi" }',
     "voices: 'bdq' = 'vi' is not a listed language", True),
    ("voice-with-options", "content/handbook.toml", 'vi = "vi"', 'vi = "--path=/tmp"',
     "voices: 'vi' = '--path=/tmp' is not a listed language with a speech engine voice name", True),
    ("kiosk-idle-is-text", "content/handbook.toml", "kiosk_idle_seconds = 90", 'kiosk_idle_seconds = "90"',
     "'kiosk_idle_seconds' is str, expected a whole number", True),
    ("handbook-malformed", "content/handbook.toml", "kiosk_idle_seconds = 90", "kiosk_idle_seconds = ",
     "not valid TOML", True),
    ("phases-where-they-were", "content/handbook.toml", "kiosk_idle_seconds = 90",
     'kiosk_idle_seconds = 90\nphases = ["on-arrival"]', "handbook.toml has an unknown key 'phases'", True),
    ("commune-malformed", "content/communes/ngok-reo.toml", 'name = "Ngọk Réo"', 'name = "Ngọk Réo',
     "not valid TOML", True),
    ("commune-unknown-key", "content/communes/ngok-reo.toml", 'hours = ""', 'hours = ""\nhour = "8-17"',
     "commune 'ngok-reo' has an unknown key 'hour'", True),
    ("commune-id-differs-from-file", "content/communes/ngok-reo.toml", 'id = "ngok-reo"', 'id = "ngok-rao"',
     "commune id 'ngok-rao' differs from the file name", True),
    ("situations-not-utf8", "content/situations.toml", 'id = "disability"', b'id = "disabilit\xff"',
     "not UTF-8 text", False),
    ("situations-malformed", "content/situations.toml", 'pictogram = "elderly"', 'pictogram = "elderly',
     "not valid TOML", True),
    ("situation-unknown-pictogram", "content/situations.toml", 'pictogram = "elderly"', 'pictogram = "elderlyy"',
     "situation 'elderly-mobility': unknown pictogram 'elderlyy'", True),
    ("item-cites-nothing", "content/checklist.toml", 'cites = ["ngok-reo:III.5.2"]', "cites = []",
     "cites nothing", False),
    ("checklist-malformed", "content/checklist.toml", "network = false", "network = fals", "not valid TOML", True),
    ("wizard-malformed", "content/wizard.toml", 'id = "who"', 'id = "who', "not valid TOML", True),
    ("wizard-answer-twice", "content/wizard.toml", '"speech", "mobility"', '"speech", "speech"',
     "answer 'speech' is a duplicate or malformed", True),
    ("wizard-unknown-question", "content/wizard.toml", 'id = "situation"\nanswers', 'id = "where"\nanswers',
     "question 'where' is unknown or listed twice", True),
    # the words people say (content/lexicon.toml): data, checked like the rest
    ("lexicon-malformed", "content/lexicon.toml", 'id = "elderly"', 'id = "elderly', "not valid TOML", True),
    ("lexicon-unknown-guide", "content/lexicon.toml", 'guides = ["upset-citizen"]', 'guides = ["angry-citizen"]',
     "concept 'upset-citizen': unknown guide 'angry-citizen'", True),
    ("lexicon-unknown-term", "content/lexicon.toml", 'terms = ["giay-hen"]', 'terms = ["giay-hn"]',
     "concept 'appointment-slip': unknown glossary term 'giay-hn'", True),
    ("lexicon-unknown-language", "content/lexicon.toml", 'en = ["angry"', 'fr = ["angry"',
     "concept 'upset-citizen' has an unknown key 'fr'", True),
    ("lexicon-word-of-two-concepts", "content/lexicon.toml", '"bức xúc", "nóng giận"', '"bức xúc", "người già"',
     "the word 'người già' is already a word of concept 'elderly'", True),
    ("lexicon-word-twice-without-diacritics", "content/lexicon.toml", '"ngồi xe lăn", ', '"ngồi xe lăn", "xe lan", ',
     "the vi word 'xe lan' is listed twice (as 'xe lăn')", True),
    ("lexicon-markup-in-a-word", "content/lexicon.toml", '"la hét"', '"<b>la hét</b>"',
     "'<b>la hét</b>' is not a word or a short phrase", True),
    ("lexicon-word-is-a-number", "content/lexicon.toml", 'vi = ["khẩn cấp"', "vi = [115",
     "'vi' is list, expected a list of strings", True),
    ("lexicon-concept-twice", "content/lexicon.toml", 'id = "speech"', 'id = "hearing"',
     "concept id 'hearing' is a duplicate or malformed", True),
    ("lexicon-concept-leads-nowhere", "content/lexicon.toml", 'id = "emergency"\nguides = ["outage-no-papers"]\n',
     'id = "emergency"\n', "concept 'emergency' leads to no guide and no glossary term", False),
    ("lexicon-kind-of-unknown", "content/lexicon.toml", 'id = "speech"\nguides = ["disability", "full-service"]\nkind_of = "disabled"',
     'id = "speech"\nguides = ["disability", "full-service"]\nkind_of = "disabld"',
     "concept 'speech': kind_of 'disabld' is not another concept", True),
    ("lexicon-kind-of-a-kind", "content/lexicon.toml", 'id = "disabled"\nguides = ["disability", "full-service"]\n',
     'id = "disabled"\nguides = ["disability", "full-service"]\nkind_of = "elderly"\n',
     "concept 'disabled' is a kind of 'elderly' and broader than 'hearing'", True),
]
# A mistake reported where it must be fixed, not where the fixture made it.
NAMED_FILE = {"unused-item": "content/checklist.toml", "language-without-strings": "content/locales/fr.toml"}


def mutate(root, rel, find, replace):
    """Apply one edit to a content file; return the line number where the edit landed.
    ``replace`` may be bytes (for text that is not UTF-8)."""
    path = root / rel
    before = path.read_bytes()
    find_bytes = find.encode()
    assert find_bytes in before, f"fixture text {find!r} not in {rel}"
    after = before.replace(find_bytes, replace if isinstance(replace, bytes) else replace.encode(), 1)
    path.write_bytes(after)
    at = len(os.path.commonprefix([before, after]))
    return after.count(b"\n", 0, at) + 1


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    """One buildable copy of the project; each case puts a fresh copy of content/ in it."""
    return copy_project(tmp_path_factory.mktemp("bad-input") / "project")


def test_the_table_covers_every_content_file():
    files = {p.relative_to(ROOT).as_posix() for p in (ROOT / "content").rglob("*.toml")}
    assert len(BAD) >= 60 and files <= {rel for _, rel, *_ in BAD}, files - {rel for _, rel, *_ in BAD}


@pytest.mark.parametrize("name,rel,find,replace,message,check_line", BAD, ids=[b[0] for b in BAD])
def test_bad_input_is_refused_with_file_and_line(project, tmp_path, name, rel, find, replace, message,
                                                 check_line):
    shutil.rmtree(project / "content")
    shutil.copytree(ROOT / "content", project / "content")
    line = mutate(project, rel, find, replace)
    with pytest.raises(ContentError) as caught:
        load(project)
    text = str(caught.value)
    assert message in text, text
    named = NAMED_FILE.get(name, rel)
    assert re.search(rf"^{re.escape(named)}(:\d+)?: ", text, re.M), f"{named} not named in\n{text}"
    assert "fix:" in text
    if check_line:
        assert f"{rel}:{line}:" in text, f"expected {rel}:{line} in\n{text}"
    # no other problem is reported for a single mistake, except its direct consequences
    assert len(caught.value.problems) <= 2, text

    # the build refuses it the same way, with no traceback, and leaves the last site as it was
    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text("the last good build", encoding="utf-8")
    result = mkdocs_build(project, site)
    output = result.stdout + result.stderr
    assert result.returncode != 0 and "Traceback" not in output, output[-3000:]
    assert re.search(rf"^{re.escape(named)}(:\d+)?: ", output, re.M), output[-3000:]
    assert [p.name for p in site.rglob("*")] == ["index.html"], "a refused build wrote into the site"
    assert (site / "index.html").read_text(encoding="utf-8") == "the last good build"


def test_the_lexicon_turns_words_into_concepts(model):
    """The words people say, with or without diacritics, lead to one concept each; the longest
    phrase wins; every concept leads to a guide or a term, and its guide gets its words."""
    lexicon = model.lexicon
    assert lexicon.concept_ids("Cụ già bị điếc, không có CCCD", "vi") == ["elderly", "hearing", "no-id-papers"]
    assert lexicon.concept_ids("nguoi gia khiem thinh") == ["elderly", "hearing"]
    assert lexicon.concept_ids("mù chữ", "vi") == ["cannot-read"]  # not "mù" (blind)
    assert lexicon.concept_ids("mù", "vi") == ["vision"]
    assert lexicon.concept_ids("quen pass VNeID", "vi") == ["forgot-password", "vneid"]
    assert lexicon.concept_ids("the power cut", "en") == ["outage"] and lexicon.concept_ids("power cut", "vi") == []
    assert lexicon.concept_ids("giấy tờ") == []  # a word of no concept: nothing guessed
    for concept in lexicon.concepts:
        assert concept.guides or concept.terms, concept.id
        assert concept.words_in(model.reference), concept.id
    assert "người già" in lexicon.words_of_guide("elderly-mobility", "vi")
    assert "người già" not in lexicon.words_of_guide("full-service", "vi")  # the guide about it, only
    assert "VNeID" in lexicon.words_of_term("vneid", "vi")


def test_a_commune_without_a_guide_gives_its_words_to_the_one_standing_in(model):
    thai_hoa = load(ROOT, commune="thai-hoa")  # no guide for the elderly of its own: thai-hoa 1 covers them
    assert "elderly-mobility" not in thai_hoa.situations
    assert "người già" in thai_hoa.lexicon.words_of_guide("full-service", "vi")
    assert all(set(c.guides) <= set(thai_hoa.situations) for c in thai_hoa.lexicon.concepts)
    assert thai_hoa.lexicon.concept_ids("mất điện", "vi") == ["outage"]  # words stay words


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

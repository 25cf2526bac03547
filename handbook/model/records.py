"""The content model's records: plans and their blocks, citations, items, situations, terms,
communes, the wizard, and the whole :class:`Model` (what every page is rendered from)."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .procedure import Procedure
from .base import CITATION_RE


@dataclass(frozen=True)
class Block:
    id: str  # SECTION/N, N counted within the section
    section: str
    kind: str
    vi: str
    line: int | None


@dataclass
class Plan:
    id: str
    original: Path
    blocks: list[Block]
    sections: list[str]  # citable sections, in document order
    # a commune's own plan: known plan sections it says the same as (same heading), by citation
    same_sections: dict[str, str] = field(default_factory=dict)

    def section_blocks(self, section: str) -> list[Block]:
        """The blocks of one section, without those of its subsections."""
        return [b for b in self.blocks if b.section == section]

    def parent(self, section: str) -> str | None:
        head = section.rsplit(".", 1)[0] if "." in section else None
        return head if head in self.sections else None


@dataclass(frozen=True)
class Citation:
    plan: str
    section: str

    def __str__(self) -> str:
        return f"{self.plan}:{self.section}"

    @property
    def anchor(self) -> str:
        return anchor(self.section)


@dataclass(frozen=True)
class Item:
    id: str
    phase: str  # the stage of the file it belongs to (content/procedure.toml)
    network: bool
    cites: tuple[Citation, ...]
    pictogram: str = ""
    staff_only: bool = False  # a network action staff can do after the person has gone
    after: tuple[str, ...] = ()  # actions it comes after whenever both are in one procedure
    commune: str = ""  # a commune's own action (content/communes/ID/items.toml); "": a known one
    # items of its stage that it states too, and more ("handle directly, on substitute papers"
    # says "handle directly"): with it, they are done; never said twice
    covers: tuple[str, ...] = ()
    wizard: bool = True  # (a commune's own action) false: the guide shows it, the wizard does not


@dataclass(frozen=True)
class Situation:
    id: str
    plan: str
    section: str
    staff: tuple[str, ...]
    support: tuple[str, ...]
    checklist: tuple[str, ...]
    steps: tuple[str, ...]
    related: tuple[str, ...]  # both directions, derived
    pictogram: str = ""
    same_as: str = ""  # a commune's guide for a known situation: its wizard answers lead here
    commune: str = ""  # a commune's own situation (content/communes/ID/situations.toml)
    slip: str = ""  # (a commune's new situation) its own action whose sentence is its slip line

    @property
    def citation(self) -> Citation:
        return Citation(self.plan, self.section)


@dataclass(frozen=True)
class Term:
    id: str
    seen_in: tuple[Citation, ...]


def fold(text: str) -> str:
    """Lower case, without diacritics: "Người GIÀ" → "nguoi gia" (as the site's search folds)."""
    decomposed = unicodedata.normalize("NFD", text.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c)).replace("đ", "d")


def folded_words(text: str) -> tuple[str, ...]:
    """The folded words of ``text``, punctuation dropped: "Mất CCCD!" → ("mat", "cccd")."""
    return tuple(re.findall(r"[^\W_]+", fold(text)))


@dataclass(frozen=True)
class Concept:
    """One of the field's notions (content/lexicon.toml): the words people say for it, per
    language, and the guides and glossary terms it leads to."""
    id: str
    guides: tuple[str, ...]
    terms: tuple[str, ...]
    words: tuple[tuple[str, tuple[str, ...]], ...]  # (language, its words); a language may have none
    kind_of: str = ""  # the broader concept this one is a kind of ("khiếm thính" is a "khuyết tật")

    def words_in(self, lang: str) -> tuple[str, ...]:
        return dict(self.words).get(lang, ())


@dataclass(frozen=True)
class Lexicon:
    """The words people say, each leading to one concept (content/lexicon.toml)."""
    concepts: tuple[Concept, ...] = ()

    def words_of_guide(self, guide: str, lang: str) -> list[str]:
        """The everyday words, in ``lang``, of every concept whose guide is ``guide``: its first
        guide (the others stand in for it where a commune's handbook lacks it, see narrowed)."""
        return [w for c in self.concepts if c.guides[:1] == (guide,) for w in c.words_in(lang)]

    def words_of_term(self, term: str, lang: str) -> list[str]:
        return [w for c in self.concepts if term in c.terms for w in c.words_in(lang)]

    def concept_ids(self, text: str, lang: str | None = None) -> list[str]:
        """The concepts ``text`` speaks of, in the order it names them, each once: its words
        are matched folded (with or without diacritics), whole words only, the longest phrase
        first ("mù chữ" is not-reading, not "mù" blind). ``lang`` None: the words of every
        language. For matching by meaning (a commune's plan to the known situations)."""
        phrases: dict[tuple[str, ...], str] = {}
        for concept in self.concepts:
            for language, words in concept.words:
                if lang is None or language == lang:
                    for word in words:
                        phrases.setdefault(folded_words(word), concept.id)
        longest = max((len(p) for p in phrases), default=0)
        tokens = folded_words(text)
        found: list[str] = []
        at = 0
        while at < len(tokens):
            for size in range(min(longest, len(tokens) - at), 0, -1):
                concept = phrases.get(tokens[at:at + size])
                if concept is not None:
                    if concept not in found:
                        found.append(concept)
                    at += size
                    break
            else:
                at += 1
        return found

    def narrowed(self, guides: dict[str, str], situations, glossary) -> "Lexicon":
        """For one commune's handbook: each concept leads to the guides and terms it still has
        (a known guide to the commune's own guide for it, ``guides``)."""
        return Lexicon(tuple(
            Concept(c.id, tuple(dict.fromkeys(g for g in (guides.get(x, x) for x in c.guides) if g in situations)),
                    tuple(t for t in c.terms if t in glossary), c.words, c.kind_of)
            for c in self.concepts))

    def broader(self) -> dict[str, str]:
        """Each concept that is a kind of another → that broader one (a plan's "khiếm thính, khó
        nói" names kinds of the handbook's "người khuyết tật")."""
        return {c.id: c.kind_of for c in self.concepts if c.kind_of}


@dataclass(frozen=True)
class IconSet:
    id: str
    name: str
    author: str
    licence: str
    licence_url: str
    attribution: str
    source: str  # "python_package:folder" holding NAME.svg files


@dataclass(frozen=True)
class Pictogram:
    id: str
    icons: tuple[tuple[str, str], ...]  # (set, icon name), drawn side by side


@dataclass(frozen=True)
class Commune:
    id: str
    kind: str
    name: str
    province: str
    address: str
    hotline: str
    hours: str
    site_url: str
    plans: tuple[str, ...]
    draft: bool = False  # imported (content/communes/ID/) and not yet reviewed by a person


@dataclass(frozen=True)
class Question:
    id: str
    answers: tuple[str, ...]


@dataclass(frozen=True)
class WizardPath:
    id: str
    cites: tuple[Citation, ...]
    reading: str = ""  # the handbook's interpretation ([readings.ID]), if any
    # checklist items this path rules out wherever it applies (a person in an emergency is not
    # sent to file online themselves): the procedure must never give them with this path
    excludes: tuple[str, ...] = ()


@dataclass(frozen=True)
class Fact:
    """What an answer implies beyond itself ("forgot my password": the person has an account).
    It holds when any of its answers is given (after conflicts are settled); procedure variants
    may require it ("fact:ID"), and the items it excludes never appear while it holds."""
    id: str
    given: tuple[str, ...]  # "question:answer" conditions, any of which makes it hold
    cites: tuple[Citation, ...]
    excludes: tuple[str, ...] = ()


@dataclass(frozen=True)
class Rule:
    id: str
    when: tuple[tuple[str, str], ...]  # (question, answer) pairs, all required
    guides: tuple[str, ...]  # the answer's guides; the first is for a person without the engine
    path: str | None
    defer_network: bool
    cites: tuple[Citation, ...]
    pictogram: str = ""
    reading: str = ""
    reason: str = ""  # [reasons.ID]: why its path, for these answers (else the path's own reason)

    @property
    def link(self) -> str | None:
        """The guide a person without the engine is sent to (None: the list of guides)."""
        return self.guides[0] if self.guides else None


@dataclass(frozen=True)
class Wizard:
    questions: tuple[Question, ...]
    paths: tuple[WizardPath, ...]  # most constrained first
    rules: tuple[Rule, ...]
    defer_phase: str
    defer_cites: tuple[Citation, ...]
    default: str | None = None  # the path when no rule gives one (the last declared); None: no path
    facts: tuple[Fact, ...] = ()

    def answers(self) -> list[tuple[str, str]]:
        return [(q.id, a) for q in self.questions for a in q.answers]


@dataclass
class Model:
    root: Path
    languages: list[str]
    phases: list[str]
    plans: dict[str, Plan]
    items: dict[str, Item]
    situations: dict[str, Situation]
    glossary: dict[str, Term]
    communes: dict[str, Commune]
    wizard: Wizard
    procedure: Procedure
    icon_sets: dict[str, IconSet]
    pictograms: dict[str, Pictogram]
    kiosk_idle_seconds: int
    strings: dict[str, dict[str, Any]] = field(repr=False)
    commune: Commune | None = None  # the commune whose handbook this is; None: every plan
    # per language: the string paths it lacks (shown in the reference language, marked); only
    # languages marked partial (or every language, when loaded for a coverage report) have any
    untranslated: dict[str, list[tuple[str, ...]]] = field(default_factory=dict)
    required: dict[str, int] = field(default_factory=dict)  # per language: strings it must have
    # strings of the communes' own plans (content/communes/ID/): a translation may lack them
    owned: frozenset = frozenset()
    # per language: the speech engine voice that reads it aloud (content/handbook.toml [voices]);
    # a language without one is spoken through recordings only
    voices: dict[str, str] = field(default_factory=dict)
    # the words people say for the field's notions, leading to guides and terms (content/lexicon.toml)
    lexicon: Lexicon = field(default_factory=Lexicon)
    # a commune folder's procedure paths (its paths.toml): commune → path → its own sections; the
    # reasons are strings at ("commune_paths", commune, path, "reason")
    commune_paths: dict[str, dict[str, tuple[Citation, ...]]] = field(default_factory=dict)

    def centre(self, lang: str, commune: Commune) -> str:
        """"Trung tâm Phục vụ hành chính công xã Ngọk Réo", in ``lang``."""
        return self.t(lang, "ui", "contacts_centre").format(kind=self.t(lang, "commune_kinds", commune.kind),
                                                             name=commune.name)

    def site_name(self, lang: str) -> str:
        """The site's title; a commune's handbook carries the commune's name."""
        name = self.t(lang, "ui", "site_name")
        if self.commune is None:
            return name
        return self.t(lang, "ui", "site_name_commune").format(
            site=name, kind=self.t(lang, "commune_kinds", self.commune.kind), name=self.commune.name)

    def site_url(self, default: str) -> str:
        """The public address: the commune's own, else ``default`` (mkdocs.yml's site_url)."""
        url = (self.commune.site_url if self.commune and self.commune.site_url else default) or ""
        return url.rstrip("/") + "/" if url else ""

    @property
    def reference(self) -> str:
        return self.languages[0]

    def t(self, lang: str, *path: str) -> str:
        """The string at ``path`` (e.g. ``"situations", id, "title"``) in ``lang``."""
        node: Any = self.strings[lang]
        for part in path:
            node = node[part]
        return node

    def block_text(self, lang: str, plan: str, block: Block) -> str:
        if lang == self.reference:
            return block.vi
        return self.strings[lang]["plans"][plan]["blocks"][block.id]

    def readings(self) -> list[str]:
        """Every place the handbook interprets the plans ([readings.ID]), once each."""
        return readings_of(self.wizard, self.procedure)

    def situations_of(self, plan: str) -> list[Situation]:
        return [s for s in self.situations.values() if s.plan == plan]

    def items_of(self, situation: Situation) -> list[Item]:
        """The situation's checklist items, in phase order (stable within a phase)."""
        order = {p: n for n, p in enumerate(self.phases)}
        items = [self.items[i] for i in situation.checklist]
        return sorted(items, key=lambda item: order[item.phase])


def readings_of(wizard: Wizard, procedure: Procedure) -> list[str]:
    """The readings ([readings.ID]) that paths, rules and the procedure's variants name."""
    found = [p.reading for p in wizard.paths] + [r.reading for r in wizard.rules] + procedure.readings
    return [r for r in dict.fromkeys(found) if r]



def anchor(section: str) -> str:
    """The HTML id of a plan section: ``III.5.2`` → ``s-III-5-2``."""
    return "s-" + section.replace(".", "-")


def parse_citation(text: str) -> Citation | None:
    match = CITATION_RE.match(text) if isinstance(text, str) else None
    return Citation(match["plan"], match["section"]) if match else None


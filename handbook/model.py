"""Load and validate the whole content model before anything is rendered.

Standard library only (``tomllib``, ``dataclasses``): this module also runs inside Pyodide.

Every problem found is reported as ``path:line: what is wrong`` followed by ``fix: ...``;
all problems are collected and raised together as one :class:`ContentError`, so an editor
sees everything to mend at once and no page is written from a model that failed.
"""

from __future__ import annotations

import os
import re
import tomllib
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from . import commune_folder
from . import procedure as procedure_module
from .procedure import Procedure
from .ui_keys import UI_KEYS

REFERENCE_NOTE = "the first language in content/handbook.toml is the authoritative one"
BLOCK_KINDS = ("meta", "title", "p", "li", "h2", "h3", "h4")
HEADING_KINDS = ("h2", "h3", "h4")
NON_CITABLE = ("front", "back")  # plan parts before the first and after the last section
COMMUNE_KINDS = ("xa", "phuong")
SHORT_WORDS = 6  # a step label under a pictogram (strips, cards)
# Bounds on what an editor can put in: the largest file today is 47 KB, the longest text 800
# characters (a paragraph of a plan); far larger is a mistake (a pasted file, a runaway string).
MAX_FILE_BYTES = 1_000_000
MAX_TEXT_CHARS = 10_000
QUESTIONS = ("who", "situation")  # the wizard's two questions: the engine takes these answers
ID_RE = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
SECTION_RE = re.compile(r"^[A-Z0-9]+(\.[0-9]+)*$")
CITATION_RE = re.compile(r"^(?P<plan>[a-z0-9-]+):(?P<section>[A-Z0-9.]+)$")
COMMUNE_ENV = "HANDBOOK_COMMUNE"  # `make site COMMUNE=ID` sets it: build that commune's handbook
# A string that a partial language lacks is the reference text between these two marks; the
# build turns them into <span lang="vi" class="hb-untranslated"> (see handbook/untranslated.py).
UNTRANSLATED = ("\ue000", "\ue001")
HOTLINE_RE = re.compile(r"^\+?[0-9][0-9 .()-]{1,18}[0-9]$")
SITE_URL_RE = re.compile(r"^https?://[^\s/?#]+(/[^\s?#]*)?$")
KIOSK_IDLE = (10, 3600)  # seconds: time to read, and a kiosk that still forgets the person
# The interface strings the code fills in, with the names it fills in; any other string may hold
# no {placeholder} at all (write {{ or }} for a brace shown as it is).
PLACEHOLDERS = {"site_name_commune": {"site", "kind", "name"}, "contacts_centre": {"kind", "name"},
                "contacts_missing": {"kind", "name"}, "wizard_step_of": {"n", "total"},
                "rules_outage_text": {"phase"}, "rules_path_applies": {"title"}, "offline_save": {"size", "stored"},
                "offline_full": {"needed"}}


# --------------------------------------------------------------------------- errors


@dataclass(frozen=True)
class Problem:
    path: str
    line: int | None
    message: str
    fix: str

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        return f"{where}: {self.message}\n    fix: {self.fix}"


class ContentError(Exception):
    """Raised with the problems found in the content; nothing may be rendered after it.

    Only the problems of the first file that has any (files are read in the order they depend
    on one another) are shown: one mistake often makes others appear in the files that use it,
    and fifty messages hide the one that matters. ``held_back`` counts the others."""

    def __init__(self, problems: list[Problem], held_back: int = 0):
        self.problems = problems
        self.held_back = held_back
        count = len(problems)
        head = f"content is invalid ({count} problem{'s' if count != 1 else ''}):"
        tail = ([f"({held_back} more in other files, which may follow from these, are not shown: "
                 "fix these, then build again)"] if held_back else [])
        super().__init__("\n".join([head, *(str(p) for p in problems), *tail]))

    @classmethod
    def first_file(cls, problems: list[Problem]) -> "ContentError":
        shown = [p for p in problems if p.path == problems[0].path]
        return cls(shown, held_back=len(problems) - len(shown))


class Source:
    """A loaded TOML file plus what is needed to point at its lines."""

    def __init__(self, root: Path, path: Path, problems: list[Problem]):
        self.rel = path.relative_to(root).as_posix() if path.is_relative_to(root) else str(path)
        self.problems = problems
        self.data: dict[str, Any] = {}
        self.ok = False
        try:
            self.text = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            self.text = ""
            self.lines: list[str] = []
            self.error(None, "file is missing", f"create {self.rel}")
            return
        except UnicodeDecodeError as exc:
            self.text = ""
            self.lines = []
            self.error(None, f"not UTF-8 text ({exc.reason})", "save the file as UTF-8")
            return
        self.lines = self.text.splitlines()
        size = len(self.text.encode("utf-8"))
        if size > MAX_FILE_BYTES:
            self.error(None, f"the file is {size / 1e6:.1f} MB; a content file is at most "
                       f"{MAX_FILE_BYTES / 1e6:.0f} MB", "remove what was pasted in by mistake")
            return
        try:
            self.data = tomllib.loads(self.text)
            self.ok = True
        except tomllib.TOMLDecodeError as exc:
            match = re.search(r"\(at line (\d+), column (\d+)\)", str(exc))
            line = int(match.group(1)) if match else None
            self.error(line, f"not valid TOML: {exc}", "correct the TOML syntax on that line")
            return
        for path, text in _texts(self.data):
            if len(text) > MAX_TEXT_CHARS:
                self.error(self.find(text[:60]), f"{'.'.join(path)} is {len(text):,} characters "
                           f"long; a text is at most {MAX_TEXT_CHARS:,}",
                           "shorten it, or split it (a plan paragraph per [[block]])")
                self.ok = False

    def error(self, line: int | None, message: str, fix: str) -> None:
        self.problems.append(Problem(self.rel, line, message, fix))

    def find(self, needle: str, start: int = 1) -> int | None:
        """The first line number (1-based) at or after ``start`` that contains ``needle``."""
        for number in range(max(start, 1), len(self.lines) + 1):
            if needle in self.lines[number - 1]:
                return number
        return None

    def find_key(self, key: str, start: int = 1) -> int | None:
        """The first line at or after ``start`` that sets ``key`` (``key = ...``)."""
        pattern = re.compile(r'^\s*("?)' + re.escape(key) + r'\1\s*=')
        for number in range(max(start, 1), len(self.lines) + 1):
            if pattern.match(self.lines[number - 1]):
                return number
        return self.find(key, start)

    def table_starts(self, name: str) -> list[int]:
        """Line numbers of each ``[[name]]`` header, in order."""
        pattern = re.compile(r"^\s*\[\[\s*" + re.escape(name) + r"\s*\]\]")
        return [n for n, text in enumerate(self.lines, 1) if pattern.match(text)]

    def key_line(self, table: tuple[str, ...], key: str | None = None) -> int | None:
        """Best line for ``key`` inside the ``[a.b.c]`` table (or the table header itself)."""
        header = None
        for number, text in enumerate(self.lines, 1):
            stripped = text.strip()
            if stripped.startswith("[") and not stripped.startswith("[["):
                parts = _header_parts(stripped)
                if parts == list(table):
                    header = number
                    break
        if key is None or header is None:
            return header
        key_re = re.compile(r'^\s*("?)' + re.escape(key) + r'\1\s*=')
        for number in range(header + 1, len(self.lines) + 1):
            text = self.lines[number - 1]
            if text.strip().startswith("["):
                break
            if key_re.match(text):
                return number
        return header


def _header_parts(header: str) -> list[str]:
    inner = header.strip()[1:].split("]", 1)[0]
    return [p.strip().strip('"').strip("'") for p in re.findall(r'"[^"]*"|\'[^\']*\'|[^.]+', inner)]


# --------------------------------------------------------------------------- the model


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

    @property
    def citation(self) -> Citation:
        return Citation(self.plan, self.section)


@dataclass(frozen=True)
class Term:
    id: str
    seen_in: tuple[Citation, ...]


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


def _after_cycle(items: dict[str, Item]) -> list[str] | None:
    """A cycle of 'after' among items (its ids, the first repeated last), or None."""
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        path.append(node)
        for nxt in (a for a in items[node].after if a in items):
            if state.get(nxt) == 1:
                return path[path.index(nxt):] + [nxt]
            if nxt not in state and (found := visit(nxt)):
                return found
        path.pop()
        state[node] = 2
        return None

    return next((c for node in items if node not in state for c in [visit(node)] if c), None)


def anchor(section: str) -> str:
    """The HTML id of a plan section: ``III.5.2`` → ``s-III-5-2``."""
    return "s-" + section.replace(".", "-")


def parse_citation(text: str) -> Citation | None:
    match = CITATION_RE.match(text) if isinstance(text, str) else None
    return Citation(match["plan"], match["section"]) if match else None


# --------------------------------------------------------------------------- loading


def load(root: Path | str, commune: str | None = None, coverage: bool = False,
         extra_commune: tuple[str, Path] | None = None) -> Model:
    """Load ``root/content`` and validate everything; raise :class:`ContentError` on any problem.
    With ``commune``, the result is that commune's handbook (see :func:`for_commune`). With
    ``coverage``, every language may lack strings (as if marked partial): for reporting them.
    ``extra_commune`` (id, folder) reads that commune folder in place of content/communes/ID/
    (the importer validates what it is about to write)."""
    root = Path(root)
    content = root / "content"
    problems: list[Problem] = []
    loader = _Loader(root, content, problems)
    loader.coverage = coverage
    loader.extra_commune = extra_commune
    model = loader.run()
    if problems:
        raise ContentError.first_file(problems)
    assert model is not None
    return for_commune(model, commune) if commune else model


def commune_from_env() -> str | None:
    """The commune chosen for this build (``HANDBOOK_COMMUNE``), or None for every plan."""
    return os.environ.get(COMMUNE_ENV, "").strip() or None


def for_commune(model: Model, commune_id: str) -> Model:
    """One commune's handbook: its plans in force, and only what traces to them.

    Every citation to another plan is dropped; an item, a procedure path or a wizard rule left
    citing nothing goes with it, and so does an answer whose rule gives nothing (no checklist
    item, no path) or has no guide left to link to. The whole content was validated first."""
    commune = model.communes.get(commune_id)
    if commune is None:
        raise ContentError([Problem(f"content/communes/{commune_id}.toml", None,
                                    f"there is no profile for commune '{commune_id}'",
                                    f"use one of: {', '.join(model.communes)}; or add its profile")])
    keep = set(commune.plans)
    # a commune with its own plan: what stands on a known situation stands on its section for it
    corresponding, guides = commune_folder.translate_citations(model, keep)

    def own(values: tuple[Citation, ...]) -> tuple[Citation, ...]:  # what an item cites: its own words
        return tuple(c for c in values if c.plan in keep)

    def cites(values: tuple[Citation, ...]) -> tuple[Citation, ...]:
        out = []
        for c in values:
            if c.plan in keep:
                out.append(c)
                continue
            for (plan, section), (to_plan, to_section) in corresponding.items():
                if c.plan == plan and (c.section == section or c.section.startswith(section + ".")):
                    out.append(Citation(to_plan, to_section))
                    break
        return tuple(dict.fromkeys(out))

    items = {iid: replace(i, cites=own(i.cites)) for iid, i in model.items.items() if own(i.cites)}
    situations = {sid: s for sid, s in model.situations.items() if s.plan in keep}
    situations = {sid: replace(s, checklist=tuple(i for i in s.checklist if i in items),
                               steps=tuple(i for i in s.steps if i in items),
                               related=tuple(r for r in s.related if r in situations))
                  for sid, s in situations.items()}

    def known(values: tuple[str, ...], among) -> tuple[str, ...]:
        return tuple(v for v in values if v in among)

    wizard = model.wizard
    paths = tuple(replace(p, cites=cites(p.cites)) for p in wizard.paths if cites(p.cites))
    if not paths:
        raise ContentError([Problem("content/wizard.toml", None,
                                    f"no procedure path cites a plan of commune '{commune_id}' "
                                    f"({', '.join(commune.plans)})",
                                    "give a [[path]] a citation of that plan")])
    path_ids = {p.id for p in paths}
    # without its own plan's default path, a commune's wizard names no path when no rule gives one
    default = wizard.default if wizard.default in path_ids else None
    rules = []
    for rule in wizard.rules:
        if cites(rule.cites):  # a rule whose path is not there proposes the default one instead
            rules.append(replace(rule, cites=cites(rule.cites),
                                 guides=known(tuple(dict.fromkeys(guides.get(g, g) for g in rule.guides)), situations),
                                 path=rule.path if rule.path in path_ids else default))
    answers = {r.when[0] for r in rules if len(r.when) == 1}  # an answer stays with its own rule
    rules = [r for r in rules if all(w in answers for w in r.when)]
    questions = tuple(q for q in (replace(q, answers=tuple(a for a in q.answers if (q.id, a) in answers))
                                  for q in wizard.questions) if q.answers)
    narrowed_wizard = replace(wizard, questions=questions, paths=paths, rules=tuple(rules),
                              defer_cites=cites(wizard.defer_cites), default=default)
    conditions = {f"{q}:{a}" for q, a in answers} | {f"path:{p}" for p in path_ids}
    items = {iid: replace(i, after=known(i.after, items)) for iid, i in items.items()}
    return replace(model, plans={pid: p for pid, p in model.plans.items() if pid in keep}, items=items,
                   situations=situations, communes={commune.id: commune}, commune=commune,
                   glossary={tid: replace(t, seen_in=own(t.seen_in)) for tid, t in model.glossary.items()},
                   wizard=narrowed_wizard,
                   procedure=procedure_module.narrow(model.procedure, items, conditions, cites))


class _Loader:
    def __init__(self, root: Path, content: Path, problems: list[Problem]):
        self.root = root
        self.content = content
        self.problems = problems
        self.coverage = False

    def source(self, rel: str) -> Source:
        return Source(self.root, self.content / rel, self.problems)

    def tracked(self, name: str, loader):
        before = len(self.problems)
        result = loader()
        if len(self.problems) > before:
            self.unreliable.add(name)
        return result

    # -- generic field checks -------------------------------------------------------

    def fields(self, src: Source, line: int | None, table: dict, required: dict, optional: dict,
               what: str) -> bool:
        ok = True
        for name, kind in required.items():
            if name not in table:
                src.error(line, f"{what} has no '{name}'", f"add '{name} = ...' ({_kind_name(kind)})")
                ok = False
        for name, value in table.items():
            kind = required.get(name, optional.get(name))
            if kind is None:
                allowed = ", ".join(sorted({*required, *optional}))
                src.error(src.find_key(name, line or 1) if line else None,
                          f"{what} has an unknown key '{name}'", f"use one of: {allowed}")
                ok = False
            elif not _is_kind(value, kind):
                src.error(src.find_key(name, line or 1) if line else None,
                          f"{what}: '{name}' is {type(value).__name__}, expected {_kind_name(kind)}",
                          f"make '{name}' {_kind_name(kind)}")
                ok = False
        return ok

    def citation(self, src: Source, line: int | None, text: Any, what: str) -> Citation | None:
        cite = parse_citation(text)
        at = src.find(f'"{text}"', line or 1) if isinstance(text, str) else line
        if cite is None:
            src.error(at, f"{what}: '{text}' is not a citation",
                      "write it as PLAN:SECTION, for example ngok-reo:III.5.2")
            return None
        plan = self.plans.get(cite.plan)
        if plan is None:
            src.error(at, f"{what}: '{text}' cites an unknown plan '{cite.plan}'",
                      f"use one of the plans: {', '.join(self.plans)}")
            return None
        if cite.section not in plan.sections:
            src.error(at, f"{what}: '{text}' cites section '{cite.section}', which plan "
                      f"'{cite.plan}' does not have",
                      f"use one of: {', '.join(plan.sections)}")
            return None
        return cite

    # -- the files ------------------------------------------------------------------

    def run(self) -> Model | None:
        config = self.source("handbook.toml")
        languages: list[str] = []
        self.kiosk_idle_seconds = 90
        if config.ok and self.fields(config, 1, config.data, {"languages": list},
                                     {"kiosk_idle_seconds": int}, "handbook.toml"):
            self.kiosk_idle_seconds = config.data.get("kiosk_idle_seconds", 90)
            if not KIOSK_IDLE[0] <= self.kiosk_idle_seconds <= KIOSK_IDLE[1]:
                config.error(config.find("kiosk_idle_seconds"),
                             f"kiosk_idle_seconds is {self.kiosk_idle_seconds}, outside {KIOSK_IDLE[0]}–{KIOSK_IDLE[1]}",
                             "give people time to read, and forget them soon after: 60 to 180 seconds")
                self.kiosk_idle_seconds = 90
            languages = [str(x) for x in config.data["languages"]]
            if len(set(languages)) != len(languages):
                config.error(config.find("languages ="), "a language is listed twice", "list each language once")
                languages = list(dict.fromkeys(languages))
            if not languages:
                config.error(config.find("languages ="), "no language is listed",
                             'list at least the authoritative language: languages = ["vi"]')
        # the stages of a file are the checklist's phases; their variants are read after the wizard
        procedure_src, phases = procedure_module.stage_ids(self)
        self.languages, self.phases = languages, phases
        # A file with a problem of its own is "unreliable": references into it are not checked,
        # so one mistake is reported once, not again by everything that points at it.
        self.unreliable: set[str] = set()
        self.icon_sets, self.pictograms = self.load_pictograms()
        self.plans = self.tracked("plans", self.load_plans)
        self.items = self.tracked("items", self.load_items)
        self.situations = self.tracked("situations", self.load_situations)
        self.glossary = self.load_glossary()
        self.communes = self.load_communes()
        self.wizard = self.tracked("wizard", self.load_wizard)
        self.procedure = self.tracked("procedure", lambda: procedure_module.load(
            self, procedure_src, self.answer_ids, [p.id for p in self.wizard.paths], self.wizard.default))
        self.strings = self.load_strings()
        if not self.problems:
            self.secondary_checks()
        if self.problems:
            return None
        return Model(self.root, languages, phases, self.plans, self.items, self.situations,
                     self.glossary, self.communes, self.wizard, self.procedure, self.icon_sets, self.pictograms,
                     self.kiosk_idle_seconds, self.strings, untranslated=self.untranslated,
                     required=self.required_count, owned=self.owned)

    def load_pictograms(self) -> tuple[dict[str, IconSet], dict[str, Pictogram]]:
        src = self.source("pictograms.toml")
        sets: dict[str, IconSet] = {}
        pictograms: dict[str, Pictogram] = {}
        if not src.ok or not self.fields(src, 1, src.data, {"set": dict, "pictogram": "tables"}, {},
                                         "pictograms.toml"):
            self.unreliable.add("pictograms")
            return sets, pictograms
        keys = ("name", "author", "licence", "licence_url", "attribution", "source")
        for sid, raw in src.data["set"].items():
            line = src.find(f"[set.{sid}]")
            if isinstance(raw, dict) and self.fields(src, line, raw, {k: str for k in keys}, {},
                                                     f"icon set '{sid}'"):
                sets[sid] = IconSet(sid, *(raw[k] for k in keys))
        starts = src.table_starts("pictogram")
        for n, raw in enumerate(src.data["pictogram"]):
            line = starts[n] if n < len(starts) else None
            if not self.fields(src, line, raw, {"id": str, "icons": list}, {}, _label("pictogram", n, raw)):
                continue
            pid = raw["id"]
            if pid in pictograms or not ID_RE.match(pid):
                src.error(line, f"pictogram id '{pid}' is a duplicate or malformed",
                          "give every pictogram its own lower-case-with-dashes id")
                continue
            icons = []
            for icon in raw["icons"]:
                set_id, _, name = icon.partition(":")
                if set_id not in sets or not name:
                    src.error(src.find(f'"{icon}"', line or 1), f"pictogram '{pid}': icon '{icon}' is not SET:NAME "
                              "of a listed set", f"use one of the sets: {', '.join(sets)}")
                elif (folder := _icon_folder(sets[set_id].source)) and not (folder / f"{name}.svg").is_file():
                    src.error(src.find(f'"{icon}"', line or 1), f"pictogram '{pid}': set '{set_id}' has no icon "
                              f"'{name}'", f"use the name of a file in {folder} (without .svg)")
                icons.append((set_id, name))
            if not 1 <= len(icons) <= 2:
                src.error(line, f"pictogram '{pid}' has {len(icons)} icons", "give one or two icons")
            pictograms[pid] = Pictogram(pid, tuple(icons))
        return sets, pictograms

    def pictogram_ref(self, src: Source, line: int | None, pid: str, what: str) -> None:
        if pid not in self.pictograms and "pictograms" not in self.unreliable:
            src.error(src.find(f'"{pid}"', line or 1), f"{what}: unknown pictogram '{pid}'",
                      "use an id from content/pictograms.toml (or add it there)")

    def load_plans(self) -> dict[str, Plan]:
        plans: dict[str, Plan] = {}
        own = {cid: folder / "plan.toml" for cid, folder in commune_folder.folders(self).items()}
        for pid, path in [(p.stem, p) for p in sorted((self.content / "plans").glob("*.toml"))] + list(own.items()):
            src = Source(self.root, path, self.problems)
            if not src.ok:
                continue
            if not self.fields(src, 1, src.data, {"id": str, "original": str, "block": "tables"}, {},
                               f"plan '{pid}'"):
                continue
            if src.data["id"] != pid:
                src.error(src.find("id"), f"plan id '{src.data['id']}' differs from the file name",
                          f"set id = \"{pid}\" or rename the file")
            original = path.parent / src.data["original"]
            if not original.is_file():
                src.error(src.find("original"), f"the original text {src.data['original']} is missing",
                          "keep a verbatim copy of the official plan beside this file")
            starts = src.table_starts("block")
            blocks: list[Block] = []
            sections: list[str] = []
            seen_done: set[str] = set()
            counts: dict[str, int] = {}
            current = None
            for n, raw in enumerate(src.data["block"]):
                line = starts[n] if n < len(starts) else None
                if not isinstance(raw, dict) or not self.fields(
                        src, line, raw, {"section": str, "kind": str, "vi": str}, {}, "block"):
                    continue
                section, kind, text = raw["section"], raw["kind"], raw["vi"].strip()
                if kind not in BLOCK_KINDS:
                    src.error(src.find("kind", line or 1), f"block kind '{kind}' is unknown",
                              f"use one of: {', '.join(BLOCK_KINDS)}")
                if not text:
                    src.error(line, "block has empty text", "give the paragraph's official text")
                if section not in NON_CITABLE and not SECTION_RE.match(section):
                    src.error(src.find("section", line or 1), f"section '{section}' is malformed",
                              "use the plan's numbering, for example III.5.2 or 2.1")
                if section != current:
                    if section in seen_done:
                        src.error(line, f"section '{section}' continues after another section began",
                                  "keep the blocks of a section together, in document order")
                    if current is not None:
                        seen_done.add(current)
                    current = section
                    if section not in NON_CITABLE:
                        sections.append(section)
                counts[section] = counts.get(section, 0) + 1
                blocks.append(Block(f"{section}/{counts[section]}", section, kind, text, line))
            plans[pid] = Plan(pid, original, blocks, sections)
        if not plans:
            self.problems.append(Problem("content/plans", None, "no plan found",
                                         "add content/plans/ID.toml and ID.original.txt"))
        return plans

    def load_items(self) -> dict[str, Item]:
        src = self.source("checklist.toml")
        items: dict[str, Item] = {}
        if not src.ok:
            return items
        # an unknown key is reported; the [[item]] tables are still read, so it is reported alone
        if not self.fields(src, 1, src.data, {"item": "tables"}, {}, "checklist.toml") and \
                not _is_kind(src.data.get("item"), "tables"):
            return items
        starts = src.table_starts("item")
        for n, raw in enumerate(src.data.get("item", [])):
            line = starts[n] if n < len(starts) else None
            if not self.fields(src, line, raw, {"id": str, "phase": str, "network": bool, "cites": list,
                                                "pictogram": str}, {"staff_only": bool, "after": list},
                               _label("item", n, raw)):
                if isinstance(raw.get("id"), str) and raw["id"] not in items:
                    # keep the id known, so its mistake is not reported again by every user of it
                    items[raw["id"]] = Item(raw["id"], "", False, ())
                continue
            iid = raw["id"]
            what = f"item '{iid}'"
            if not ID_RE.match(iid):
                src.error(line, f"{what}: id is not lower-case-with-dashes", "rename it, e.g. seat-and-water")
            if iid in items:
                src.error(src.find(f'"{iid}"', line or 1), f"duplicate item id '{iid}'",
                          "give every item its own id")
                continue
            if raw["phase"] not in self.phases:
                src.error(src.find("phase", line or 1), f"{what}: unknown phase '{raw['phase']}'",
                          f"use one of: {', '.join(self.phases)}")
            if not raw["cites"]:
                src.error(line, f"{what} cites nothing", "every item must cite the plan section it comes from")
            cites = tuple(c for c in (self.citation(src, line, x, what) for x in raw["cites"]) if c)
            self.pictogram_ref(src, line, raw["pictogram"], what)
            if raw.get("staff_only") and not raw["network"]:
                src.error(src.find("staff_only", line or 1), f"{what}: staff_only is for actions that need "
                          "the network", "remove staff_only, or set network = true")
            items[iid] = Item(iid, raw["phase"], raw["network"], cites, raw["pictogram"],
                              raw.get("staff_only", False), tuple(raw.get("after", [])))
        commune_folder.load_items(self, items)
        for iid, item in items.items():
            for other in item.after:
                if other not in items or other == iid:
                    src.error(src.find("after", src.find(f'"{iid}"') or 1),
                              f"item '{iid}': after names '{other}', which is not another item",
                              "name the id of an item in this file")
        cycle = _after_cycle(items)  # the engine orders steps by 'after': it must have an order
        if cycle:
            src.error(src.find("after", src.find(f'id = "{cycle[0]}"') or 1),
                      f"the items' 'after' form a cycle: {' → '.join(reversed(cycle))}",
                      "remove one of these 'after' entries: each must come after the next one only")
        return items

    def load_situations(self) -> dict[str, Situation]:
        src = self.source("situations.toml")
        out: dict[str, Situation] = {}
        if not src.ok:
            return out
        starts = src.table_starts("situation")
        declared: dict[str, tuple[int | None, list[str]]] = {}
        required = {"id": str, "plan": str, "section": str, "staff": list, "checklist": list,
                    "steps": list, "pictogram": str}
        optional = {"support": list, "related": list}
        # an unknown key is reported; the [[situation]] tables are still read, so it is reported alone
        if not self.fields(src, 1, src.data, {"situation": "tables"}, {}, "situations.toml") and \
                not _is_kind(src.data.get("situation"), "tables"):
            return out
        for n, raw in enumerate(src.data.get("situation", [])):
            line = starts[n] if n < len(starts) else None
            if not self.fields(src, line, raw, required, optional, _label("situation", n, raw)):
                continue
            sid = raw["id"]
            what = f"situation '{sid}'"
            if not ID_RE.match(sid):
                src.error(line, f"{what}: id is not lower-case-with-dashes", "rename it, e.g. no-id-papers")
            if sid in out:
                src.error(src.find(f'"{sid}"', line or 1), f"duplicate situation id '{sid}'",
                          "give every situation its own id")
                continue
            plan = self.plans.get(raw["plan"])
            if plan is None:
                src.error(src.find("plan", line or 1), f"{what}: unknown plan '{raw['plan']}'",
                          f"use one of: {', '.join(self.plans)}")
                continue
            self.situation_sections(src, line, raw, what, plan)
            for iid in raw["checklist"]:
                if iid not in self.items:
                    src.error(src.find(f'"{iid}"', line or 1), f"{what}: unknown checklist item '{iid}'",
                              "define it in content/checklist.toml or fix the id")
            self.situation_steps(src, line, raw, what)
            if not 3 <= len(raw["steps"]) <= 6:
                src.error(src.find("steps", line or 1), f"{what} has {len(raw['steps'])} steps",
                          "a pictogram strip has 3 to 6 steps: pick them from the checklist")
            self.pictogram_ref(src, line, raw["pictogram"], what)
            declared[sid] = (line, list(raw.get("related", [])))
            out[sid] = Situation(sid, plan.id, raw["section"], tuple(raw["staff"]),
                                 tuple(raw.get("support", [])), tuple(raw["checklist"]),
                                 tuple(raw["steps"]), (), raw["pictogram"])
        # cross-links are stated once and shown on both guides
        related: dict[str, list[str]] = {sid: [] for sid in out}
        for sid, (line, others) in declared.items():
            for other in others:
                at = src.find(f'"{other}"', line or 1)
                if other not in out:
                    src.error(at, f"situation '{sid}': related guide '{other}' does not exist",
                              f"use one of: {', '.join(out)}")
                elif out[other].plan == out[sid].plan:
                    src.error(at, f"situation '{sid}': related guide '{other}' is from the same plan",
                              "cross-link guides of the other plan that cover the same need")
                else:
                    for a, b in ((sid, other), (other, sid)):
                        if b not in related[a]:
                            related[a].append(b)
        for sid, situation in out.items():
            out[sid] = Situation(**{**situation.__dict__, "related": tuple(related[sid])})
        commune_folder.load_situations(self, out, self.items)
        return out

    def situation_sections(self, src: Source, line: int | None, raw: dict, what: str, plan: Plan) -> None:
        """A situation's section, and those it quotes, are sections of its plan."""
        for key in ("section", "staff", "support"):
            values = raw.get(key, [])
            for sec in [values] if isinstance(values, str) else values:
                if sec not in plan.sections:
                    src.error(src.find(f'"{sec}"', line or 1),
                              f"{what}: {key} '{sec}' is not a section of plan '{plan.id}'",
                              f"use one of: {', '.join(plan.sections)}")

    def situation_steps(self, src: Source, line: int | None, raw: dict, what: str) -> None:
        """Its key steps come from its checklist, which is not empty."""
        for iid in raw["steps"]:
            if iid not in raw["checklist"]:
                src.error(src.find(f'"{iid}"', line or 1),
                          f"{what}: step '{iid}' is not in its checklist",
                          "steps pick the key items of the checklist; add it there first")
        if not raw["checklist"]:
            src.error(line, f"{what} has an empty checklist", "list the items staff must do")

    def secondary_checks(self) -> None:
        """Checks whose failures are usually consequences of another mistake: run them only
        when everything else is valid, so one mistake gives one message."""
        used = {i for s in self.situations.values() for i in s.checklist}
        used |= {i for stage in self.procedure.stages for v in stage.variants for i in v.items}
        items_src = Source(self.root, self.content / "checklist.toml", [])
        for iid in self.items:
            if iid not in used:
                self.problems.append(Problem(items_src.rel, items_src.find(f'"{iid}"'),
                                             f"item '{iid}' is in no situation's checklist "
                                             "and in no stage of the procedure",
                                             "add it to a situation or to a variant of "
                                             "content/procedure.toml, or remove it"))
        used_pictograms = ({i.pictogram for i in self.items.values()}
                           | {s.pictogram for s in self.situations.values()}
                           | {r.pictogram for r in self.wizard.rules if r.pictogram})
        pictograms_src = Source(self.root, self.content / "pictograms.toml", [])
        for pid in self.pictograms:
            if pid not in used_pictograms:
                self.problems.append(Problem(pictograms_src.rel, pictograms_src.find(f'"{pid}"'),
                                             f"pictogram '{pid}' is used nowhere",
                                             "use it for an item, a situation or an answer, or remove it"))
        self.check_wording()
        for lang, src in self.string_sources.items():
            required = self.required_strings(lang)
            for path, _ in _leaves(src.data):
                if path not in required and path != ("meta", "partial"):
                    src.error(src.key_line(path[:-1], path[-1]),
                              f"unknown string {'.'.join(path)} (nothing in the model uses it)",
                              "remove it, or fix its spelling to match an id in the content"
                              + (f"; {REFERENCE_NOTE}" if path[0] == "ui" else ""))

    def check_wording(self) -> None:
        """Short enough to act on: a checklist step (all its parts) and a support-slip sentence
        have a word limit in every language."""
        for lang, src in self.string_sources.items():
            texts = self.strings[lang]
            seen: set[frozenset[str]] = set()
            for stage in self.procedure.stages:
                for variant in stage.variants:
                    for step in variant.steps:
                        if frozenset(step) in seen:
                            continue
                        seen.add(frozenset(step))
                        words = sum(len(texts["items"][iid]["text"].split()) for iid in step)
                        if words > procedure_module.STEP_WORDS:
                            src.error(src.key_line(("items", step[-1]), "text"),
                                      f"the step {' + '.join(step)} (content/procedure.toml:{variant.line}) "
                                      f"has {words} words",
                                      f"a checklist step has at most {procedure_module.STEP_WORDS} words: "
                                      "shorten these items' text, or split the step in two")
            for line in self.procedure.slip:
                words = len(texts["slip_lines"][line.id]["text"].split())
                if words > procedure_module.SLIP_WORDS:
                    src.error(src.key_line(("slip_lines",), f"{line.id}.text") or src.key_line(("slip_lines",)),
                              f"slip_lines.{line.id} has {words} words",
                              f"a support-slip sentence has at most {procedure_module.SLIP_WORDS} words, "
                              "in plain language")

    def load_glossary(self) -> dict[str, Term]:
        src = self.source("glossary.toml")
        terms: dict[str, Term] = {}
        if not src.ok:
            return terms
        starts = src.table_starts("term")
        # an unknown key is reported; the [[term]] tables are still read, so it is reported alone
        if not self.fields(src, 1, src.data, {"term": "tables"}, {}, "glossary.toml") and \
                not _is_kind(src.data.get("term"), "tables"):
            return terms
        for n, raw in enumerate(src.data.get("term", [])):
            line = starts[n] if n < len(starts) else None
            if not self.fields(src, line, raw, {"id": str, "seen_in": list}, {}, _label("term", n, raw)):
                continue
            tid = raw["id"]
            if tid in terms or not ID_RE.match(tid):
                src.error(line, f"term id '{tid}' is a duplicate or malformed",
                          "give every term its own lower-case-with-dashes id")
                continue
            cites = tuple(c for c in (self.citation(src, line, x, f"term '{tid}'")
                                      for x in raw["seen_in"]) if c)
            terms[tid] = Term(tid, cites)
        return terms

    def load_communes(self) -> dict[str, Commune]:
        communes: dict[str, Commune] = {}
        text_fields = ("province", "address", "hotline", "hours", "site_url")
        folders = commune_folder.folders(self)
        for cid, path in [(p.stem, p) for p in sorted((self.content / "communes").glob("*.toml"))] + \
                [(cid, f / "commune.toml") for cid, f in folders.items()]:
            src = Source(self.root, path, self.problems)
            if not src.ok or not self.fields(
                    src, 1, src.data, {"id": str, "kind": str, "name": str, "plans": list},
                    {name: str for name in text_fields}, f"commune '{cid}'"):
                continue
            data = src.data
            if data["id"] != cid:
                src.error(src.find("id"), f"commune id '{data['id']}' differs from the "
                          f"{'folder' if cid in folders else 'file'} name",
                          f"set id = \"{cid}\" or rename the {'folder' if cid in folders else 'file'}")
            if cid in folders and list(data["plans"]) != [cid]:
                src.error(src.find("plans"), f"commune '{cid}' has its own plan: plans = [\"{cid}\"]",
                          f"write plans = [\"{cid}\"] (its plan.toml is in this folder)")
            if data["kind"] not in COMMUNE_KINDS:
                src.error(src.find("kind"), f"commune kind '{data['kind']}' is unknown",
                          f"use one of: {', '.join(COMMUNE_KINDS)}")
            if not data["name"].strip():
                src.error(src.find("name"), "the commune has no name", 'write its name without "xã" or '
                          '"phường", e.g. name = "Ngọk Réo"')
            hotline = data.get("hotline", "").strip()
            if hotline and not HOTLINE_RE.match(hotline):
                src.error(src.find("hotline"), f"hotline '{hotline}' is not a phone number",
                          'write digits, spaces, dots or dashes only, e.g. hotline = "0260 3 123 456"')
            site = data.get("site_url", "").strip()
            if site and not SITE_URL_RE.match(site):
                src.error(src.find("site_url"), f"site_url '{site}' is not a web address",
                          'write the public address of this handbook, e.g. site_url = '
                          '"https://sotay.ngokreo.gov.vn/"; or leave it "" to use mkdocs.yml\'s')
            if not data["plans"]:
                src.error(src.find("plans"), "the commune has no plan in force",
                          f"list its plans, e.g. plans = [\"{next(iter(self.plans), 'ID')}\"]")
            if len(set(data["plans"])) != len(data["plans"]):
                src.error(src.find("plans"), "a plan is listed twice", "list each plan once")
            for pid in data["plans"]:
                if pid not in self.plans:
                    src.error(src.find(f'"{pid}"'), f"commune plan '{pid}' does not exist",
                              f"use one of: {', '.join(self.plans)}")
            communes[data["id"]] = Commune(data["id"], data["kind"], data["name"].strip(),
                                           *(data.get(name, "").strip() for name in text_fields),
                                           tuple(data["plans"]),
                                           draft=cid in folders and commune_folder.is_draft(folders[cid]))
        if not communes:
            self.problems.append(Problem("content/communes", None, "no commune profile found",
                                         "add content/communes/ID.toml"))
        return communes

    def load_wizard(self) -> Wizard:
        src = self.source("wizard.toml")
        empty = Wizard((), (), (), self.phases[-1] if self.phases else "", ())
        self.answer_ids: dict[str, str] = {}
        if not src.ok or not self.fields(
                src, 1, src.data, {"question": "tables", "path": "tables", "rule": "tables",
                                   "defer": dict}, {}, "wizard.toml"):
            return empty
        data = src.data

        def check_ids(ids, known, line, what, kind_fix):
            source = {"guide": "situations", "item": "items", "answer": "answers"}.get(kind_fix)
            if source in self.unreliable:
                return
            for value in ids:
                if value not in known:
                    src.error(src.find(f'"{value}"', line or 1), f"{what}: unknown {kind_fix} '{value}'",
                              f"use one of: {', '.join(known)}")

        questions: list[Question] = []
        answer_ids: dict[str, str] = {}
        for n, raw in enumerate(data["question"]):
            line = src.table_starts("question")[n] if n < len(src.table_starts("question")) else None
            if not self.fields(src, line, raw, {"id": str, "answers": list}, {}, _label("question", n, raw)):
                continue
            if raw["id"] not in QUESTIONS or raw["id"] in (q.id for q in questions):
                src.error(src.find("id", line or 1), f"question '{raw['id']}' is unknown or listed twice",
                          f"the wizard asks exactly these questions, once each: {', '.join(QUESTIONS)}")
                self.unreliable.add("answers")  # every rule's answers would be reported again
            for answer in raw["answers"]:
                if answer in answer_ids or not ID_RE.match(answer):
                    src.error(src.find(f'"{answer}"', line or 1),
                              f"answer '{answer}' is a duplicate or malformed",
                              "give every answer, across all questions, its own lower-case id")
                    self.unreliable.add("answers")
                answer_ids[answer] = raw["id"]
            questions.append(Question(raw["id"], tuple(raw["answers"])))
        self.answer_ids = answer_ids
        known_answers = [f"{q}:{a}" for a, q in answer_ids.items()]

        paths: list[WizardPath] = []
        starts = src.table_starts("path")
        for n, raw in enumerate(data["path"]):
            line = starts[n] if n < len(starts) else None
            if not self.fields(src, line, raw, {"id": str, "cites": list}, {"reading": str},
                               _label("path", n, raw)):
                continue
            what = f"path '{raw['id']}'"
            cites = tuple(c for c in (self.citation(src, line, x, what) for x in raw["cites"]) if c)
            paths.append(WizardPath(raw["id"], cites, raw.get("reading", "")))
        if not paths:
            src.error(None, "no procedure path is defined", "add [[path]] tables, most constrained first")
        path_ids = [p.id for p in paths]

        defer = data["defer"]
        defer_line = src.find("[defer]")
        defer_cites: tuple[Citation, ...] = ()
        if self.fields(src, defer_line, defer, {"phase": str, "cites": list}, {}, "[defer]"):
            if defer["phase"] not in self.phases:
                src.error(src.find("phase", defer_line or 1), f"[defer]: unknown phase '{defer['phase']}'",
                          f"use one of: {', '.join(self.phases)}")
            defer_cites = tuple(c for c in (self.citation(src, defer_line, x, "[defer]")
                                            for x in defer["cites"]) if c)

        rules: list[Rule] = []
        starts = src.table_starts("rule")
        optional = {"guides": list, "path": str, "defer_network": bool, "pictogram": str, "reading": str}
        for n, raw in enumerate(data["rule"]):
            line = starts[n] if n < len(starts) else None
            if not self.fields(src, line, raw, {"id": str, "when": list, "cites": list}, optional,
                               _label("rule", n, raw)):
                continue
            what = f"rule '{raw['id']}'"
            if raw["id"] in {r.id for r in rules}:
                src.error(line, f"duplicate rule id '{raw['id']}'", "give every rule its own id")
                continue
            if not raw["when"]:
                src.error(line, f"{what} has an empty 'when'", 'list the answers, e.g. ["who:elderly"]')
            check_ids(raw["when"], known_answers, line, what, "answer")
            check_ids(raw.get("guides", []), list(self.situations), line, what, "guide")
            if "path" in raw:
                check_ids([raw["path"]], path_ids, line, what, "path")
            cites = tuple(c for c in (self.citation(src, line, x, what) for x in raw["cites"]) if c)
            if "pictogram" in raw:
                self.pictogram_ref(src, line, raw["pictogram"], what)
            rules.append(Rule(raw["id"], tuple(tuple(w.split(":", 1)) for w in raw["when"]),
                              tuple(raw.get("guides", [])), raw.get("path"), raw.get("defer_network", False),
                              cites, raw.get("pictogram", ""), raw.get("reading", "")))
        for question in questions if "answers" not in self.unreliable else ():
            for answer in question.answers:
                single = [r for r in rules if r.when == ((question.id, answer),)]
                if not single:
                    src.error(src.find(f'"{answer}"'), f"answer '{answer}' has no rule of its own",
                              f'add a [[rule]] with when = ["{question.id}:{answer}"]')
                elif not single[0].pictogram:
                    src.error(src.find(f'"{question.id}:{answer}"'),
                              f"rule '{single[0].id}' gives answer '{answer}' no pictogram",
                              'add pictogram = "ID" (content/pictograms.toml): it is the answer\'s tile')
        return Wizard(tuple(questions), tuple(paths), tuple(rules), defer.get("phase", ""), defer_cites,
                      paths[-1].id if paths else None)

    # -- strings --------------------------------------------------------------------

    def required_strings(self, lang: str) -> dict[tuple[str, ...], None]:
        """Every string path a language must define, derived from the model."""
        keys: dict[tuple[str, ...], None] = {}

        def need(*path: str) -> None:
            keys[path] = None

        need("meta", "name")
        for key in UI_KEYS:  # the strings the code uses (handbook/ui_keys.py)
            need("ui", key)
        for phase in self.phases:
            need("phases", phase)
        for kind in COMMUNE_KINDS:
            need("commune_kinds", kind)
        for pid, plan in self.plans.items():
            need("plans", pid, "title")
            need("plans", pid, "short")
            need("plans", pid, "label")
            if lang != self.languages[0]:
                for block in plan.blocks:
                    need("plans", pid, "blocks", block.id)
        for sid in self.situations:
            for key in ("title", "summary", "audience"):
                need("situations", sid, key)
        for iid in self.items:
            need("items", iid, "text")
            need("items", iid, "short")
        for tid in self.glossary:
            need("glossary", tid, "term")
            need("glossary", tid, "abbr")  # the words as the text of this language writes them
            need("glossary", tid, "meaning")
        for question in self.wizard.questions:
            need("questions", question.id, "title")
            need("questions", question.id, "hint")
            for answer in question.answers:
                need("answers", answer, "label")
        for pid in self.pictograms:
            need("pictograms", pid, "alt")
        for path in self.wizard.paths:
            need("paths", path.id, "title")
            need("paths", path.id, "reason")
        for reading in readings_of(self.wizard, self.procedure):
            need("readings", reading, "text")
        for conflict in self.procedure.conflicts:
            need("conflicts", conflict.id, "text")
        for line in self.procedure.slip:
            need("slip_lines", line.id, "text")
        return keys

    def load_strings(self) -> dict[str, dict[str, Any]]:
        strings: dict[str, dict[str, Any]] = {}
        self.string_sources: dict[str, Source] = {}
        self.untranslated: dict[str, list[tuple[str, ...]]] = {}
        self.required_count: dict[str, int] = {}
        if not self.languages:
            return strings
        sources = {lang: self.source(f"locales/{lang}.toml") for lang in self.languages}
        owned = commune_folder.merge_strings(self, sources)  # a commune folder's own wording
        self.owned = frozenset(owned)
        ref = sources[self.languages[0]]
        reference = dict(_leaves(ref.data)) if ref.ok else {}
        reference.update({("plans", pid, "blocks", b.id): b.vi  # the official text itself
                          for pid, plan in self.plans.items() for b in plan.blocks})
        for lang, src in sources.items():
            if not src.ok:
                continue
            meta = src.data.get("meta", {})
            partial = meta.get("partial", False) if isinstance(meta, dict) else False
            if not isinstance(partial, bool) or (partial and lang == self.languages[0]):
                src.error(src.key_line(("meta",), "partial"), "[meta] partial must be true or false, "
                          "and only a translation can be partial",
                          "write partial = true while the translation is incomplete, or remove it")
                partial = False
            required = self.required_strings(lang)
            self.required_count[lang] = len(required)
            present = dict(_leaves(src.data))
            lacking = self.untranslated.setdefault(lang, [])
            missing: dict[tuple[str, ...], list[str]] = {}  # per table: one message, not one per key
            for path in required:
                value = present.get(path)
                if value is None and (partial or self.coverage or path in owned) and lang != self.languages[0]:
                    lacking.append(path)  # shown in the reference language, marked as such
                    _put(src.data, path, f"{UNTRANSLATED[0]}{reference.get(path, '')}{UNTRANSLATED[1]}")
                elif value is None:
                    missing.setdefault(path[:-1], []).append(path[-1])
                elif not isinstance(value, str) or not value.strip():
                    src.error(src.key_line(path[:-1], path[-1]),
                              f"translation {'.'.join(path)} is empty or not text",
                              "write the text in this language")
                elif path[0] == "ui" and (problem := _placeholder_problem(path[-1], value)):
                    src.error(src.key_line(path[:-1], path[-1]), f"{'.'.join(path)}: {problem[0]}", problem[1])
                elif path[0] == "items" and path[-1] == "short" and len(value.split()) > SHORT_WORDS:
                    src.error(src.key_line(path[:-1], path[-1]),
                              f"{'.'.join(path)} has {len(value.split())} words",
                              f"a step label under a pictogram has at most {SHORT_WORDS} words")
            for table, keys in missing.items():
                line = src.key_line(table)
                where = f"[{'.'.join(_quote(p) for p in table)}]"
                names = [".".join((*table, key)) for key in keys]
                what = (f"missing translation {names[0]}" if len(names) == 1 else
                        f"{len(names)} missing translations in {where}: {', '.join(names[:3])}"
                        + (", …" if len(names) > 3 else ""))
                additions = ", ".join(f'{_quote(k)} = "..."' for k in keys[:3])
                src.error(line or len(src.lines) or None, what,
                          f"add {additions}"
                          + (" (and the others)" if len(keys) > 3 else "") + f" under {where}"
                          + ("" if line else " (the table does not exist yet)")
                          + ("" if lang == self.languages[0] else
                             "; or mark the language partial ([meta] partial = true) to show "
                             "the Vietnamese text in its place"))
            strings[lang] = src.data
            self.string_sources[lang] = src
        return strings


def _icon_folder(source: str) -> Path | None:
    """The folder of an icon set's files, when its Python package is installed (where it is not,
    as in a bare ``python3 -m wizard``, the pictures are not drawn and not checked)."""
    import importlib.util

    package, _, folder = source.partition(":")
    try:
        spec = importlib.util.find_spec(package)
    except (ImportError, ValueError):
        return None
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(list(spec.submodule_search_locations)[0]) / folder


def _placeholder_problem(key: str, value: str) -> tuple[str, str] | None:
    """What is wrong with the {placeholders} of an interface string, if anything."""
    import string

    try:
        names = {name for _, name, _, _ in string.Formatter().parse(value) if name is not None}
    except ValueError:
        return ("a { or } does not close", "write {{ or }} for a brace shown as it is")
    expected = PLACEHOLDERS.get(key, set())
    if names != expected:
        want = ", ".join("{" + n + "}" for n in sorted(expected)) or "no placeholder"
        got = ", ".join("{" + n + "}" for n in sorted(names)) or "none"
        return (f"has the placeholders {got}; it takes {want}",
                f"use exactly {want} (the program fills them in); write {{{{ or }}}} for a brace")
    return None


def _label(kind: str, index: int, raw: Any) -> str:
    """How to name a table in a message: by its id when it has one, else by its position."""
    if isinstance(raw, dict) and isinstance(raw.get("id"), str):
        return f"{kind} '{raw['id']}'"
    return f"{kind} #{index + 1}"


def _put(node: dict, path: tuple[str, ...], value: str) -> None:
    for part in path[:-1]:
        node = node.setdefault(part, {})
    node[path[-1]] = value


def _leaves(node: dict, prefix: tuple[str, ...] = ()):
    for key, value in node.items():
        if isinstance(value, dict):
            yield from _leaves(value, (*prefix, key))
        else:
            yield (*prefix, key), value


def _texts(node: Any, prefix: tuple[str, ...] = ()):
    """Every string in parsed TOML with its path, inside tables and arrays (of tables) alike."""
    if isinstance(node, str):
        yield prefix, node
    elif isinstance(node, dict):
        for key, value in node.items():
            yield from _texts(value, (*prefix, key))
    elif isinstance(node, list):
        for n, value in enumerate(node):
            yield from _texts(value, (*prefix, str(n + 1)))


def _quote(key: str) -> str:
    return key if re.match(r"^[A-Za-z0-9_-]+$", key) else f'"{key}"'


def _is_kind(value: Any, kind: Any) -> bool:
    if callable(kind) and not isinstance(kind, type):
        return kind(value)
    if kind is bool:
        return isinstance(value, bool)
    if kind is list:
        return isinstance(value, list) and all(isinstance(v, str) for v in value)
    if kind == "tables":
        return isinstance(value, list) and all(isinstance(v, dict) for v in value)
    return isinstance(value, kind)


def _kind_name(kind: Any) -> str:
    names = {str: "a string", bool: "true or false", list: "a list of strings", int: "a whole number",
             dict: "a [table]", "tables": "a list of [[tables]]"}
    return names.get(kind, getattr(kind, "description", str(kind)))

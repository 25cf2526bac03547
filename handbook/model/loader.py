"""The loader: reads ``content/`` kind by kind, in the order they depend on one another, and
collects every problem; each kind of content is read and validated by its own module
(plans, items, situations, pictograms, glossary, communes, wizard, strings; the procedure in
:mod:`.procedure`, a commune's own folder in :mod:`.commune_folder`).

Every problem found is reported as ``path:line: what is wrong`` followed by ``fix: ...``;
they are raised together as one :class:`ContentError`, so no page is written from a model
that failed.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from . import procedure as procedure_module
from . import commune_folder, communes, glossary, items, lexicon, pictograms, plans, situations, strings, wizard
from .base import COMMUNE_ENV, KIOSK_IDLE, REFERENCE_NOTE, VOICE_RE, ContentError, Problem, Source, _is_kind, _kind_name, _leaves
from .narrow import for_commune
from .records import Citation, Model, parse_citation


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
    loader = Loader(root, content, problems)
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


class Loader:
    """Reads ``content/`` kind by kind; what each kind's module may use of it is
    :class:`.reader.Reader`."""

    def __init__(self, root: Path, content: Path, problems: list[Problem]):
        self.root = root
        self.content = content
        self.problems = problems
        self.coverage = False

    def source(self, rel: str) -> Source:
        return Source(self.root, self.content / rel, self.problems)

    def tables(self, rel: str, name: str) -> tuple[Source, list[tuple[int | None, Any]] | None]:
        """A file of ``[[name]]`` tables, each with the line of its header; None when the file
        cannot be read. An unknown key beside the tables is reported, and the tables are still
        read, so it is reported alone."""
        src = self.source(rel)
        if not src.ok or (not self.fields(src, 1, src.data, {name: "tables"}, {}, rel)
                          and not _is_kind(src.data.get(name), "tables")):
            return src, None
        return src, src.entries(name)

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
        self.voices: dict[str, str] = {}
        if config.ok and self.fields(config, 1, config.data, {"languages": list},
                                     {"kiosk_idle_seconds": int, "voices": dict}, "handbook.toml"):
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
            for lang, voice in (config.data.get("voices", {}) if languages else {}).items():
                if lang not in languages or not isinstance(voice, str) or not VOICE_RE.match(voice):
                    config.error(config.find_key(lang, config.find_key("voices") or 1) or config.find_key("voices"),
                                 f"voices: '{lang}' = {voice!r} is not a listed language with a speech "
                                 "engine voice name",
                                 'name a voice of espeak-ng (espeak-ng --voices), e.g. vi = "vi"; a language '
                                 "with no voice is left out (it is spoken through recordings only)")
                else:
                    self.voices[lang] = voice
        # the stages of a file are the checklist's phases; their variants are read after the wizard
        procedure_src, phases = procedure_module.stage_ids(self)
        self.languages, self.phases = languages, phases
        # A file with a problem of its own is "unreliable": references into it are not checked,
        # so one mistake is reported once, not again by everything that points at it.
        self.unreliable: set[str] = set()
        self.icon_sets, self.pictograms = pictograms.load(self)
        self.plans = self.tracked("plans", lambda: plans.load(self))
        self.items = self.tracked("items", lambda: items.load(self))
        self.situations = self.tracked("situations", lambda: situations.load(self))
        self.glossary = glossary.load(self)
        self.lexicon = lexicon.load(self)
        self.communes = communes.load(self)
        self.wizard = self.tracked("wizard", lambda: wizard.load(self))
        self.procedure = self.tracked("procedure", lambda: procedure_module.load(
            self, procedure_src, self.answer_ids, [p.id for p in self.wizard.paths], self.wizard.default))
        if not self.problems:  # a commune's own situations: answers of its wizard, from its folder
            self.wizard, self.procedure = commune_folder.wizard_answers(self, self.wizard, self.procedure)
        self.commune_paths = commune_folder.load_paths(self) if "wizard" not in self.unreliable else {}
        self.strings = strings.load(self)
        if not self.problems:
            self.secondary_checks()
        if self.problems:
            return None
        return Model(self.root, languages, phases, self.plans, self.items, self.situations,
                     self.glossary, self.communes, self.wizard, self.procedure, self.icon_sets, self.pictograms,
                     self.kiosk_idle_seconds, self.strings, untranslated=self.untranslated,
                     required=self.required_count, owned=self.owned, voices=self.voices,
                     lexicon=self.lexicon, commune_paths=self.commune_paths)


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
        strings.check_wording(self)
        for lang, src in self.string_sources.items():
            required = strings.required(self, lang)
            for path, _ in _leaves(src.data):
                if path not in required and path != ("meta", "partial"):
                    src.error(src.key_line(path[:-1], path[-1]),
                              f"unknown string {'.'.join(path)} (nothing in the model uses it)",
                              "remove it, or fix its spelling to match an id in the content"
                              + (f"; {REFERENCE_NOTE}" if path[0] == "ui" else ""))


"""content/locales/LANG.toml: every string each language must have (derived from the model),
read and checked (placeholders, word limits); a partial language shows the reference text, marked."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from . import procedure as procedure_module
from ..ui_keys import UI_KEYS
from . import commune_folder
from .base import COMMUNE_KINDS, PLACEHOLDERS, SHORT_WORDS, UNTRANSLATED, Source, _leaves, _put, _quote
from .records import readings_of

if TYPE_CHECKING:  # pragma: no cover
    from .reader import Reader


def required(loader: Reader, lang: str) -> dict[tuple[str, ...], None]:
    """Every string path a language must define, derived from the model."""
    keys: dict[tuple[str, ...], None] = {}

    def need(*path: str) -> None:
        keys[path] = None

    need("meta", "name")
    for key in UI_KEYS:  # the strings the code uses (handbook/ui_keys.py)
        need("ui", key)
    for phase in loader.phases:
        need("phases", phase)
    for kind in COMMUNE_KINDS:
        need("commune_kinds", kind)
    for pid, plan in loader.plans.items():
        need("plans", pid, "title")
        need("plans", pid, "short")
        need("plans", pid, "label")
        if lang != loader.languages[0]:
            for block in plan.blocks:
                need("plans", pid, "blocks", block.id)
    for sid in loader.situations:
        for key in ("title", "summary", "audience"):
            need("situations", sid, key)
    for iid in loader.items:
        need("items", iid, "text")
        need("items", iid, "short")
    for tid in loader.glossary:
        need("glossary", tid, "term")
        need("glossary", tid, "abbr")  # the words as the text of this language writes them
        need("glossary", tid, "meaning")
    for question in loader.wizard.questions:
        need("questions", question.id, "title")
        need("questions", question.id, "hint")
        for answer in question.answers:
            need("answers", answer, "label")
    for pid in loader.pictograms:
        need("pictograms", pid, "alt")
    for path in loader.wizard.paths:
        need("paths", path.id, "title")
        need("paths", path.id, "reason")
    for cid, paths in getattr(loader, "commune_paths", {}).items():  # in a commune's own words
        for pid in paths:
            need("commune_paths", cid, pid, "reason")
    for reason in dict.fromkeys(r.reason for r in loader.wizard.rules if r.reason):
        need("reasons", reason, "text")
    for fact in loader.wizard.facts:
        need("facts", fact.id, "label")
        need("facts", fact.id, "text")
    for proviso in loader.procedure.provisos:
        need("provisos", proviso.id, "label")
        need("provisos", proviso.id, "text")
        need("provisos", proviso.id, "slip")
    for reading in readings_of(loader.wizard, loader.procedure):
        need("readings", reading, "text")
    for conflict in loader.procedure.conflicts:
        need("conflicts", conflict.id, "text")
    for line in loader.procedure.slip:
        need("slip_lines", line.id, "text")
    return keys


def load(loader: Reader) -> dict[str, dict[str, Any]]:
    strings: dict[str, dict[str, Any]] = {}
    loader.string_sources: dict[str, Source] = {}
    loader.untranslated: dict[str, list[tuple[str, ...]]] = {}
    loader.required_count: dict[str, int] = {}
    if not loader.languages:
        return strings
    sources = {lang: loader.source(f"locales/{lang}.toml") for lang in loader.languages}
    owned = commune_folder.merge_strings(loader, sources)  # a commune folder's own wording
    loader.owned = frozenset(owned)
    ref = sources[loader.languages[0]]
    reference = dict(_leaves(ref.data)) if ref.ok else {}
    reference.update({("plans", pid, "blocks", b.id): b.vi  # the official text itself
                      for pid, plan in loader.plans.items() for b in plan.blocks})
    for lang, src in sources.items():
        if not src.ok:
            continue
        meta = src.data.get("meta", {})
        partial = meta.get("partial", False) if isinstance(meta, dict) else False
        if not isinstance(partial, bool) or (partial and lang == loader.languages[0]):
            src.error(src.key_line(("meta",), "partial"), "[meta] partial must be true or false, "
                      "and only a translation can be partial",
                      "write partial = true while the translation is incomplete, or remove it")
            partial = False
        needed = required(loader, lang)
        loader.required_count[lang] = len(needed)
        present = dict(_leaves(src.data))
        lacking = loader.untranslated.setdefault(lang, [])
        missing: dict[tuple[str, ...], list[str]] = {}  # per table: one message, not one per key
        for path in needed:
            value = present.get(path)
            if value is None and (partial or loader.coverage or path in owned) and lang != loader.languages[0]:
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
                      + ("" if lang == loader.languages[0] else
                         "; or mark the language partial ([meta] partial = true) to show "
                         "the Vietnamese text in its place"))
        strings[lang] = src.data
        loader.string_sources[lang] = src
    return strings


def check_wording(loader: Reader) -> None:
    """Short enough to act on: a checklist step (all its parts) and a support-slip sentence
    have a word limit in every language."""
    for lang, src in loader.string_sources.items():
        texts = loader.strings[lang]
        seen: set[frozenset[str]] = set()
        for stage in loader.procedure.stages:
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
        for line in loader.procedure.slip:
            words = len(texts["slip_lines"][line.id]["text"].split())
            if words > procedure_module.SLIP_WORDS:
                src.error(src.key_line(("slip_lines",), f"{line.id}.text") or src.key_line(("slip_lines",)),
                          f"slip_lines.{line.id} has {words} words",
                          f"a support-slip sentence has at most {procedure_module.SLIP_WORDS} words, "
                          "in plain language")


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



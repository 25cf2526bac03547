"""One commune's handbook: the whole validated model narrowed to the plans in force for it."""

from __future__ import annotations

from dataclasses import replace

from . import procedure as procedure_module
from . import commune_folder
from .base import ContentError, Problem
from .records import Citation, Model


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
            for (plan, section), targets in corresponding.items():
                if c.plan == plan and (c.section == section or c.section.startswith(section + ".")):
                    out.extend(Citation(to_plan, to_section) for to_plan, to_section in targets)
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
    # a commune whose plan names none of the known situations (only its own) has no procedure
    # path: its handbook has its guides and plan, and a wizard that offers no path
    paths = tuple(replace(p, cites=cites(p.cites)) for p in wizard.paths if cites(p.cites))
    own_paths = model.commune_paths.get(commune_id)
    strings = model.strings
    if own_paths is not None:  # a commune's own folder: the paths its plan gives, in its words
        paths, strings = commune_folder.own_paths(model, commune_id, own_paths)
    path_ids = {p.id for p in paths}
    # without its own plan's default path, a commune's wizard names no path when no rule gives one
    default = wizard.default if wizard.default in path_ids else None
    rules = []
    for rule in wizard.rules:
        if cites(rule.cites):  # a rule whose path is not there proposes the default one instead
            # (a commune's own folder: every path says its plan's reason, never the shared one)
            rules.append(replace(rule, cites=cites(rule.cites),
                                 guides=known(tuple(dict.fromkeys(guides.get(g, g) for g in rule.guides)), situations),
                                 path=rule.path if rule.path in path_ids else default,
                                 reason=rule.reason if rule.path in path_ids and own_paths is None else ""))
    answers = {r.when[0] for r in rules if len(r.when) == 1}  # an answer stays with its own rule
    rules = [r for r in rules if all(w in answers for w in r.when)]
    questions = tuple(q for q in (replace(q, answers=tuple(a for a in q.answers if (q.id, a) in answers))
                                  for q in wizard.questions) if q.answers)
    given = {f"{q}:{a}" for q, a in answers}
    facts = tuple(replace(f, given=known(f.given, given), cites=cites(f.cites), excludes=known(f.excludes, items))
                  for f in wizard.facts if cites(f.cites) and known(f.given, given))
    paths = tuple(replace(p, excludes=known(p.excludes, items)) for p in paths)
    narrowed_wizard = replace(wizard, questions=questions, paths=paths, rules=tuple(rules),
                              defer_cites=cites(wizard.defer_cites), default=default, facts=facts)
    conditions = given | {f"path:{p}" for p in path_ids} | {f"fact:{f.id}" for f in facts}
    items = {iid: replace(i, after=known(i.after, items), covers=known(i.covers, items)) for iid, i in items.items()}
    procedure = procedure_module.narrow(model.procedure, items, conditions, cites)
    if own_paths is not None:
        procedure = commune_folder.unannounced(procedure)
    return replace(model, plans={pid: p for pid, p in model.plans.items() if pid in keep}, items=items,
                   situations=situations, communes={commune.id: commune}, commune=commune,
                   glossary={tid: replace(t, seen_in=own(t.seen_in)) for tid, t in model.glossary.items()},
                   lexicon=model.lexicon.narrowed(guides, situations, model.glossary),
                   wizard=narrowed_wizard, procedure=procedure, strings=strings)


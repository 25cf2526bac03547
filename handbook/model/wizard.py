"""content/wizard.toml: the two questions and their answers, the procedure paths, the deferral
of network steps during an outage, and the rules that turn answers into guides and paths."""

from __future__ import annotations

from typing import TYPE_CHECKING

from . import pictograms
from .base import ID_RE, ID_RULE, QUESTIONS, _label
from .records import Citation, Fact, Question, Rule, Wizard, WizardPath

if TYPE_CHECKING:  # pragma: no cover
    from .reader import Reader


def load(loader: Reader) -> Wizard:
    src = loader.source("wizard.toml")
    empty = Wizard((), (), (), loader.phases[-1] if loader.phases else "", ())
    loader.answer_ids: dict[str, str] = {}
    if not src.ok or not loader.fields(
            src, 1, src.data, {"question": "tables", "path": "tables", "rule": "tables",
                               "defer": dict}, {"fact": "tables"}, "wizard.toml"):
        return empty
    data = src.data

    def check_ids(ids, known, line, what, kind_fix):
        source = {"guide": "situations", "item": "items", "answer": "answers"}.get(kind_fix)
        if source in loader.unreliable:
            return
        for value in ids:
            if value not in known:
                src.error(src.find(f'"{value}"', line or 1), f"{what}: unknown {kind_fix} '{value}'",
                          f"use one of: {', '.join(known)}")

    questions: list[Question] = []
    answer_ids: dict[str, str] = {}
    for n, raw in enumerate(data["question"]):
        line = src.table_starts("question")[n] if n < len(src.table_starts("question")) else None
        if not loader.fields(src, line, raw, {"id": str, "answers": list}, {}, _label("question", n, raw)):
            continue
        if raw["id"] not in QUESTIONS or raw["id"] in (q.id for q in questions):
            src.error(src.find("id", line or 1), f"question '{raw['id']}' is unknown or listed twice",
                      f"the wizard asks exactly these questions, once each: {', '.join(QUESTIONS)}")
            loader.unreliable.add("answers")  # every rule's answers would be reported again
        for answer in raw["answers"]:
            if answer in answer_ids or not ID_RE.match(answer):
                src.error(src.find(f'"{answer}"', line or 1),
                          f"answer '{answer}' is a duplicate or malformed",
                          f"give every answer, across all questions, its own id, {ID_RULE}")
                loader.unreliable.add("answers")
            answer_ids[answer] = raw["id"]
        questions.append(Question(raw["id"], tuple(raw["answers"])))
    loader.answer_ids = answer_ids
    known_answers = [f"{q}:{a}" for a, q in answer_ids.items()]

    paths: list[WizardPath] = []
    starts = src.table_starts("path")
    for n, raw in enumerate(data["path"]):
        line = starts[n] if n < len(starts) else None
        if not loader.fields(src, line, raw, {"id": str, "cites": list}, {"reading": str, "excludes": list},
                           _label("path", n, raw)):
            continue
        what = f"path '{raw['id']}'"
        cites = tuple(c for c in (loader.citation(src, line, x, what) for x in raw["cites"]) if c)
        check_ids(raw.get("excludes", []), list(loader.items), line, what, "item")
        paths.append(WizardPath(raw["id"], cites, raw.get("reading", ""), tuple(raw.get("excludes", []))))
    if not paths:
        src.error(None, "no procedure path is defined", "add [[path]] tables, most constrained first")
    path_ids = [p.id for p in paths]

    defer = data["defer"]
    defer_line = src.find("[defer]")
    defer_cites: tuple[Citation, ...] = ()
    if loader.fields(src, defer_line, defer, {"phase": str, "cites": list}, {}, "[defer]"):
        if defer["phase"] not in loader.phases:
            src.error(src.find("phase", defer_line or 1), f"[defer]: unknown phase '{defer['phase']}'",
                      f"use one of: {', '.join(loader.phases)}")
        defer_cites = tuple(c for c in (loader.citation(src, defer_line, x, "[defer]")
                                        for x in defer["cites"]) if c)

    rules: list[Rule] = []
    starts = src.table_starts("rule")
    optional = {"guides": list, "path": str, "defer_network": bool, "pictogram": str, "reading": str,
                "reason": str}
    for n, raw in enumerate(data["rule"]):
        line = starts[n] if n < len(starts) else None
        if not loader.fields(src, line, raw, {"id": str, "when": list, "cites": list}, optional,
                           _label("rule", n, raw)):
            continue
        what = f"rule '{raw['id']}'"
        if raw["id"] in {r.id for r in rules}:
            src.error(line, f"duplicate rule id '{raw['id']}'", "give every rule its own id")
            continue
        if not raw["when"]:
            src.error(line, f"{what} has an empty 'when'", 'list the answers, e.g. ["who:elderly"]')
        check_ids(raw["when"], known_answers, line, what, "answer")
        check_ids(raw.get("guides", []), list(loader.situations), line, what, "guide")
        if "path" in raw:
            check_ids([raw["path"]], path_ids, line, what, "path")
        cites = tuple(c for c in (loader.citation(src, line, x, what) for x in raw["cites"]) if c)
        if "pictogram" in raw:
            pictograms.ref(loader, src, line, raw["pictogram"], what)
        rules.append(Rule(raw["id"], tuple(tuple(w.split(":", 1)) for w in raw["when"]),
                          tuple(raw.get("guides", [])), raw.get("path"), raw.get("defer_network", False),
                          cites, raw.get("pictogram", ""), raw.get("reading", ""), raw.get("reason", "")))
        if raw.get("reason") and not raw.get("path"):
            src.error(src.find("reason", line or 1), f"{what} gives a reason but no path",
                      "remove reason, or give the rule the path it is the reason for")
    for question in questions if "answers" not in loader.unreliable else ():
        for answer in question.answers:
            single = [r for r in rules if r.when == ((question.id, answer),)]
            if not single:
                src.error(src.find(f'"{answer}"'), f"answer '{answer}' has no rule of its own",
                          f'add a [[rule]] with when = ["{question.id}:{answer}"]')
            elif not single[0].pictogram:
                src.error(src.find(f'"{question.id}:{answer}"'),
                          f"rule '{single[0].id}' gives answer '{answer}' no pictogram",
                          'add pictogram = "ID" (content/pictograms.toml): it is the answer\'s tile')
    facts: list[Fact] = []
    starts = src.table_starts("fact")
    for n, raw in enumerate(data.get("fact", [])):
        line = starts[n] if n < len(starts) else None
        if not loader.fields(src, line, raw, {"id": str, "given": list, "cites": list}, {"excludes": list},
                             _label("fact", n, raw)):
            continue
        what = f"fact '{raw['id']}'"
        if not ID_RE.match(raw["id"]) or raw["id"] in {f.id for f in facts}:
            src.error(line, f"{what}: the id is malformed or used twice", f"give every fact its own id, {ID_RULE}")
        if not raw["given"]:
            src.error(line, f"{what} is given by no answer", 'list the answers that imply it, e.g. '
                      '["situation:forgot-password"]')
        check_ids(raw["given"], known_answers, line, what, "answer")
        check_ids(raw.get("excludes", []), list(loader.items), line, what, "item")
        if not raw["cites"]:
            src.error(line, f"{what} cites nothing", "cite the plan sections that say what the answer implies")
        cites = tuple(c for c in (loader.citation(src, line, x, what) for x in raw["cites"]) if c)
        facts.append(Fact(raw["id"], tuple(raw["given"]), cites, tuple(raw.get("excludes", []))))
    return Wizard(tuple(questions), tuple(paths), tuple(rules), defer.get("phase", ""), defer_cites,
                  paths[-1].id if paths else None, tuple(facts))

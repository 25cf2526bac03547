"""Export the wizard's rule data from the validated content model (plain JSON-able dicts).

The same export feeds the command line, the tests and the browser (written into the site as
``assets/wizard/engine.json`` together with the engine's source)."""

from __future__ import annotations

from handbook.model import Model


def export(model: Model) -> dict:
    wizard = model.wizard
    expand = model.expand
    return {
        "languages": list(model.languages),
        "phases": list(model.phases),
        "questions": [{"id": q.id, "answers": list(q.answers)} for q in wizard.questions],
        "paths": [{"id": p.id, "cites": [str(c) for c in p.cites], "items": expand(p.guides, p.items)}
                  for p in wizard.paths],
        "default_path": wizard.default,  # None: no path unless a rule gives one
        "defer": {"phase": wizard.defer_phase, "cites": [str(c) for c in wizard.defer_cites]},
        "rules": [{"id": r.id, "when": [list(w) for w in r.when], "items": expand(r.guides, r.items),
                   "path": r.path, "defer_network": r.defer_network, "replaces": list(r.replaces),
                   "cites": [str(c) for c in r.cites]} for r in wizard.rules],
        # canonical order: the order of content/checklist.toml
        "items": {iid: {"phase": i.phase, "network": i.network, "cites": [str(c) for c in i.cites]}
                  for iid, i in model.items.items()},
        "strings": {lang: {
            "items": {iid: model.t(lang, "items", iid, "text") for iid in model.items},
            "paths": {p.id: {"title": model.t(lang, "paths", p.id, "title"),
                             "reason": model.t(lang, "paths", p.id, "reason")} for p in wizard.paths},
            "questions": {q.id: {"title": model.t(lang, "questions", q.id, "title"),
                                 "hint": model.t(lang, "questions", q.id, "hint")}
                          for q in wizard.questions},
            "answers": {a: model.t(lang, "answers", a, "label") for _, a in wizard.answers()},
            "phases": {p: model.t(lang, "phases", p) for p in model.phases},
        } for lang in model.languages},
    }

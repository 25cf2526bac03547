"""Export the wizard's rule data from the validated content model (plain JSON-able dicts).

The same export feeds the command line, the tests and the browser (written into the site as
``assets/wizard/engine.json`` together with the engine's source)."""

from __future__ import annotations

from handbook.model import Model
from handbook.model.procedure import SLIP_LINES


def export(model: Model) -> dict:
    wizard, procedure = model.wizard, model.procedure

    def cites(values) -> list[str]:
        return [str(c) for c in values]

    return {
        "languages": list(model.languages),
        "phases": list(model.phases),
        "questions": [{"id": q.id, "answers": list(q.answers)} for q in wizard.questions],
        "paths": [{"id": p.id, "cites": cites(p.cites), "reading": p.reading, "excludes": list(p.excludes)}
                  for p in wizard.paths],
        "facts": [{"id": f.id, "given": list(f.given), "excludes": list(f.excludes), "cites": cites(f.cites)}
                  for f in wizard.facts],
        "default_path": wizard.default,  # None: no path unless a rule gives one
        "defer": {"phase": wizard.defer_phase, "cites": cites(wizard.defer_cites)},
        "rules": [{"id": r.id, "when": [list(w) for w in r.when], "path": r.path,
                   "defer_network": r.defer_network, "cites": cites(r.cites), "reading": r.reading,
                   "reason": r.reason}
                  for r in wizard.rules],
        "stages": [{"id": s.id, "way": s.way, "variants": [
            {"when": list(v.when), "any": list(v.any), "unless": list(v.unless), "reading": v.reading,
             "announce": v.announce, "also": v.also, "cites": cites(v.cites),
             "steps": [{"items": list(step), "sources": cites(sources)}
                       for step, sources in zip(v.steps, v.sources, strict=True)]}
            for v in s.variants], "moments": [list(m) for m in s.moments],
                     "skippable": s.skippable} for s in procedure.stages],
        "conflicts": [{"id": c.id, "when": list(c.when), "drop": list(c.drop), "cites": cites(c.cites)}
                      for c in procedure.conflicts],
        "slip": [{"id": line.id, "items": list(line.items), "unless": list(line.unless)} for line in procedure.slip],
        "provisos": [{"id": p.id, "when": list(p.when), "start": p.start, "cites": cites(p.cites)}
                     for p in procedure.provisos],
        "slip_max": SLIP_LINES,
        "items": {iid: {"phase": i.phase, "network": i.network, "staff_only": i.staff_only,
                        "after": list(i.after), "covers": list(i.covers), "cites": cites(i.cites)}
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
            "conflicts": {c.id: model.t(lang, "conflicts", c.id, "text") for c in procedure.conflicts},
            "reasons": {r.reason: model.t(lang, "reasons", r.reason, "text") for r in wizard.rules if r.reason},
            "provisos": {p.id: {"text": model.t(lang, "provisos", p.id, "text"),
                                "slip": model.t(lang, "provisos", p.id, "slip")} for p in procedure.provisos},
            "readings": {r: model.t(lang, "readings", r, "text") for r in model.readings()},
            "slip": {line.id: model.t(lang, "slip_lines", line.id, "text") for line in procedure.slip},
            "ui": {"empty": model.t(lang, "ui", "wizard_empty"), "skipped": model.t(lang, "ui", "wizard_stage_skipped"),
                   "no_path": model.t(lang, "ui", "wizard_no_path")},
        } for lang in model.languages},
    }

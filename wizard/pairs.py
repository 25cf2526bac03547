"""Every pair of answers, and how the procedure for both relates to the procedure for each alone.

Two answers are either compatible (the procedure for both says everything each alone says) or
settled by a stated rule: a conflict (one answer gives way, with a cited reason), a path or a
fact that excludes some steps (cited), a one-way stage done the one way the pair's path and
answers choose, or a proviso that makes later stages conditional. A step lost for any other
reason is *unexplained*: the tests refuse that in every build, and /wizard/rules/ shows the
whole table so staff can check it.

Standard library only, like the engine it runs.
"""

from __future__ import annotations

from itertools import combinations

from .engine import Engine


def said(result: dict, items: dict) -> set[str]:
    """The items a result states: its steps' parts, and the items those cover."""
    parts = {p for step in result["items"] for p in step["parts"]}
    return parts | {c for p in parts for c in items[p].get("covers", ())}


def compare(engine: Engine, chosen: list[tuple[str, str]], lang: str | None = None,
            alone: dict | None = None) -> dict:
    """The procedure for ``chosen`` answers against each answer alone: what each alone gives
    that the whole does not, and the rule that settles it. ``alone``: each answer's own result,
    when the caller has them already."""
    data = engine.data
    items = data["items"]
    way = {s["id"]: s["way"] for s in data["stages"]}

    def decide(answers):
        return engine.decide(who=[a for q, a in answers if q == "who"],
                             situation=[a for q, a in answers if q == "situation"], lang=lang)

    whole = decide(chosen)
    have = said(whole, items)
    held = {f"fact:{f}" for f in whole["facts"]} | ({f"path:{whole['path']['id']}"} if whole["path"] else set())
    excluding = [(f"path:{p['id']}", set(p["excludes"])) for p in data["paths"]]
    excluding += [(f"fact:{f['id']}", set(f["excludes"])) for f in data.get("facts", [])]
    given = {f"{q}:{a}" for q, a in chosen}
    down = any(r["defer_network"] and {f"{q}:{a}" for q, a in r["when"]} <= given for r in data["rules"])
    dropped = {d for c in data["conflicts"] if {f"{q}:{a}" for q, a in chosen} >= set(c["when"]) for d in c["drop"]}
    row = {"answers": [f"{q}:{a}" for q, a in chosen], "path": whole["path"]["id"] if whole["path"] else None,
           "paths": [], "conflicts": [n["id"] for n in whole["notes"]], "excluded": {}, "ways": [],
           "provisos": [p["id"] for p in whole["provisos"]], "dropped": [], "unexplained": []}
    for answer in chosen:
        single = alone[answer] if alone and answer in alone else decide([answer])
        if single["path"] and row["path"] != single["path"]["id"]:
            row["paths"].append(single["path"]["id"])
        for step in single["items"]:
            for p in step["parts"]:
                if p in have:
                    continue
                by = next((cond for cond, ex in excluding if p in ex and cond in held), None)
                if by:
                    row["excluded"].setdefault(by, []).append(p)
                elif f"{answer[0]}:{answer[1]}" in dropped:
                    row["dropped"].append(p)
                elif way[items[p]["phase"]] == "one" or (down and items[p]["network"]):
                    # a one-way stage done the pair's way; or network work, during an outage
                    if items[p]["phase"] not in row["ways"]:
                        row["ways"].append(items[p]["phase"])
                else:
                    row["unexplained"].append(p)
    row["paths"] = list(dict.fromkeys(row["paths"]))
    row["excluded"] = {k: list(dict.fromkeys(v)) for k, v in row["excluded"].items()}
    row["dropped"] = list(dict.fromkeys(row["dropped"]))
    row["settled"] = bool(row["conflicts"] or row["excluded"] or row["ways"] or row["provisos"]
                          or row["dropped"] or row["paths"])
    return row


def pairs(data: dict, lang: str | None = None) -> list[dict]:
    """Every pair of answers of a build, in the order the questions list them."""
    engine = Engine(data)
    answers = [(q["id"], a) for q in data["questions"] for a in q["answers"]]
    alone = {(q, a): engine.decide(**{q: [a]}, lang=lang) for q, a in answers}  # each once, not per pair
    return [compare(engine, [a, b], lang, alone) for a, b in combinations(answers, 2)]

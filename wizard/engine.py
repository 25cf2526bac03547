"""The wizard's engine: answers in, ONE procedure out.

Pure and standard-library only: it runs the same in CPython and in Pyodide. The rules are data
(see ``wizard.data.export``, made from content/wizard.toml and content/procedure.toml); nothing
here knows any answer, item, stage or plan by name.

    decide(data, who=["elderly"], situation=["outage"], lang="vi")
    → {"path": {"id", "reason", "sources"} or None (no rule gives one and there is no default),
       "items": [{"id", "text", "phase", "sources", "needs_network", "parts", "deferred"}, ...],
       "stages": [{"id", "plans", "proviso"}, or {"id", "skipped": True, "sources", "proviso"}],
       "notes": [{"id", "text", "sources"}], "facts": [fact ids that hold],
       "provisos": [{"id", "start", "text", "slip", "sources"}], "readings": [{"id", "text"}],
       "slip": [{"id", "text", "sources", "proviso"}]}
    ("proviso": the id of the proviso that governs that stage or line, else None.)

How: answers that cannot both hold are settled first (the one that gives way is dropped, with a
note); then what the answers imply (facts) is added. The matched rules offer paths; the most
constrained is the path, and its reason is what the rules that gave it say. Then each stage, in
order, is done one way (the first variant whose conditions hold, plus a commune's own steps
marked "also") or, for care steps, every way that holds; a step that another chosen step already says is merged into it; during an outage a
staff-only network step waits for the network; within a stage, steps follow the stage's moments
(the order of a visit), then the items' `after`.
"""

from __future__ import annotations

from typing import Iterable


class UnknownAnswer(ValueError):
    """An answer id (or language) that the rules do not know; lists the valid ones."""

    def __init__(self, field: str, unknown: list[str], valid: list[str]):
        self.field, self.unknown, self.valid = field, unknown, valid
        super().__init__(f"unknown {field} {', '.join(unknown)}; valid: {', '.join(valid)}")


class Engine:
    """The rule data, indexed once; ``decide`` is then a few set operations and one sort."""

    def __init__(self, data: dict):
        self.data = data
        self.questions = {q["id"]: q["answers"] for q in data["questions"]}
        self.phase_rank = {p: n for n, p in enumerate(data["phases"])}
        self.path_rank = {p["id"]: n for n, p in enumerate(data["paths"])}
        self.paths = {p["id"]: p for p in data["paths"]}
        self.rules = [(frozenset(f"{q}:{a}" for q, a in r["when"]), r) for r in data["rules"]]
        self.conflicts = [(frozenset(c["when"]), c) for c in data["conflicts"]]
        self.facts = [(frozenset(f["given"]), f["id"]) for f in data.get("facts", [])]
        self.provisos = [(frozenset(p["when"]), p) for p in data.get("provisos", [])]
        self.stages = [(stage, [(frozenset(v["when"]), frozenset(v["any"]), frozenset(v["unless"]), v)
                                for v in stage["variants"]]) for stage in data["stages"]]
        self.items = data["items"]
        # an item's place in its stage's visit: the moments (at the door, seated, …) in order, and
        # within one the order they list; an item in none comes after them all
        self.visit = {iid: n for stage in data["stages"]
                      for n, iid in enumerate(i for moment in stage.get("moments", []) for i in moment)}

    def decide(self, who: Iterable[str] = (), situation: Iterable[str] = (), lang: str | None = None,
               **others: Iterable[str]) -> dict:
        data = self.data
        lang = lang or data["languages"][0]
        if lang not in data["strings"]:
            raise UnknownAnswer("language", [lang], list(data["strings"]))
        strings = data["strings"][lang]
        answers = self._answers({"who": who, "situation": situation, **others})

        notes = []
        for when, conflict in self.conflicts:
            if when <= answers:
                answers -= set(conflict["drop"])
                notes.append({"id": conflict["id"], "text": strings["conflicts"][conflict["id"]],
                              "sources": list(conflict["cites"])})

        matched = [rule for when, rule in self.rules if when <= answers]
        offered = {rule["path"] for rule in matched if rule["path"]}
        if data["default_path"]:
            offered.add(data["default_path"])
        path = min(offered, key=self.path_rank.__getitem__) if offered else None
        held = [fid for given, fid in self.facts if given & answers]  # what the answers imply
        facts = answers | {f"path:{p}" for p in offered} | {f"fact:{f}" for f in held}
        readings = [rule["reading"] for rule in matched if rule["reading"]]
        if path and self.paths[path]["reading"] and not any(rule["path"] == path for rule in matched):
            readings.append(self.paths[path]["reading"])  # the default path, by default only

        steps = []  # (stage id, parts, sources), in stage order then declaration order
        skipped = {}  # stage id → sources: skipped for now, and said so
        for stage, variants in self.stages:
            done = False  # a one-way stage is done one way; a commune's own step ("also") joins it
            for when, any_, unless, variant in variants:
                if (done and not variant.get("also")) or not (
                        when <= facts and (not any_ or any_ & facts) and not unless & facts):
                    continue
                readings += [variant["reading"]] if variant["reading"] else []
                steps += [(stage["id"], step["items"], step["sources"]) for step in variant["steps"]]
                if variant["announce"]:
                    skipped[stage["id"]] = variant["cites"]
                done = stage["way"] == "one" and not variant.get("also") or done

        items = self._merge(steps, strings, any(rule["defer_network"] for rule in matched))
        present = {part: item for item in items for part in item["parts"]}
        # stages done only if something is so (a file that may belong elsewhere): from its start on
        provisos = [p for when, p in self.provisos if when <= facts]
        governed = {}
        shown = {item["phase"] for item in items} | set(skipped)
        for proviso in provisos:
            for phase, rank in self.phase_rank.items():
                if rank >= self.phase_rank[proviso["start"]]:
                    governed.setdefault(phase, proviso["id"])
        # a proviso is said only where it governs a stage that is there
        provisos = [p for p in provisos if any(governed.get(phase) == p["id"] for phase in shown)]
        governed = {phase: pid for phase, pid in governed.items() if pid in {p["id"] for p in provisos}}
        # why this path: the reasons of the rules that gave it, for these answers; else its own
        reasons = _unique([strings["reasons"][rule["reason"]] for rule in matched
                           if rule["path"] == path and rule.get("reason")])
        return {
            "path": {"id": path, "reason": " ".join(reasons) or strings["paths"][path]["reason"],
                     "sources": _unique(self.paths[path]["cites"]
                                        + [c for rule in matched if rule["path"] == path for c in rule["cites"]])}
            if path else None,
            "items": items,
            "stages": [dict({"id": phase, "skipped": True, "sources": list(skipped[phase])} if phase in skipped else
                            {"id": phase, "plans": _unique([s.split(":", 1)[0] for item in items
                                                             if item["phase"] == phase for s in item["sources"]])},
                            proviso=governed.get(phase))
                       for phase in sorted({item["phase"] for item in items} | set(skipped),
                                           key=self.phase_rank.__getitem__)],
            "notes": notes,
            "facts": held,
            "provisos": [{"id": p["id"], "start": p["start"], "text": strings["provisos"][p["id"]]["text"],
                          "slip": strings["provisos"][p["id"]]["slip"], "sources": list(p["cites"])}
                         for p in provisos],
            "readings": [{"id": r, "text": strings["readings"][r]} for r in _unique(readings)],
            "slip": [dict(line, proviso=governed.get(line.pop("phase"))) for line in self._slip(present, items, strings)],
        }

    def _answers(self, given: dict) -> set[str]:
        answers: set[str] = set()
        for question, values in given.items():
            if question not in self.questions and not values:
                continue  # a commune's handbook may lack a question altogether (no answer left)
            if question not in self.questions:
                raise UnknownAnswer("question", [question], list(self.questions))
            values = list(values)
            unknown = sorted(set(values) - set(self.questions[question]))
            if unknown:
                raise UnknownAnswer(f"{question} answer", unknown, list(self.questions[question]))
            answers.update(f"{question}:{value}" for value in values)
        return answers

    def _merge(self, steps: list, strings: dict, defer: bool) -> list[dict]:
        """One entry per action: a step that another chosen step holds is merged into it (the
        largest, then the first, keeps the place), its sources added; then deferral and order."""
        sets = [frozenset(parts) for _, parts, _ in steps]
        # what a step says: its items, and those they cover ("directly, on substitute papers"
        # says "directly")
        says = [s.union(*(self.items[p].get("covers", ()) for p in s)) for s in sets]
        keeper = [max((j for j in range(len(steps)) if sets[i] <= says[j]), key=lambda j: (len(says[j]), -j))
                  for i in range(len(steps))]
        sources: dict[int, list[str]] = {}
        for i, k in enumerate(keeper):
            sources.setdefault(k, []).extend(steps[i][2])
        defer_to, defer_cites = self.data["defer"]["phase"], self.data["defer"]["cites"]
        items = []
        for index, (stage, parts, _) in enumerate(steps):
            if keeper[index] != index:
                continue
            networked = [p for p in parts if self.items[p]["network"]]
            deferred = defer and bool(networked) and all(self.items[p]["staff_only"] for p in networked)
            items.append({"id": parts[0], "text": " ".join(strings["items"][p] for p in parts),
                          "phase": defer_to if deferred else stage,
                          "sources": _unique(sources[index] + (defer_cites if deferred else [])),
                          "needs_network": bool(networked), "parts": list(parts), "deferred": deferred})
        return self._order(items)

    def _order(self, items: list[dict]) -> list[dict]:
        """By phase; within a phase, in the order of the visit (a step of several items at its
        first item's place), then after what each step's items come `after`, else as chosen."""
        ordered = []
        last = len(self.visit)
        for phase in sorted({i["phase"] for i in items}, key=self.phase_rank.__getitem__):
            waiting = sorted((i for i in items if i["phase"] == phase),
                             key=lambda i: self.visit.get(i["parts"][0], last))
            while waiting:
                here = {p for i in waiting for p in i["parts"]}
                ready = next((i for i in waiting if not any(a in here and a not in i["parts"]
                                                             for p in i["parts"] for a in self.items[p]["after"])),
                             waiting[0])  # a cycle cannot reach here: the content check refuses it
                ordered.append(ready)
                waiting.remove(ready)
        return ordered

    def _slip(self, present: dict, items: list[dict], strings: dict) -> list[dict]:
        """The citizen's support slip: the most important lines whose items are in the procedure,
        at most ``slip_max``, in procedure order; each cites what its own items cite in the steps
        that hold them (not what another item merged into the same step cites)."""
        position = {id(item): n for n, item in enumerate(items)}
        chosen = []
        candidates = {line["id"] for line in self.data["slip"] if any(i in present for i in line["items"])}
        for line in self.data["slip"]:
            mine = [i for i in line["items"] if i in present]
            if mine and not candidates & set(line.get("unless", ())):
                first = min(position[id(present[i])] for i in mine)
                chosen.append((first, line["id"], _unique([c for i in mine for c in present[i]["sources"]
                                                          if c in self.items[i]["cites"]]), items[first]["phase"]))
            if len(chosen) == self.data["slip_max"]:
                break
        return [{"id": lid, "text": strings["slip"][lid], "sources": sources, "phase": phase}
                for _, lid, sources, phase in sorted(chosen, key=lambda c: c[0])]


def _unique(values: list[str]) -> list[str]:
    return list(dict.fromkeys(values))


_engines: dict[int, Engine] = {}


def decide(data: dict, who: Iterable[str] = (), situation: Iterable[str] = (),
           lang: str | None = None) -> dict:
    """Convenience wrapper that indexes ``data`` once per data object."""
    engine = _engines.get(id(data))
    if engine is None or engine.data is not data:
        engine = _engines[id(data)] = Engine(data)
    return engine.decide(who=who, situation=situation, lang=lang)

"""The wizard's engine: answers in, a procedure path and a checklist out.

Pure and standard-library only: it runs the same in CPython and in Pyodide. The rules are data
(see ``wizard.data.export``, made from content/wizard.toml); nothing here knows any answer,
item or plan by name.

    decide(data, who=["elderly"], situation=["outage"], lang="vi")
    → {"path": {"id", "reason", "sources"} or None (no rule gives one and there is no default),
       "items": [{"id", "text", "phase", "sources", "needs_network"}, ...]}
"""

from __future__ import annotations

from typing import Iterable


class UnknownAnswer(ValueError):
    """An answer id (or language) that the rules do not know; lists the valid ones."""

    def __init__(self, field: str, unknown: list[str], valid: list[str]):
        self.field, self.unknown, self.valid = field, unknown, valid
        super().__init__(f"unknown {field} {', '.join(unknown)}; valid: {', '.join(valid)}")


class Engine:
    """The rule data, indexed once; ``decide`` is then a few set operations."""

    def __init__(self, data: dict):
        self.data = data
        self.questions = {q["id"]: q["answers"] for q in data["questions"]}
        self.phase_rank = {p: n for n, p in enumerate(data["phases"])}
        self.item_rank = {iid: n for n, iid in enumerate(data["items"])}
        self.path_rank = {p["id"]: n for n, p in enumerate(data["paths"])}
        self.paths = {p["id"]: p for p in data["paths"]}
        self.rules = [(frozenset(f"{q}:{a}" for q, a in r["when"]), r) for r in data["rules"]]

    def decide(self, who: Iterable[str] = (), situation: Iterable[str] = (), lang: str | None = None,
               **others: Iterable[str]) -> dict:
        data = self.data
        lang = lang or data["languages"][0]
        if lang not in data["strings"]:
            raise UnknownAnswer("language", [lang], list(data["strings"]))
        given = {"who": who, "situation": situation, **others}
        answers: set[str] = set()
        for question, values in given.items():
            if question not in self.questions:
                raise UnknownAnswer("question", [question], list(self.questions))
            values = list(values)
            unknown = sorted(set(values) - set(self.questions[question]))
            if unknown:
                raise UnknownAnswer(f"{question} answer", unknown, list(self.questions[question]))
            answers.update(f"{question}:{value}" for value in values)

        matched = [rule for when, rule in self.rules if when <= answers]
        replaced = {rid for rule in matched for rid in rule["replaces"]}
        matched = [rule for rule in matched if rule["id"] not in replaced]

        offered = {rule["path"] for rule in matched if rule["path"]}
        path = min(offered, key=self.path_rank.__getitem__) if offered else data["default_path"]
        path_data = self.paths[path] if path else {"cites": [], "items": []}
        path_sources = list(path_data["cites"])
        for rule in matched:
            if rule["path"] == path:
                path_sources += rule["cites"]

        wanted = {iid for rule in matched for iid in rule["items"]} | set(path_data["items"])
        defer = any(rule["defer_network"] for rule in matched)
        strings = data["strings"][lang]
        items = []
        for iid in wanted:
            item = data["items"][iid]
            phase, sources = item["phase"], list(item["cites"])
            if defer and item["network"]:
                phase = data["defer"]["phase"]
                sources += data["defer"]["cites"]
            items.append({"id": iid, "text": strings["items"][iid], "phase": phase,
                          "sources": _unique(sources), "needs_network": item["network"]})
        items.sort(key=lambda i: (self.phase_rank[i["phase"]], self.item_rank[i["id"]]))
        return {"path": {"id": path, "reason": strings["paths"][path]["reason"],
                         "sources": _unique(path_sources)} if path else None,
                "items": items}


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

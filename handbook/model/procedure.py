"""The procedure a file goes through at the counter (content/procedure.toml): ordered stages,
each done one way (or, for care steps, all matching ways merged), the answers that cannot both
hold, and the lines of the citizen's support slip.

Standard library only: it also runs inside Pyodide. Validation reports ``file:line`` and a fix
through the loader's :class:`~handbook.model.Source`, like every other content file.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from .base import ID_RE

if TYPE_CHECKING:  # pragma: no cover
    from .base import Source
    from .reader import Reader
    from .records import Citation

FILE = "procedure.toml"
WAYS = ("one", "all")
STEP_WORDS = 70  # a checklist step, all its parts together, in any language (Vietnamese: syllables)
SLIP_WORDS = 25  # a sentence of the citizen's support slip
SLIP_LINES = 5  # at most this many sentences on a slip


@dataclass(frozen=True)
class Variant:
    stage: str
    when: tuple[str, ...]  # conditions that must all hold: "question:answer" or "path:ID"
    any: tuple[str, ...]  # one of these must hold (when given)
    unless: tuple[str, ...]  # none of these may hold
    steps: tuple[tuple[str, ...], ...]  # item ids; a tuple of several is one step
    cites: tuple["Citation", ...] = ()  # the sections this variant stands on
    sources: tuple[tuple["Citation", ...], ...] = ()  # per step: its items' sections under `cites`
    reading: str = ""  # the handbook's interpretation ([readings.ID])
    line: int | None = None
    announce: bool = False  # (no steps) the result says the stage is skipped for now: it needs the network
    also: bool = False  # (a commune's own action, one-way stage) added to the way the stage is done

    @property
    def items(self) -> list[str]:
        return [iid for step in self.steps for iid in step]


@dataclass(frozen=True)
class Stage:
    id: str
    way: str  # "one": the first variant that holds; "all": every variant that holds
    required: bool
    variants: tuple[Variant, ...]
    # the order of a visit: the stage's items in groups, done group by group and, within one, in
    # the order listed (care steps: at the door, seated, the conversation, while the file is
    # handled); a step goes at its first item's place; empty: the variants' order
    moments: tuple[tuple[str, ...], ...] = ()
    # a stage whose purpose is served another way when it is skipped (the account, during an
    # outage, when the file is on paper): only such a stage may be skipped "for now"
    skippable: bool = False


@dataclass(frozen=True)
class Conflict:
    id: str
    when: tuple[str, ...]
    drop: tuple[str, ...]
    cites: tuple["Citation", ...]


@dataclass(frozen=True)
class Proviso:
    """While its conditions hold, the stages from ``start`` on are done only if something is so
    (a file that may belong elsewhere is filed here only if it is handled here): the checklist
    and the slip say the condition once, before the first of those stages."""
    id: str
    when: tuple[str, ...]
    start: str  # the first stage it governs; every later one too
    cites: tuple["Citation", ...]


@dataclass(frozen=True)
class SlipLine:
    id: str
    items: tuple[str, ...]
    unless: tuple[str, ...] = ()  # lines that, when shown, already say this one


@dataclass(frozen=True)
class Procedure:
    stages: tuple[Stage, ...]
    conflicts: tuple[Conflict, ...]
    slip: tuple[SlipLine, ...]
    provisos: tuple[Proviso, ...] = ()

    @property
    def readings(self) -> list[str]:
        return [v.reading for s in self.stages for v in s.variants if v.reading]


EMPTY = Procedure((), (), ())


def related(a: "Citation", b: "Citation") -> bool:
    """The same section, or one inside the other (III.1 and III.1.2)."""
    return a.plan == b.plan and (a.section == b.section or a.section.startswith(b.section + ".")
                                 or b.section.startswith(a.section + "."))


def step_sources(step: tuple[str, ...], items: dict, cites: tuple["Citation", ...]) -> tuple["Citation", ...]:
    """What a step cites in a variant: its items' sections that the variant stands on."""
    found = [c for iid in step for c in items[iid].cites if any(related(c, v) for v in cites)]
    return tuple(dict.fromkeys(found))


def stage_ids(loader: "Reader") -> tuple["Source", list[str]]:
    """The stages' ids in order (the checklist's phases): read before the items, which name them."""
    src = loader.source(FILE)
    ids: list[str] = []
    if not src.ok:
        return src, ids
    stages = src.data.get("stage")
    if not isinstance(stages, list) or not all(isinstance(s, dict) for s in stages) or not stages:
        src.error(1, "no [[stage]] is defined", "list the stages a file goes through, in order, "
                  "as [[stage]] tables")
        return src, ids
    starts = src.table_starts("stage")

    for n, raw in enumerate(stages):
        sid = raw.get("id")
        line = starts[n] if n < len(starts) else None
        if not isinstance(sid, str) or not ID_RE.match(sid):
            src.error(line, f"stage #{n + 1} has no lower-case-with-dashes id", 'add id = "submit", for example')
        elif sid in ids:
            src.error(line, f"stage '{sid}' is listed twice", "give every stage its own id")
        else:
            ids.append(sid)
    return src, ids


def load(loader: "Reader", src: "Source", answers: dict[str, str], paths: list[str],
         default: str | None) -> Procedure:
    """Validate the whole procedure once the items, answers and paths are known."""
    if not src.ok or not loader.fields(src, 1, src.data, {"stage": "tables"},
                                       {"conflict": "tables", "slip": "tables", "proviso": "tables"}, FILE):
        return EMPTY
    items = loader.items
    check_items = "items" not in loader.unreliable
    problems_before = len(loader.problems)
    facts = loader.wizard.facts
    known = ({f"{q}:{a}" for a, q in answers.items()} | {f"path:{p}" for p in paths}
             | {f"fact:{f.id}" for f in facts})

    def conditions(values: list[str], line: int | None, what: str) -> tuple[str, ...]:
        for value in values:
            if value not in known and "wizard" not in loader.unreliable:
                src.error(src.find(f'"{value}"', line or 1), f"{what}: unknown condition '{value}'",
                          "write question:answer (e.g. situation:outage), path:ID or fact:ID, using "
                          "ids of content/wizard.toml")
        return tuple(values)

    step_sets: dict[frozenset[str], tuple[int | None, str]] = {}
    stages: list[Stage] = []
    starts = src.table_starts("stage")
    variant_lines = [n for n, text in enumerate(src.lines, 1) if text.strip().startswith("[[stage.variant]]")]
    cursor = 0
    for n, raw in enumerate(src.data["stage"]):
        line = starts[n] if n < len(starts) else None
        if not loader.fields(src, line, raw, {"id": str, "way": str, "variant": "tables"},
                             {"required": bool, "moments": list_of_steps, "skippable": bool},
                             f"stage #{n + 1}" if not isinstance(raw.get("id"), str) else f"stage '{raw['id']}'"):
            cursor += len(raw.get("variant", [])) if isinstance(raw.get("variant"), list) else 0
            continue
        sid, way, required = raw["id"], raw["way"], raw.get("required", False)
        what = f"stage '{sid}'"
        if way not in WAYS:
            src.error(src.find("way", line or 1), f"{what}: way '{way}' is unknown",
                      'write way = "one" (the first variant that applies) or way = "all" (care steps, merged)')
        if required and way != "one":
            src.error(src.find("required", line or 1), f"{what}: only a one-way stage can be required",
                      "remove required = true, or make the stage way = \"one\"")
        variants: list[Variant] = []
        for raw_variant in raw["variant"]:
            vline = variant_lines[cursor] if cursor < len(variant_lines) else line
            cursor += 1
            vwhat = f"{what}, variant at line {vline}"
            if not loader.fields(src, vline, raw_variant, {"steps": list_of_steps, "cites": list},
                                 {"when": list, "any": list, "unless": list, "reading": str, "announce": bool},
                                 vwhat):
                continue
            if not raw_variant["cites"]:
                src.error(vline, f"{vwhat} cites nothing", "cite the plan sections it stands on")
            vcites = tuple(c for c in (loader.citation(src, vline, x, vwhat) for x in raw_variant["cites"]) if c)
            steps: list[tuple[str, ...]] = []
            for step in raw_variant["steps"]:
                parts = (step,) if isinstance(step, str) else tuple(step)
                if not parts:
                    src.error(vline, f"{vwhat}: a step is an empty list", "give it one or more item ids")
                    continue
                for iid in parts:
                    if check_items and iid not in items:
                        src.error(src.find(f'"{iid}"', vline or 1), f"{vwhat}: unknown item '{iid}'",
                                  "use an id from content/checklist.toml (or add the item there)")
                    elif check_items and items[iid].phase and items[iid].phase != sid:
                        src.error(src.find(f'"{iid}"', vline or 1),
                                  f"{vwhat}: item '{iid}' belongs to stage '{items[iid].phase}'",
                                  f"move the step to stage '{items[iid].phase}', or set the item's "
                                  f"phase = \"{sid}\" in content/checklist.toml")
                if len(set(parts)) != len(parts):
                    src.error(vline, f"{vwhat}: a step names an item twice", "name each item once")
                if check_items and vcites and all(iid in items for iid in parts):
                    for iid in parts:
                        if not step_sources((iid,), items, vcites):
                            src.error(src.find(f'"{iid}"', vline or 1),
                                      f"{vwhat}: item '{iid}' cites none of the variant's sections "
                                      f"({', '.join(str(c) for c in vcites)})",
                                      "cite the section the variant stands on, or use an item that "
                                      "states this action for it")
                steps.append(parts)
                step_sets.setdefault(frozenset(parts), (vline, sid))
            if not steps and way == "all":
                src.error(vline, f"{vwhat} has no steps",
                          "give it steps; only a one-way stage has a variant that skips the stage")
            if raw_variant.get("announce") and steps:
                src.error(src.find("announce", vline or 1), f"{vwhat}: only a variant without steps is announced",
                          "remove announce = true, or the steps")
            elif raw_variant.get("announce") and not raw.get("skippable", False):
                src.error(src.find("announce", vline or 1),
                          f"{vwhat} skips the stage for now, and nothing does it later: '{sid}' is not skippable",
                          "give the variant the steps that do it another way now (they must need no network), "
                          "or that explain how it is done when the network is back; only a stage whose purpose "
                          "is served another way may be marked skippable = true")
            sources = tuple(step_sources(step, items, vcites) if all(i in items for i in step) else ()
                            for step in steps)
            variant = Variant(sid, conditions(raw_variant.get("when", []), vline, vwhat),
                              conditions(raw_variant.get("any", []), vline, vwhat),
                              conditions(raw_variant.get("unless", []), vline, vwhat),
                              tuple(steps), vcites, sources, raw_variant.get("reading", ""), vline,
                              raw_variant.get("announce", False))
            variants.append(variant)
        if not variants:
            src.error(line, f"{what} has no variant", "add [[stage.variant]] tables under it")
        elif required and "wizard" not in loader.unreliable:
            last = variants[-1]
            always = {f"path:{default}"} if default else set()
            if last.any or last.unless or not set(last.when) <= always:
                src.error(last.line or line, f"{what} has no variant for some answers",
                          "end it with a variant that always applies: no condition"
                          + (f', or only when = ["path:{default}"] (the default path)' if default else ""))
        moments = stage_moments(src, line, raw.get("moments", []), sid, variants, items, check_items)
        stages.append(Stage(sid, way, required, tuple(variants), moments, raw.get("skippable", False)))

    # a step said together is one thing: two steps either never share an item or one holds the other
    sets = list(step_sets)
    for i, a in enumerate(sets):
        for b in sets[i + 1:]:
            if a & b and not (a <= b or b <= a):
                where, sid = step_sets[b]
                src.error(where, f"stage '{sid}': the step {sorted(b)} shares items with {sorted(a)} "
                          "but neither holds the other",
                          "make the steps the same, one part of the other, or without common items")

    if check_items and "wizard" not in loader.unreliable and len(loader.problems) == problems_before:
        check_exclusions(src, stages, loader.wizard, default)

    conflicts: list[Conflict] = []
    for n, (line, raw) in enumerate(src.entries("conflict")):
        if not loader.fields(src, line, raw, {"id": str, "when": list, "drop": list, "cites": list}, {},
                             f"conflict #{n + 1}"):
            continue
        what = f"conflict '{raw['id']}'"
        when = conditions(raw["when"], line, what)
        if len(set(when)) < 2 or any(w.startswith("path:") for w in when):
            src.error(line, f"{what}: 'when' must name two or more answers", 'e.g. when = ["situation:outage", '
                      '"situation:system-slow"]')
        if not raw["drop"] or not set(raw["drop"]) < set(when):
            src.error(src.find("drop", line or 1), f"{what}: 'drop' must name some, not all, of its answers",
                      "list the answers that give way")
        if raw["id"] in {c.id for c in conflicts}:
            src.error(line, f"duplicate conflict id '{raw['id']}'", "give every conflict its own id")
        cites = tuple(c for c in (loader.citation(src, line, x, what) for x in raw["cites"]) if c)
        if not raw["cites"]:
            src.error(line, f"{what} cites nothing", "cite the plan sections that give the reason")
        conflicts.append(Conflict(raw["id"], when, tuple(raw["drop"]), cites))

    slip: list[SlipLine] = []
    slip_lines: dict[str, int | None] = {}
    for n, (line, raw) in enumerate(src.entries("slip")):
        if not loader.fields(src, line, raw, {"id": str, "items": list}, {"unless": list}, f"slip line #{n + 1}"):
            continue
        what = f"slip line '{raw['id']}'"
        if raw["id"] in {s.id for s in slip}:
            src.error(line, f"duplicate slip line id '{raw['id']}'", "give every slip line its own id")
        if not raw["items"]:
            src.error(line, f"{what} names no item", "list the items the sentence stands for (its sources)")
        for iid in raw["items"]:
            if check_items and iid not in items:
                src.error(src.find(f'"{iid}"', line or 1), f"{what}: unknown item '{iid}'",
                          "use an id from content/checklist.toml")
        slip.append(SlipLine(raw["id"], tuple(raw["items"]), tuple(raw.get("unless", []))))
        slip_lines.setdefault(raw["id"], line)
    ids = [s.id for s in slip]
    for entry in slip:
        for other in entry.unless:
            if other not in ids or other == entry.id:
                src.error(src.find("unless", slip_lines[entry.id] or 1),
                          f"slip line '{entry.id}': unless names '{other}', which is not another slip line",
                          f"use one of: {', '.join(i for i in ids if i != entry.id)}")

    provisos: list[Proviso] = []
    stage_ids_ = [s.id for s in stages]
    for n, (line, raw) in enumerate(src.entries("proviso")):
        if not loader.fields(src, line, raw, {"id": str, "when": list, "start": str, "cites": list}, {},
                             f"proviso #{n + 1}"):
            continue
        what = f"proviso '{raw['id']}'"
        if raw["id"] in {p.id for p in provisos}:
            src.error(line, f"duplicate proviso id '{raw['id']}'", "give every proviso its own id")
        if not raw["when"]:
            src.error(line, f"{what} has an empty 'when'", 'e.g. when = ["fact:may-be-elsewhere"]')
        if raw["start"] not in stage_ids_:
            src.error(src.find("start", line or 1), f"{what}: unknown stage '{raw['start']}'",
                      f"use one of: {', '.join(stage_ids_)}")
        if not raw["cites"]:
            src.error(line, f"{what} cites nothing", "cite the plan section that makes the stages conditional")
        cites = tuple(c for c in (loader.citation(src, line, x, what) for x in raw["cites"]) if c)
        provisos.append(Proviso(raw["id"], conditions(raw["when"], line, what), raw["start"], cites))
    return Procedure(tuple(stages), tuple(conflicts), tuple(slip), tuple(provisos))


def check_exclusions(src: "Source", stages: list[Stage], wizard, default: str | None) -> None:
    """A path or a fact that excludes an item: no variant may give that item while it holds.
    A variant is safe when its ``unless`` names the condition (for a fact, the condition or every
    answer that gives it), or, in a one-way stage, when an earlier variant always applies while
    the condition holds (it is chosen instead)."""
    rules = [(f"path:{p.id}", p.excludes, (f"path:{p.id}",), "path") for p in wizard.paths if p.excludes]
    rules += [(f"fact:{f.id}", f.excludes, tuple(f.given), "fact") for f in wizard.facts if f.excludes]
    always = {f"path:{default}"} if default else set()
    for cond, excluded, givers, kind in rules:
        for stage in stages:
            for n, v in enumerate(stage.variants):
                bad = [i for i in v.items if i in excluded]
                if not bad or cond in v.unless or (kind == "fact" and set(givers) <= set(v.unless)):
                    continue
                if set(v.when) & set(v.unless):
                    continue  # never holds
                earlier = stage.variants[:n]
                if stage.way == "one" and all(
                        any(not w.any and not w.unless and set(w.when) <= {cond, giver} | always for w in earlier)
                        for giver in givers):
                    continue
                src.error(src.find(f'"{bad[0]}"', v.line or 1) or v.line,
                          f"stage '{stage.id}', variant at line {v.line}: gives {', '.join(bad)}, which the "
                          f"{kind} '{cond.split(':', 1)[1]}' excludes (content/wizard.toml), and nothing stops "
                          "it while that holds",
                          f'add unless = ["{cond}"] to this variant'
                          + (", or put before it a variant that applies whenever that holds"
                             if stage.way == "one" else ""))


def stage_moments(src: "Source", line: int | None, raw: list, sid: str, variants: list[Variant], items: dict,
                  check_items: bool) -> tuple[tuple[str, ...], ...]:
    """A stage's moments: each a list of its items; when a stage has them, every item its variants
    name is in exactly one, so no step of it is left without a place in the visit."""
    moments = tuple((m,) if isinstance(m, str) else tuple(m) for m in raw)
    if not moments:
        return ()
    where = src.find("moments", line or 1) or line
    seen: set[str] = set()
    for moment in moments:
        for iid in moment:
            at = src.find(f'"{iid}"', where or 1) or where
            if iid in seen:
                src.error(at, f"stage '{sid}': moments name '{iid}' twice", "keep each item in one moment")
            elif check_items and (iid not in items or items[iid].phase != sid):
                src.error(at, f"stage '{sid}': moments name '{iid}', which is not an item of this stage",
                          f"name only items whose phase is \"{sid}\" in content/checklist.toml")
            seen.add(iid)
    missing = [iid for v in variants for iid in v.items if iid not in seen]
    if missing:
        src.error(where, f"stage '{sid}': {', '.join(dict.fromkeys(missing))} "
                  f"{'is' if len(set(missing)) == 1 else 'are'} in no moment",
                  "add each to the moment of the visit it belongs to (at the door, seated, the "
                  "conversation, while the file is handled)")
    return moments


def list_of_steps(value: Any) -> bool:
    """A variant's steps: item ids, or lists of item ids (one step said together)."""
    return isinstance(value, list) and all(
        isinstance(v, str) or (isinstance(v, list) and all(isinstance(x, str) for x in v)) for v in value)


list_of_steps.description = "a list of item ids (a list of ids in it is one step)"  # type: ignore[attr-defined]


def narrow(procedure: Procedure, items: dict, known: set[str], translate) -> Procedure:
    """One commune's procedure: a variant that stands on none of its plans goes, and so does one
    whose conditions name answers or paths it lacks (it can never hold); ``any`` and ``unless``
    keep what is known; steps keep the items that stand on the variant's sections left.
    ``translate`` maps a tuple of citations to the commune's (its plans' own, or the sections of
    its own plan for the same situation), dropping the rest."""
    stages = []
    for stage in procedure.stages:
        variants = []
        for v in stage.variants:
            cites = translate(v.cites)
            any_ = tuple(c for c in v.any if c in known)
            if not cites or not set(v.when) <= known or (v.any and not any_):
                continue
            steps = tuple(s for s in (tuple(i for i in step if i in items and step_sources((i,), items, cites))
                                      for step in v.steps) if s)
            if v.steps and not steps:
                continue
            variants.append(replace(v, any=any_, unless=tuple(c for c in v.unless if c in known), steps=steps,
                                    cites=cites, sources=tuple(step_sources(s, items, cites) for s in steps)))
        moments = tuple(m for m in (tuple(i for i in moment if i in items) for moment in stage.moments) if m)
        stages.append(replace(stage, variants=tuple(variants), moments=moments))
    conflicts = tuple(replace(c, cites=translate(c.cites))
                      for c in procedure.conflicts if set(c.when) <= known)
    slip = tuple(s for s in (replace(line, items=tuple(i for i in line.items if i in items))
                             for line in procedure.slip) if s.items)
    slip = tuple(replace(s, unless=tuple(u for u in s.unless if u in {x.id for x in slip})) for s in slip)
    provisos = tuple(replace(p, cites=translate(p.cites)) for p in procedure.provisos
                     if set(p.when) <= known and translate(p.cites))
    return Procedure(tuple(stages), conflicts, slip, provisos)

"""A commune whose own plan lives in its own folder: ``content/communes/ID/``.

    commune.toml        its profile (the same fields as content/communes/ID.toml)
    plan.toml           its plan's blocks (as content/plans/ID.toml); plan.original.txt beside it
    situations.toml     its situations ([[situation]] as content/situations.toml, plus `same_as`:
                        the known situation whose wizard answers lead to this guide; for a new
                        one, `question` and `slip`: its own action whose sentence is its line on
                        the citizen's support slip)
    items.toml          its new checklist actions ([[item]], ids starting with ID-; `wizard = false`:
                        a principle or a summary the guide shows and the wizard does not), and the
                        known actions its plan states too ([[reuse]]: id, cites)
    paths.toml          the procedure paths its plan gives a basis for ([[path]]: id of a path of
                        content/wizard.toml, cites: the sections of its plan that give it); a
                        path not listed is not offered there (a commune adds no path)
    locales/LANG.toml   the wording of its plan, situations and items (vi: the plan's words), and
                        of each path's reason ([paths.ID] reason: the plan's words, from the
                        sections it cites); a string a translation lacks is shown in Vietnamese,
                        marked
    choices.toml        what a person confirmed; `reviewed = false` (or absent) marks it a draft

``make import-plan`` writes such a folder; adding a commune this way touches no shared file.
Each file is validated here, with the same messages (file, line, fix) as the shared content.
"""

from __future__ import annotations

import re
import tomllib
import unicodedata
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from . import pictograms
from .base import ID_RE, ID_RULE, ITEM_KEYS, Source, _label, _leaves, _put
from . import procedure as procedure_module
from .records import Item, Situation

if TYPE_CHECKING:  # pragma: no cover
    from .reader import Reader

FILES = ("commune.toml", "plan.toml", "situations.toml", "items.toml", "paths.toml")
MAX_STEPS = 6


def folders(loader: "Reader") -> dict[str, Path]:
    """The commune folders, by id (a folder being imported replaces its namesake)."""
    out = {}
    base = loader.content / "communes"
    if base.is_dir():
        for path in sorted(base.iterdir()):
            if path.is_dir() and not path.name.startswith(".") and (path / "commune.toml").is_file():
                out[path.name] = path
    extra = getattr(loader, "extra_commune", None)
    if extra:
        out[extra[0]] = Path(extra[1])
    return out


def is_draft(folder: Path) -> bool:
    path = folder / "choices.toml"
    if not path.is_file():
        return False  # written by hand, not imported
    try:
        return tomllib.loads(path.read_text(encoding="utf-8")).get("reviewed") is not True
    except (tomllib.TOMLDecodeError, UnicodeDecodeError):
        return True


def load_items(loader: "Reader", items: dict) -> None:
    """Each folder's new items, and the known items its plan states too (their citations)."""

    for cid, folder in folders(loader).items():
        path = folder / "items.toml"
        if not path.is_file():
            continue
        src = Source(loader.root, path, loader.problems)
        if not src.ok or not loader.fields(src, 1, src.data, {}, {"item": "tables", "reuse": "tables"},
                                           f"{cid}/items.toml"):
            continue
        starts = src.table_starts("item")
        for n, raw in enumerate(src.data.get("item", [])):
            line = starts[n] if n < len(starts) else None
            if not loader.fields(src, line, raw, *ITEM_KEYS, _label("item", n, raw)):
                continue
            iid = raw["id"]
            what = f"item '{iid}'"
            if not ID_RE.match(iid) or not iid.startswith(f"{cid}-"):
                src.error(line, f"{what}: a commune's own item id starts with '{cid}-'",
                          f"rename it {cid}-…, {ID_RULE}")
                continue
            if iid in items:
                src.error(line, f"duplicate item id '{iid}'", "give every item its own id")
                continue
            if raw["phase"] not in loader.phases:
                src.error(src.find("phase", line or 1), f"{what}: unknown phase '{raw['phase']}'",
                          f"use one of: {', '.join(loader.phases)}")
            cites = _own_cites(loader, src, line, raw["cites"], cid, what)
            pictograms.ref(loader, src, line, raw["pictogram"], what)
            items[iid] = Item(iid, raw["phase"], raw["network"], cites, raw["pictogram"],
                              raw.get("staff_only", False) and raw["network"], tuple(raw.get("after", [])),
                              commune=cid, wizard=raw.get("wizard", True))
        starts = src.table_starts("reuse")
        for n, raw in enumerate(src.data.get("reuse", [])):
            line = starts[n] if n < len(starts) else None
            if not loader.fields(src, line, raw, {"id": str, "cites": list}, {}, _label("reuse", n, raw)):
                continue
            item = items.get(raw["id"])
            if item is None or item.commune:
                src.error(src.find(f'"{raw["id"]}"', line or 1), f"reuse: '{raw['id']}' is not a known item",
                          "name an item of content/checklist.toml, or make it a new [[item]]")
                continue
            cites = _own_cites(loader, src, line, raw["cites"], cid, f"reuse of '{raw['id']}'")
            items[item.id] = replace(item, cites=tuple(dict.fromkeys(item.cites + cites)))


def _own_cites(loader, src, line, values, cid, what):
    if not values:
        src.error(line, f"{what} cites nothing", "cite the section of this commune's plan that states it")
    cites = tuple(c for c in (loader.citation(src, line, x, what) for x in values) if c)
    for c in cites:
        if c.plan != cid:
            src.error(src.find(str(c), line or 1), f"{what} cites another plan ({c})",
                      f"a commune's folder cites its own plan only: {cid}:SECTION")
    return tuple(c for c in cites if c.plan == cid)


def load_situations(loader: "Reader", situations: dict, items: dict) -> None:
    from .situations import check_sections, check_steps  # noqa: PLC0415 - it imports this module

    known = dict(situations)
    loader.answer_questions = {}  # a new situation's wizard question, when not "situation"
    for cid, folder in folders(loader).items():
        path = folder / "situations.toml"
        if not path.is_file():
            continue
        src = Source(loader.root, path, loader.problems)
        if not src.ok or not loader.fields(src, 1, src.data, {}, {"situation": "tables", "sections": dict},
                                           f"{cid}/situations.toml"):
            continue
        plan = loader.plans.get(cid)
        for cited, section in src.data.get("sections", {}).items():
            at = src.find(f'"{cited}"')
            known_cite = loader.citation(src, at, cited, "[sections]")
            if known_cite is not None and known_cite.plan == cid:
                src.error(at, f"[sections] '{cited}' is this commune's own plan", "name a section of a known plan")
            elif plan is not None and section not in plan.sections:
                src.error(at, f"[sections] '{cited}' = '{section}': no section '{section}' in plan '{cid}'",
                          f"use one of: {', '.join(plan.sections)}")
            elif known_cite is not None and plan is not None:
                plan.same_sections[cited] = section
        starts = src.table_starts("situation")
        for n, raw in enumerate(src.data.get("situation", [])):
            line = starts[n] if n < len(starts) else None
            if not loader.fields(src, line, raw, {"id": str, "plan": str, "section": str, "staff": list,
                                                  "checklist": list, "steps": list, "pictogram": str},
                                 {"support": list, "same_as": str, "question": str, "slip": str},
                                 _label("situation", n, raw)):
                continue
            sid = raw["id"]
            what = f"situation '{sid}'"
            if not ID_RE.match(sid) or not sid.startswith(f"{cid}-") or sid in situations:
                src.error(line, f"{what}: id must be new and start with '{cid}-'", f"rename it {cid}-…")
                continue
            if raw["plan"] != cid or plan is None:
                src.error(src.find("plan", line or 1), f"{what}: plan must be this commune's own ('{cid}')",
                          f'write plan = "{cid}" (and keep plan.toml in this folder)')
                continue
            check_sections(src, line, raw, what, plan)
            same_as = raw.get("same_as", "")
            if same_as and same_as not in known:
                src.error(src.find("same_as", line or 1), f"{what}: same_as '{same_as}' is not a known situation",
                          f"use one of: {', '.join(known)}; or remove same_as (a new situation)")
            for iid in raw["checklist"]:
                if iid not in items or (items[iid].commune not in ("", cid)):
                    src.error(src.find(f'"{iid}"', line or 1), f"{what}: unknown checklist item '{iid}'",
                              f"define it in {cid}/items.toml or name an item of content/checklist.toml")
                elif not any(c.plan == cid for c in items[iid].cites):
                    src.error(src.find(f'"{iid}"', line or 1),
                              f"{what}: item '{iid}' cites nothing of plan '{cid}'",
                              f"add a [[reuse]] in {cid}/items.toml citing the section that states it")
            check_steps(src, line, raw, what)
            if not 1 <= len(raw["steps"]) <= MAX_STEPS:
                src.error(src.find("steps", line or 1), f"{what} has {len(raw['steps'])} steps",
                          f"a pictogram strip has 1 to {MAX_STEPS} steps: pick them from the checklist")
            pictograms.ref(loader, src, line, raw["pictogram"], what)
            if "question" in raw:
                if raw["question"] not in ("who", "situation") or same_as:
                    src.error(src.find("question", line or 1),
                              f"{what}: question '{raw['question']}' is not one of the wizard's",
                              'write question = "who" (a group of people) or "situation" (what is happening); '
                              "a situation that is a known one (same_as) has its answers already")
                else:
                    loader.answer_questions[sid] = raw["question"]
            slip = raw.get("slip", "")
            if slip and (same_as or slip not in raw["checklist"] or slip not in items
                         or items[slip].commune != cid or not items[slip].wizard):
                src.error(src.find("slip", line or 1),
                          f"{what}: slip '{slip}' is not one of its own actions in the wizard",
                          "name an item of its checklist defined in this folder's items.toml (not wizard = false), "
                          "whose sentence is its line on the support slip; a known situation (same_as) has its "
                          "lines already")
                slip = ""
            situations[sid] = Situation(sid, cid, raw["section"], tuple(raw["staff"]), tuple(raw.get("support", [])),
                                        tuple(raw["checklist"]), tuple(raw["steps"]), (), raw["pictogram"],
                                        same_as=same_as, commune=cid, slip=slip)


def load_paths(loader: "_Loader") -> dict[str, dict[str, tuple]]:
    """Each folder's procedure paths (paths.toml): commune → path id → the sections of its own
    plan that give it. A folder without the file offers no path (its wizard gives none)."""
    out: dict[str, dict[str, tuple]] = {}
    known = [p.id for p in loader.wizard.paths]
    for cid, folder in folders(loader).items():
        out[cid] = {}
        path = folder / "paths.toml"
        if not path.is_file():
            continue
        src = Source(loader.root, path, loader.problems)
        if not src.ok or not loader.fields(src, 1, src.data, {}, {"path": "tables"}, f"{cid}/paths.toml"):
            continue
        starts = src.table_starts("path")
        for n, raw in enumerate(src.data.get("path", [])):
            line = starts[n] if n < len(starts) else None
            if not loader.fields(src, line, raw, {"id": str, "cites": list}, {}, _label("path", n, raw)):
                continue
            pid = raw["id"]
            if pid not in known:
                src.error(src.find_key("id", line or 1) or line, f"path '{pid}' is not a path of the wizard",
                          f"use one of: {', '.join(known)} (a commune's plan gives a basis for the handbook's "
                          "paths; it adds none)")
                continue
            if pid in out[cid]:
                src.error(line, f"path '{pid}' is listed twice", "list each path once")
                continue
            out[cid][pid] = _own_cites(loader, src, line, raw["cites"], cid, f"path '{pid}'")
    return out


_TOKEN = re.compile(r"[^\W_]+")
_PIECE = re.compile(r"(?<=[.;:!?…])\s+")


def _tokens(text: str) -> list[str]:
    return _TOKEN.findall(unicodedata.normalize("NFC", text).lower())


def not_in_plan(text: str, plan, sections) -> str | None:
    """None when every piece of ``text`` (split after . ; : ! ? …) is a run of words of one block
    of ``sections`` (or their subsections), headings included: the plan's own words, whatever the
    case and punctuation; else the first piece that is not."""
    blocks = [_tokens(b.vi) for b in plan.blocks
              if any(b.section == x or b.section.startswith(x + ".") for x in sections)]
    for piece in _PIECE.split(text.strip()):
        words = _tokens(piece)
        if words and not any(block[i:i + len(words)] == words for block in blocks
                             for i in range(len(block) - len(words) + 1)):
            return piece
    return None


def wizard_answers(loader: "Reader", wizard, procedure):
    """A commune's own situations (no ``same_as``) are answers of its wizard, from its own folder:
    the answer is the situation (its id, its pictogram, its title as the label), asked under
    ``question`` ("situation" unless its situations.toml says "who"), with a rule citing its
    section and leading to its guide; its actions join the procedure in their own stages, when
    that answer is given, citing their own sections (in a one-way stage, added to the way the
    stage is done for the answers given, not in place of it). Nothing shared is edited: in another
    commune's handbook these cite nothing and go, like every citation of another plan."""
    from .records import Rule  # noqa: PLC0415

    own = [s for s in loader.situations.values() if s.commune and not s.same_as]
    local = [s for s in loader.situations.values() if s.commune and s.same_as]
    if not own and not local:
        return wizard, procedure
    questions = {q.id: q for q in wizard.questions}
    rules = list(wizard.rules)
    added: dict[str, list] = {}
    for s in own:
        question = loader.answer_questions.get(s.id, "situation")
        if question not in questions:
            continue
        questions[question] = replace(questions[question], answers=questions[question].answers + (s.id,))
        loader.answer_ids[s.id] = question
        rules.append(Rule(s.id, ((question, s.id),), (s.id,), None, False, (s.citation,), s.pictogram))
        for iid in s.checklist:
            item = loader.items.get(iid)
            if item is None or item.phase not in {st.id for st in procedure.stages} or not item.wizard:
                continue
            cites = tuple(c for c in item.cites if c.plan == s.plan) or (s.citation,)
            added.setdefault(item.phase, []).append(((f"{question}:{s.id}",), iid, cites))
    # a commune's own actions in its guide for a known situation: done when an answer that leads
    # to that guide is given (its plan says so there), citing the commune's section
    for s in local:
        leads = tuple(f"{q}:{a}" for r in wizard.rules if len(r.when) == 1 and s.same_as in r.guides
                      for q, a in r.when)
        for iid in s.checklist:
            item = loader.items.get(iid)
            if not leads or item is None or item.commune != s.commune or not item.wizard:
                continue
            cites = tuple(c for c in item.cites if c.plan == s.plan) or (s.citation,)
            added.setdefault(item.phase, []).append((leads, iid, cites))
    # a new situation's line on the citizen's slip: the sentence of its own action (the plan's
    # words), shown whenever that action is in the procedure; first, as the person chose it
    slip = tuple(procedure_module.SlipLine(s.id, (s.slip,)) for s in own if s.slip and s.id in loader.answer_ids)
    stages = []
    for stage in procedure.stages:
        variants = list(stage.variants)
        # in a one-way stage, the commune's own action joins the way the stage is done ("also"),
        # whichever it is, except while a way skips the stage (the account: during an outage, the
        # file is on paper; in an emergency, staff do the procedure directly)
        skipped = tuple(dict.fromkeys(c for v in variants if not v.steps for c in v.when))
        for conditions, iid, cites in added.get(stage.id, []):
            variants.append(procedure_module.Variant(
                stage.id, (), conditions, skipped if stage.way == "one" else (), ((iid,),), cites, (cites,),
                also=stage.way == "one"))
        stages.append(replace(stage, variants=tuple(variants)))
    wizard = replace(wizard, questions=tuple(questions[q.id] for q in wizard.questions), rules=tuple(rules))
    return wizard, replace(procedure, stages=tuple(stages), slip=slip + procedure.slip)


def merge_strings(loader: "Reader", sources: dict) -> set[tuple[str, ...]]:
    """Each folder's locales into each language's strings; returns the string paths the folders own
    (a translation may lack them: they are then shown in Vietnamese, marked)."""

    owned: set[tuple[str, ...]] = set()
    for cid, folder in folders(loader).items():
        owned |= {("plans", cid, key) for key in ("title", "short", "label")}
        owned |= {("plans", cid, "blocks", b.id) for b in loader.plans[cid].blocks} if cid in loader.plans else set()
        owned |= {("situations", sid, key) for sid, s in loader.situations.items() if s.commune == cid
                  for key in ("title", "summary", "audience")}
        owned |= {("items", iid, key) for iid, i in loader.items.items() if i.commune == cid
                  for key in ("text", "short")}
        paths = getattr(loader, "commune_paths", {}).get(cid, {})
        reasons = {("paths", pid, "reason"): ("commune_paths", cid, pid, "reason") for pid in paths}
        owned |= set(reasons.values())
        for lang, src in sources.items():
            path = folder / "locales" / f"{lang}.toml"
            if not src.ok or not path.is_file():
                if lang == loader.languages[0] and paths and src.ok:
                    Source(loader.root, folder / "paths.toml", loader.problems).error(
                        1, f"the paths of {cid}/paths.toml have no reason",
                        f"write {cid}/locales/{lang}.toml with [paths.ID] reason = \"…\" (the plan's words)")
                continue
            mine = Source(loader.root, path, loader.problems)
            if not mine.ok:
                continue
            for key, value in _leaves(mine.data):
                if key in reasons:  # a path's reason in this commune: its own, kept apart from the shared one
                    if lang == loader.languages[0] and cid in loader.plans and isinstance(value, str):
                        _check_reason(mine, key, value, loader.plans[cid], paths[key[1]])
                    _put(src.data, reasons[key], value)
                elif key not in owned:
                    mine.error(mine.key_line(key[:-1], key[-1]), f"string {'.'.join(key)} is not this commune's",
                               f"a commune's locales hold only its plan ({cid}), its situations and items, and "
                               f"the reasons of the paths of its paths.toml ({', '.join(paths) or 'none'})")
                else:
                    _put(src.data, key, value)
            if lang == loader.languages[0]:
                for key, target in reasons.items():
                    if key not in dict(_leaves(mine.data)):
                        mine.error(mine.key_line(key[:-1]) or len(mine.lines) or None,
                                   f"path '{key[1]}' ({cid}/paths.toml) has no reason",
                                   f'add [paths.{key[1]}] reason = "…": the words of the plan\'s section that '
                                   "gives the path")
                        _put(src.data, target, "…")  # reported once, here
    # a commune's own situation is an answer of its wizard: its label is the situation's title;
    # its line on the support slip is the sentence of its own action that situations.toml names
    for sid, s in loader.situations.items():
        if s.commune and s.slip:
            owned.add(("slip_lines", sid, "text"))
            for src in sources.values():
                text = src.data.get("items", {}).get(s.slip, {}).get("text") if src.ok else None
                if text:
                    _put(src.data, ("slip_lines", sid, "text"), text)
        if s.commune and not s.same_as:
            owned.add(("answers", sid, "label"))
            for src in sources.values():
                title = src.data.get("situations", {}).get(sid, {}).get("title") if src.ok else None
                if title and not src.data.get("answers", {}).get(sid, {}).get("label"):
                    _put(src.data, ("answers", sid, "label"), title)
    # a guide that is a known situation keeps that situation's wording, in every language
    for sid, s in loader.situations.items():
        if s.same_as:
            for src in sources.values():
                known = src.data.get("situations", {}).get(s.same_as) if src.ok else None
                if isinstance(known, dict):
                    for key in ("title", "summary", "audience"):
                        if key in known and not src.data.get("situations", {}).get(sid, {}).get(key):
                            _put(src.data, ("situations", sid, key), known[key])
    return owned


def own_paths(model, cid: str, paths: dict) -> tuple[tuple, dict]:
    """A commune folder's procedure paths, in the shared order, citing its own sections, and the
    strings with each one's reason in its plan's words (a path its plan gives no basis for is not
    there: the answers that lead to it take the default path, if that one is there)."""
    out = tuple(replace(p, cites=paths[p.id]) for p in model.wizard.paths if p.id in paths)
    strings = {}
    for lang, texts in model.strings.items():
        own = texts.get("commune_paths", {}).get(cid, {})
        strings[lang] = {**texts, "paths": {**texts["paths"], **{
            pid: {**texts["paths"][pid], "reason": own[pid]["reason"]} for pid in paths if pid in own}}}
    return out, strings


def unannounced(procedure):
    """A commune folder's procedure says nothing its plan does not: a stage skipped for now (the
    account, during an outage) is skipped without the handbook's sentence about it."""
    return replace(procedure, stages=tuple(
        replace(stage, variants=tuple(replace(v, announce=False) for v in stage.variants))
        for stage in procedure.stages))


def _check_reason(src: Source, key: tuple[str, ...], value: str, plan, cites) -> None:
    """A path's reason in a commune is its plan's own words, from the sections the path cites."""
    sections = [c.section for c in cites]
    piece = not_in_plan(value, plan, sections)
    if piece is not None:
        src.error(src.key_line(key[:-1], key[-1]),
                  f"[paths.{key[1]}] reason: “{piece[:80]}” is not in section {', '.join(sections)} of plan "
                  f"'{plan.id}'",
                  "use the plan's own words from the sections the path cites (paths.toml), or cite the section "
                  "that says it")


def translate_citations(model, keep: set[str]) -> tuple[dict, dict]:
    """For a commune whose plan maps to known situations: (known section → its own sections,
    known guide → its own guide). A rule or a procedure variant citing a known situation's
    section stands, in this commune's handbook, on the section of its plan for that situation:
    its section, and the parts it quotes that are not inside it (the steps of a procedure that
    is the plan's top level, "Bước 1 … Bước N" under no heading)."""
    sections: dict[tuple[str, str], tuple[tuple[str, str], ...]] = {}
    guides: dict[str, str] = {}
    for plan in (p for pid, p in model.plans.items() if pid in keep):
        for cited, own in plan.same_sections.items():
            known_plan, _, known_section = cited.partition(":")
            sections[(known_plan, known_section)] = ((plan.id, own),)
    for s in model.situations.values():
        if s.plan in keep and s.same_as and s.same_as in model.situations:
            k = model.situations[s.same_as]
            guides[k.id] = s.id
            extent = (s.section, *(x for x in (*s.staff, *s.support)
                                   if x != s.section and not x.startswith(s.section + ".")))
            for sec in (k.section, *k.staff, *k.support):
                sections[(k.plan, sec)] = tuple((s.plan, x) for x in dict.fromkeys(extent))
    return sections, guides

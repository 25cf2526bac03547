"""content/situations.toml: the situations (one guide each), with their plan section, the
sections they quote, their checklist and key steps, and cross-links to the other plan."""

from __future__ import annotations

from typing import TYPE_CHECKING

from . import commune_folder, pictograms
from .base import ID_RE, ID_RULE, Source, _label
from .records import Plan, Situation

if TYPE_CHECKING:  # pragma: no cover
    from .reader import Reader


def load(loader: Reader) -> dict[str, Situation]:
    src, tables = loader.tables("situations.toml", "situation")
    out: dict[str, Situation] = {}
    if tables is None:
        return out
    declared: dict[str, tuple[int | None, list[str]]] = {}
    required = {"id": str, "plan": str, "section": str, "staff": list, "checklist": list,
                "steps": list, "pictogram": str}
    optional = {"support": list, "related": list}
    for n, (line, raw) in enumerate(tables):
        if not loader.fields(src, line, raw, required, optional, _label("situation", n, raw)):
            continue
        sid = raw["id"]
        what = f"situation {sid!r}"  # repr: an id with a control character shows it
        if not ID_RE.match(sid):
            src.error(src.find_key("id", line or 1) or line, f"{what}: the id is not {ID_RULE}",
                      "rename it, e.g. no-id-papers")
        if sid in out:
            src.error(src.find(f'"{sid}"', line or 1), f"duplicate situation id '{sid}'",
                      "give every situation its own id")
            continue
        plan = loader.plans.get(raw["plan"])
        if plan is None:
            src.error(src.find("plan", line or 1), f"{what}: unknown plan '{raw['plan']}'",
                      f"use one of: {', '.join(loader.plans)}")
            continue
        check_sections(src, line, raw, what, plan)
        for iid in raw["checklist"]:
            if iid not in loader.items:
                src.error(src.find(f'"{iid}"', line or 1), f"{what}: unknown checklist item '{iid}'",
                          "define it in content/checklist.toml or fix the id")
        check_steps(src, line, raw, what)
        if not 3 <= len(raw["steps"]) <= 6:
            src.error(src.find("steps", line or 1), f"{what} has {len(raw['steps'])} steps",
                      "a pictogram strip has 3 to 6 steps: pick them from the checklist")
        pictograms.ref(loader, src, line, raw["pictogram"], what)
        declared[sid] = (line, list(raw.get("related", [])))
        out[sid] = Situation(sid, plan.id, raw["section"], tuple(raw["staff"]),
                             tuple(raw.get("support", [])), tuple(raw["checklist"]),
                             tuple(raw["steps"]), (), raw["pictogram"])
    # cross-links are stated once and shown on both guides
    related: dict[str, list[str]] = {sid: [] for sid in out}
    for sid, (line, others) in declared.items():
        for other in others:
            at = src.find(f'"{other}"', line or 1)
            if other not in out:
                src.error(at, f"situation '{sid}': related guide '{other}' does not exist",
                          f"use one of: {', '.join(out)}")
            elif out[other].plan == out[sid].plan:
                src.error(at, f"situation '{sid}': related guide '{other}' is from the same plan",
                          "cross-link guides of the other plan that cover the same need")
            else:
                for a, b in ((sid, other), (other, sid)):
                    if b not in related[a]:
                        related[a].append(b)
    for sid, situation in out.items():
        out[sid] = Situation(**{**situation.__dict__, "related": tuple(related[sid])})
    commune_folder.load_situations(loader, out, loader.items)
    return out


def check_sections(src: Source, line: int | None, raw: dict, what: str, plan: Plan) -> None:
    """A situation's section, and those it quotes, are sections of its plan."""
    for key in ("section", "staff", "support"):
        values = raw.get(key, [])
        for sec in [values] if isinstance(values, str) else values:
            if sec not in plan.sections:
                src.error(src.find(f'"{sec}"', line or 1),
                          f"{what}: {key} '{sec}' is not a section of plan '{plan.id}'",
                          f"use one of: {', '.join(plan.sections)}")


def check_steps(src: Source, line: int | None, raw: dict, what: str) -> None:
    """Its key steps come from its checklist, which is not empty."""
    for iid in raw["steps"]:
        if iid not in raw["checklist"]:
            src.error(src.find(f'"{iid}"', line or 1),
                      f"{what}: step '{iid}' is not in its checklist",
                      "steps pick the key items of the checklist; add it there first")
    if not raw["checklist"]:
        src.error(line, f"{what} has an empty checklist", "list the items staff must do")

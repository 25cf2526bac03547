"""content/checklist.toml: the checklist actions ([[item]]), each with its phase, whether it
needs the network, its citations and pictogram, and the items it must come after."""

from __future__ import annotations

from typing import TYPE_CHECKING

from . import commune_folder, pictograms
from .base import ID_RE, ID_RULE, ITEM_KEYS, _label
from .records import Item

if TYPE_CHECKING:  # pragma: no cover
    from .reader import Reader


def load(loader: Reader) -> dict[str, Item]:
    src, tables = loader.tables("checklist.toml", "item")
    items: dict[str, Item] = {}
    if tables is None:
        return items
    for n, (line, raw) in enumerate(tables):
        if not loader.fields(src, line, raw, *ITEM_KEYS, _label("item", n, raw)):
            if isinstance(raw.get("id"), str) and raw["id"] not in items:
                # keep the id known, so its mistake is not reported again by every user of it
                items[raw["id"]] = Item(raw["id"], "", False, ())
            continue
        iid = raw["id"]
        what = f"item {iid!r}"  # repr: an id with a control character shows it
        if not ID_RE.match(iid):
            src.error(src.find_key("id", line or 1) or line, f"{what}: the id is not {ID_RULE}",
                      "rename it, e.g. seat-and-water")
        if iid in items:
            src.error(src.find(f'"{iid}"', line or 1), f"duplicate item id '{iid}'",
                      "give every item its own id")
            continue
        if raw["phase"] not in loader.phases:
            src.error(src.find("phase", line or 1), f"{what}: unknown phase '{raw['phase']}'",
                      f"use one of: {', '.join(loader.phases)}")
        if not raw["cites"]:
            src.error(line, f"{what} cites nothing", "every item must cite the plan section it comes from")
        cites = tuple(c for c in (loader.citation(src, line, x, what) for x in raw["cites"]) if c)
        pictograms.ref(loader, src, line, raw["pictogram"], what)
        if raw.get("staff_only") and not raw["network"]:
            src.error(src.find("staff_only", line or 1), f"{what}: staff_only is for actions that need "
                      "the network", "remove staff_only, or set network = true")
        items[iid] = Item(iid, raw["phase"], raw["network"], cites, raw["pictogram"],
                          raw.get("staff_only", False), tuple(raw.get("after", [])),
                          covers=tuple(raw.get("covers", [])))
    commune_folder.load_items(loader, items)
    for iid, item in items.items():
        for other in item.after:
            if other not in items or other == iid:
                src.error(src.find("after", src.find(f'"{iid}"') or 1),
                          f"item '{iid}': after names '{other}', which is not another item",
                          "name the id of an item in this file")
    for iid, item in items.items():
        for other in item.covers:
            if other not in items or other == iid or items[other].phase != item.phase or items[other].covers:
                src.error(src.find("covers", src.find(f'id = "{iid}"') or 1),
                          f"item '{iid}': covers '{other}', which is not another item of its stage "
                          "that covers nothing itself",
                          "name an item of the same phase that this one states, and more")
    cycle = _after_cycle(items)  # the engine orders steps by 'after': it must have an order
    if cycle:
        src.error(src.find("after", src.find(f'id = "{cycle[0]}"') or 1),
                  f"the items' 'after' form a cycle: {' → '.join(reversed(cycle))}",
                  "remove one of these 'after' entries: each must come after the next one only")
    return items


def _after_cycle(items: dict[str, Item]) -> list[str] | None:
    """A cycle of 'after' among items (its ids, the first repeated last), or None."""
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        path.append(node)
        for nxt in (a for a in items[node].after if a in items):
            if state.get(nxt) == 1:
                return path[path.index(nxt):] + [nxt]
            if nxt not in state and (found := visit(nxt)):
                return found
        path.pop()
        state[node] = 2
        return None

    return next((c for node in items if node not in state for c in [visit(node)] if c), None)


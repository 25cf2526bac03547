"""The official plans: content/plans/ID.toml (and a commune folder's plan.toml), each a list
of [[block]]s with their section, kind and verbatim text, beside the original text file."""

from __future__ import annotations

from typing import TYPE_CHECKING

from . import commune_folder
from .base import BLOCK_KINDS, NON_CITABLE, SECTION_RE, Problem, Source
from .records import Block, Plan

if TYPE_CHECKING:  # pragma: no cover
    from .reader import Reader


def load(loader: Reader) -> dict[str, Plan]:
    plans: dict[str, Plan] = {}
    own = {cid: folder / "plan.toml" for cid, folder in commune_folder.folders(loader).items()}
    for pid, path in [(p.stem, p) for p in sorted((loader.content / "plans").glob("*.toml"))] + list(own.items()):
        src = Source(loader.root, path, loader.problems)
        if not src.ok:
            continue
        if not loader.fields(src, 1, src.data, {"id": str, "original": str, "block": "tables"}, {},
                           f"plan '{pid}'"):
            continue
        if src.data["id"] != pid:
            src.error(src.find("id"), f"plan id '{src.data['id']}' differs from the file name",
                      f"set id = \"{pid}\" or rename the file")
        original = path.parent / src.data["original"]
        if not original.is_file():
            src.error(src.find("original"), f"the original text {src.data['original']} is missing",
                      "keep a verbatim copy of the official plan beside this file")
        starts = src.table_starts("block")
        blocks: list[Block] = []
        sections: list[str] = []
        seen_done: set[str] = set()
        counts: dict[str, int] = {}
        current = None
        for n, raw in enumerate(src.data["block"]):
            line = starts[n] if n < len(starts) else None
            if not isinstance(raw, dict) or not loader.fields(
                    src, line, raw, {"section": str, "kind": str, "vi": str}, {}, "block"):
                continue
            section, kind, text = raw["section"], raw["kind"], raw["vi"].strip()
            if kind not in BLOCK_KINDS:
                src.error(src.find("kind", line or 1), f"block kind '{kind}' is unknown",
                          f"use one of: {', '.join(BLOCK_KINDS)}")
            if not text:
                src.error(line, "block has empty text", "give the paragraph's official text")
            if section not in NON_CITABLE and not SECTION_RE.match(section):
                src.error(src.find("section", line or 1), f"section '{section}' is malformed",
                          "use the plan's numbering, for example III.5.2 or 2.1")
            if section != current:
                if section in seen_done:
                    src.error(line, f"section '{section}' continues after another section began",
                              "keep the blocks of a section together, in document order")
                if current is not None:
                    seen_done.add(current)
                current = section
                if section not in NON_CITABLE:
                    sections.append(section)
            counts[section] = counts.get(section, 0) + 1
            blocks.append(Block(f"{section}/{counts[section]}", section, kind, text, line))
        plans[pid] = Plan(pid, original, blocks, sections)
    if not plans:
        loader.problems.append(Problem("content/plans", None, "no plan found",
                                     "add content/plans/ID.toml and ID.original.txt"))
    return plans

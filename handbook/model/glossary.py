"""content/glossary.toml: the terms the plans use ([[term]]), with where they are seen."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .base import ID_RE, ID_RULE, _label
from .records import Term

if TYPE_CHECKING:  # pragma: no cover
    from .reader import Reader


def load(loader: Reader) -> dict[str, Term]:
    src, tables = loader.tables("glossary.toml", "term")
    terms: dict[str, Term] = {}
    if tables is None:
        return terms
    for n, (line, raw) in enumerate(tables):
        if not loader.fields(src, line, raw, {"id": str, "seen_in": list}, {}, _label("term", n, raw)):
            continue
        tid = raw["id"]
        if tid in terms or not ID_RE.match(tid):
            src.error(line, f"term id '{tid}' is a duplicate or malformed",
                      f"give every term its own id, {ID_RULE}")
            continue
        cites = tuple(c for c in (loader.citation(src, line, x, f"term '{tid}'")
                                  for x in raw["seen_in"]) if c)
        terms[tid] = Term(tid, cites)
    return terms

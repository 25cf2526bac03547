"""content/glossary.toml: the terms the plans use ([[term]]), with where they are seen."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .base import ID_RE, _is_kind, _label
from .records import Term

if TYPE_CHECKING:  # pragma: no cover
    from .loader import _Loader


def load(loader: _Loader) -> dict[str, Term]:
    src = loader.source("glossary.toml")
    terms: dict[str, Term] = {}
    if not src.ok:
        return terms
    starts = src.table_starts("term")
    # an unknown key is reported; the [[term]] tables are still read, so it is reported alone
    if not loader.fields(src, 1, src.data, {"term": "tables"}, {}, "glossary.toml") and \
            not _is_kind(src.data.get("term"), "tables"):
        return terms
    for n, raw in enumerate(src.data.get("term", [])):
        line = starts[n] if n < len(starts) else None
        if not loader.fields(src, line, raw, {"id": str, "seen_in": list}, {}, _label("term", n, raw)):
            continue
        tid = raw["id"]
        if tid in terms or not ID_RE.match(tid):
            src.error(line, f"term id '{tid}' is a duplicate or malformed",
                      "give every term its own lower-case-with-dashes id")
            continue
        cites = tuple(c for c in (loader.citation(src, line, x, f"term '{tid}'")
                                  for x in raw["seen_in"]) if c)
        terms[tid] = Term(tid, cites)
    return terms

"""Rewrite the text of an HTML page, never its markup: one walker for every pass that does
(the glossary's tooltips, the marks of untranslated strings)."""

from __future__ import annotations

import re
from typing import Callable, Collection

# scripts and styles are taken whole: their text may hold "<" that is no tag
_TOKEN = re.compile(r"(<script\b.*?</script\s*>|<style\b.*?</style\s*>|<!--.*?-->|<[^>]*>)", re.S | re.I)
_TAG = re.compile(r"<\s*(/?)\s*([a-zA-Z][a-zA-Z0-9-]*)")


def map_text(html: str, text: Callable[[str], str], skip: Collection[str] = (),
             other: Callable[[str], str] | None = None) -> str:
    """``html`` with ``text`` applied to each run of text outside the elements named in ``skip``;
    tags (with their attributes), comments, whole scripts and styles, and the text inside those
    elements go through ``other`` instead (left as they are when it is None)."""
    parts = _TOKEN.split(html)
    inside: list[str] = []
    for n, part in enumerate(parts):
        if n % 2:  # a tag or a comment
            tag = _TAG.match(part)
            name = tag.group(2).lower() if tag else ""
            if name in skip and not part.endswith("/>"):
                if not tag.group(1):
                    inside.append(name)
                elif name in inside:
                    del inside[len(inside) - 1 - inside[::-1].index(name):]
        elif not inside:
            if part:
                parts[n] = text(part)
            continue
        if other is not None:
            parts[n] = other(part)
    return "".join(parts)

"""Glossary terms show their plain-words meaning as a tooltip wherever a page writes them.

Applied to each page's HTML (after Markdown, so raw HTML blocks are covered too): every term of
the glossary, as the page's language writes it (``glossary.ID.abbr`` in the strings), is wrapped
in ``<abbr title="meaning">`` — in text only: never inside an attribute, a script, a title, a
button, code or another abbreviation. The theme draws the tooltip (``content.tooltips``).
"""

from __future__ import annotations

import html as html_lib
import re

_TOKEN = re.compile(r"(<!--.*?-->|<[^>]*>)", re.S)
_TAG = re.compile(r"<\s*(/?)\s*([a-zA-Z][a-zA-Z0-9-]*)")
# elements whose text gets no tooltip: it would not be read, or not be shown as a tooltip
_SKIP = {"script", "style", "title", "abbr", "code", "pre", "textarea", "button", "option", "svg", "a"}


class Tooltips:
    def __init__(self, terms: dict[str, str]):
        """``terms``: the words as written in the text → their meaning."""
        self.meanings = {word: " ".join(meaning.split()) for word, meaning in terms.items() if word}
        words = sorted(self.meanings, key=len, reverse=True)  # the longest term wins
        self.pattern = re.compile(r"(?<!\w)(" + "|".join(re.escape(w) for w in words) + r")(?!\w)") \
            if words else None

    def _wrap(self, match: re.Match) -> str:
        title = html_lib.escape(self.meanings[match.group(1)], quote=True)
        # focusable: a tap on a phone or the keyboard shows the meaning, not only a mouse
        return f'<abbr title="{title}" tabindex="0">{match.group(1)}</abbr>'

    def apply(self, html: str) -> str:
        if self.pattern is None:
            return html
        parts = _TOKEN.split(html)
        skip: list[str] = []
        for n, part in enumerate(parts):
            if n % 2:
                tag = _TAG.match(part)
                if tag and tag.group(2).lower() in _SKIP and not part.endswith("/>"):
                    name = tag.group(2).lower()
                    if tag.group(1):
                        if name in skip:
                            del skip[len(skip) - 1 - skip[::-1].index(name):]
                    else:
                        skip.append(name)
            elif not skip and part.strip():
                parts[n] = self.pattern.sub(self._wrap, part)
        return "".join(parts)

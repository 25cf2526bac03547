"""Glossary terms show their plain-words meaning as a tooltip wherever a page writes them.

Applied to each page's HTML (after Markdown, so raw HTML blocks are covered too): every term of
the glossary, as the page's language writes it (``glossary.ID.abbr`` in the strings), is wrapped
in ``<abbr title="meaning">`` — in text only: never inside an attribute, a script, a title, a
button, code or another abbreviation. The theme draws the tooltip (``content.tooltips``).
"""

from __future__ import annotations

import html as html_lib
import re

from .htmltext import map_text

# elements whose text gets no tooltip: it would not be read, or not be shown as a tooltip
# (scripts and styles are never text to map_text)
_SKIP = {"title", "abbr", "code", "pre", "textarea", "button", "option", "svg", "a"}


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
        return map_text(html, lambda text: self.pattern.sub(self._wrap, text), skip=_SKIP)

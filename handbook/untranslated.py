"""Strings a partial language lacks are shown in the authoritative language, visibly marked.

The model puts such a string between two private-use characters (``model.UNTRANSLATED``); every
output passes through here once: in page text the pair becomes
``<span class="hb-untranslated" lang="vi">…</span>`` (styled, and read by screen readers in
the right voice); where no markup is possible (attributes, ``<title>``, scripts, the search
index, JSON) the marks are dropped and the text stays as it is.
"""

from __future__ import annotations

from .htmltext import map_text
from .model import UNTRANSLATED

OPEN, CLOSE = UNTRANSLATED
_ESCAPED = tuple(f"\\u{ord(c):04x}" for c in UNTRANSLATED)  # as json.dumps writes them
_NO_MARKUP = ("title",)  # where a span cannot go, besides attributes, scripts and styles


def strip(text: str) -> str:
    """The text without the marks (raw or as escaped in JSON)."""
    if OPEN not in text and CLOSE not in text and "\\ue00" not in text:
        return text
    for mark in (*UNTRANSLATED, *_ESCAPED):
        text = text.replace(mark, "")
    return text


def mark(html: str, reference: str) -> str:
    """HTML with each marked string in a span of the reference language."""
    if OPEN not in html and CLOSE not in html and "\\ue00" not in html:
        return html
    # a marked string may hold inline markup of its own, so each mark is replaced on its own
    return map_text(html, lambda text: text.replace(OPEN, f'<span class="hb-untranslated" lang="{reference}">')
                    .replace(CLOSE, "</span>"), skip=_NO_MARKUP, other=strip)

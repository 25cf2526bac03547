"""What the site's search reads: reading text only, and the words people say.

Three passes around the theme's search plugin (it indexes each page's HTML, by section):

1. :func:`reading_only`, on each page's HTML before the plugin reads it: controls (buttons,
   navigation bars), live status messages and print-only parts (the printed date, "scan the code
   to open the full guide" and its address) are marked ``data-search-exclude``, the theme's own
   way to keep an element out of the index; the plugin removes the mark from the page it writes,
   so pages are unchanged.
2. :func:`add_words`, on the finished index: each guide and glossary term gets the everyday words
   of its concepts (content/lexicon.toml) in a field of its own, ``words``, in the index only
   (not in any page, so no page grows). The field is declared with its boost in the index's
   configuration; the theme's search worker indexes every declared field, folded like the rest
   (lunr.vi.min.js), and shows only the title and the text in its results.
3. :func:`write`: the index is loaded only when a person starts to search. The theme's script
   asks for ``search/search_index.json`` on every page load and hands it to its worker at once;
   that file keeps the configuration only (a few hundred bytes), and the entries go to
   ``search/search_index.full.json``. The pages name the handbook's own worker
   (overrides/main.html, docs/assets/javascripts/workers/handbook-search.js), which waits for the
   page to say that a person is about to search (handbook.js), then loads the theme's worker and
   the whole index. One index for every language, as the theme makes it: split by language, the
   words' weights change with the corpus (lunr weighs a word by how rare it is), and "người già"
   put the kiosk page before the guide for elderly people.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from .model import Model
from .render import page_url

# How much a match in the words people say counts, beside the theme's title (1000) and text (1):
# a guide whose everyday words hold the query comes before pages that merely mention it.
WORDS_FIELD = "words"
WORDS_BOOST = 1000.0
EXCLUDE = 'data-search-exclude="not-reading"'

# Not reading text: what a person presses, or what only a printer or a screen reader's live
# region shows. By element (controls and navigation) and by mark (print-only, live status).
_CONTROLS = {"button", "nav", "progress"}
_START_TAG = re.compile(r"<([a-zA-Z][a-zA-Z0-9-]*)(\s[^<>]*?)?(/?)>")
_PRINT_ONLY = re.compile(r'\bclass="[^"]*\bhb-print-only\b')
_STATUS = re.compile(r'\brole="(?:status|alert|progressbar)"')


def reading_only(html: str) -> str:
    """``html`` with every element that is not reading text marked for the search to skip."""

    def mark(match: re.Match) -> str:
        name, attrs, closing = match.group(1), match.group(2) or "", match.group(3)
        if "data-search-exclude" in attrs:
            return match.group(0)
        if name.lower() in _CONTROLS or _PRINT_ONLY.search(attrs) or _STATUS.search(attrs):
            return f"<{name}{attrs} {EXCLUDE}{closing}>"
        return match.group(0)

    # scripts and styles hold no tags to mark; comments are left as they are
    parts = re.split(r"(<script\b.*?</script\s*>|<style\b.*?</style\s*>|<!--.*?-->)", html, flags=re.S | re.I)
    return "".join(part if n % 2 else _START_TAG.sub(mark, part) for n, part in enumerate(parts))


def add_words(index: dict, model: Model) -> dict:
    """The search ``index`` (the theme's search_index.json, every language) with the everyday
    words of each guide and glossary term in its entry's ``words`` field."""
    config = index.setdefault("config", {})
    config.setdefault("fields", {})[WORDS_FIELD] = {"boost": WORDS_BOOST}
    wanted: dict[str, list[str]] = {}  # page (or page#section) → words, in the page's language
    for lang in model.languages:
        prefix = "" if lang == model.reference else f"{lang}/"
        for sid in model.situations:
            words = model.lexicon.words_of_guide(sid, lang)
            if words:
                wanted[f"{prefix}{page_url(f'guides/{sid}.md')}"] = words
        for tid in model.glossary:
            words = model.lexicon.words_of_term(tid, lang)
            if words:
                wanted[f"{prefix}{page_url('glossary.md')}#{tid}"] = words
    given: set[str] = set()
    for doc in index.get("docs", []):
        location = doc.get("location", "")
        page = location.split("#", 1)[0]
        # a guide's words go to its page's first entry (the theme's "article"), a term's to its section
        key = location if location in wanted and "#" in location else page
        if key in wanted and key not in given:
            doc[WORDS_FIELD] = " ".join(dict.fromkeys(wanted[key]))
            given.add(key)
    return index


INDEX = "search/search_index.json"  # the theme's name: its script asks for it on every page
FULL = "search/search_index.full.json"  # the entries: the handbook's worker asks for it (handbook-search.js)


def write(site: Path, index: dict) -> None:
    """The theme's ``search/search_index.json`` with its configuration only (its script fetches it
    on every page), and the whole index in ``search/search_index.full.json``."""
    def dump(data: dict) -> str:
        return json.dumps(data, ensure_ascii=False, separators=(",", ":"))

    (site / INDEX).write_text(dump({"config": index.get("config", {}), "docs": []}), encoding="utf-8")
    (site / FULL).write_text(dump(index), encoding="utf-8")


def read(site: Path) -> dict:
    """The whole search index of a built ``site``."""
    return json.loads((site / FULL).read_text(encoding="utf-8"))

"""content/lexicon.toml: the words people say for the field's notions ([[concept]]), per
language, and the guides and glossary terms each notion leads to.

The words are data, not interface strings: a language may have none for a concept (a guide is
still found by its own text). The build gives each guide and term the words of its concepts in
the search index only (handbook/search_index.py), never in a page's visible text; and
:meth:`Lexicon.concept_ids` turns words into concept ids for matching by meaning.

Each word leads to one concept: the same word (folded: "mù" and "mu" are one) in two concepts
is refused, as is a word that is not letters and digits, a guide or a term that does not exist,
and a concept that leads nowhere or has no word. ``kind_of`` names the broader concept a
narrower one is a kind of (hearing, speech, vision and mobility are kinds of disability): one
level, a concept of this file that is not itself a kind of another.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from .base import ID_RE, ID_RULE, _label
from .records import Concept, Lexicon, folded_words

if TYPE_CHECKING:  # pragma: no cover
    from .reader import Reader

FILE = "lexicon.toml"
MAX_WORD_CHARS = 60  # the longest everyday phrase is far shorter; more is a pasted sentence
# letters and digits, words separated by one space, or by - . / ' inside a word ("Wi-Fi", "dichvucong.gov.vn")
WORD_RE = re.compile(r"\A[^\W_]+(?:[ .'/-][^\W_]+)*\Z")
WORD_RULE = "letters and digits, words separated by one space (- . / ' only inside a word)"


def load(loader: Reader) -> Lexicon:
    if not (loader.content / FILE).is_file():
        return Lexicon()  # no everyday words yet: the guides are found by their own text
    src, tables = loader.tables(FILE, "concept")
    if tables is None:
        return Lexicon()
    languages = list(loader.languages)
    optional = {"guides": list, "terms": list, "kind_of": str, **{lang: list for lang in languages}}
    concepts: dict[str, Concept] = {}
    # each word's folded form → (concept, language, line, word as written): one word, one concept
    seen: dict[tuple[str, ...], tuple[str, str, int | None, str]] = {}
    for n, (line, raw) in enumerate(tables):
        if not loader.fields(src, line, raw, {"id": str}, optional, _label("concept", n, raw)):
            continue
        cid = raw["id"]
        if not ID_RE.match(cid) or cid in concepts:
            src.error(src.find_key("id", line or 1) or line, f"concept id {cid!r} is a duplicate or malformed",
                      f"give every concept its own id, {ID_RULE}")
            continue
        what = f"concept '{cid}'"
        guides = [g for g in raw.get("guides", []) if _known(src, line, g, "guide", loader.situations, what)]
        terms = [t for t in raw.get("terms", []) if _known(src, line, t, "glossary term", loader.glossary, what)]
        if not raw.get("guides") and not raw.get("terms"):
            src.error(line, f"{what} leads to no guide and no glossary term",
                      'name what its words should find: guides = ["elderly-mobility"] or terms = ["vneid"]')
        words: list[tuple[str, tuple[str, ...]]] = []
        for lang in languages:
            kept = []
            for word in raw.get(lang, []):
                at = src.find(f'"{word}"', line or 1) or src.find_key(lang, line or 1) or line
                if len(word) > MAX_WORD_CHARS or not WORD_RE.match(word):
                    src.error(at, f"{what}: {lang} word {word[:MAX_WORD_CHARS]!r} is not a word or a short "
                              f"phrase", f"write {WORD_RULE}, at most {MAX_WORD_CHARS} characters")
                    continue
                key = folded_words(word)
                if key in seen:
                    other, other_lang, other_line, written = seen[key]
                    if other != cid:
                        where = f" (line {other_line})" if other_line else ""
                        src.error(at, f"{what}: the word '{word}' is already a word of concept '{other}'{where}",
                                  "a word leads to one concept: keep it in the one it means")
                        continue
                    if other_lang == lang:
                        src.error(at, f"{what}: the {lang} word '{word}' is listed twice"
                                  + (f" (as '{written}')" if written != word else ""),
                                  "list each word once (with or without diacritics, it is the same word)")
                        continue
                seen[key] = (cid, lang, at, word)
                kept.append(word)
            if kept:
                words.append((lang, tuple(kept)))
        if not any(raw.get(lang) for lang in languages):
            src.error(line, f"{what} has no words",
                      f"list the words people say for it in a language: {languages[0] if languages else 'vi'} "
                      '= ["…"]')
        concepts[cid] = Concept(cid, tuple(guides), tuple(terms), tuple(words), raw.get("kind_of", ""))
    lines = {raw.get("id"): line for line, raw in tables}
    for concept in concepts.values():
        if not concept.kind_of:
            continue
        at = src.find_key("kind_of", lines.get(concept.id) or 1) or lines.get(concept.id)
        narrower = [c.id for c in concepts.values() if c.kind_of == concept.id]
        if concept.kind_of not in concepts or concept.kind_of == concept.id:
            src.error(at, f"concept '{concept.id}': kind_of '{concept.kind_of}' is not another concept",
                      f"name the broader concept it is a kind of, one of: "
                      f"{', '.join(c for c in concepts if c != concept.id)}")
        elif narrower:  # one level: a broader concept is not itself a kind of another
            src.error(at, f"concept '{concept.id}' is a kind of '{concept.kind_of}' and broader than "
                      f"{', '.join(repr(n) for n in narrower)}: one level only",
                      f"remove its kind_of, or write kind_of = \"{concept.kind_of}\" for "
                      f"{', '.join(narrower)} too")
    return Lexicon(tuple(concepts.values()))


def _known(src, line, value: str, kind: str, known: dict, what: str) -> bool:
    if value in known:
        return True
    src.error(src.find(f'"{value}"', line or 1) or line, f"{what}: unknown {kind} '{value}'",
              f"use one of: {', '.join(known)}")
    return False

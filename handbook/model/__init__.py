"""Load and validate the whole content model before anything is rendered.

Standard library only (``tomllib``, ``dataclasses``): the same code runs at build time, in the
tests and on the command line. One module per kind of content reads and validates its own
files; :mod:`.loader` runs them in order and :func:`load` returns the :class:`Model`.

    reader          what a kind's module may use of the loader (Reader)
    base            limits, patterns, Problem/ContentError, Source (a TOML file and its lines)
    records         the records (Plan, Item, Situation, Wizard, Model, ...)
    plans, items, situations, pictograms, glossary, lexicon, communes, wizard, strings
                    each kind's files, validated (the procedure: .procedure)
    commune_folder  a commune's own plan in content/communes/ID/
    narrow          one commune's handbook (for_commune)
"""

from .base import (BLOCK_KINDS, CITATION_RE, COMMUNE_ENV, COMMUNE_KINDS, HEADING_KINDS, ID_RE, MAX_FILE_BYTES,
                   MAX_TEXT_CHARS, NON_CITABLE, QUESTIONS, SECTION_RE, SHORT_WORDS, UNTRANSLATED, ContentError,
                   Problem, Source)
from .loader import commune_from_env, load
from .reader import Reader
from .narrow import for_commune
from .records import (Block, Citation, Commune, Concept, IconSet, Item, Model, Pictogram, Plan, Question, Rule, Situation,
                      Term, Wizard, WizardPath, anchor, fold, folded_words, Lexicon, parse_citation, readings_of)

__all__ = ["BLOCK_KINDS", "CITATION_RE", "COMMUNE_ENV", "COMMUNE_KINDS", "HEADING_KINDS", "ID_RE", "MAX_FILE_BYTES",
           "MAX_TEXT_CHARS", "NON_CITABLE", "QUESTIONS", "SECTION_RE", "SHORT_WORDS", "UNTRANSLATED",
           "ContentError", "Problem", "Source", "Reader", "commune_from_env", "load", "for_commune", "Block",
           "Citation", "Commune", "Concept", "IconSet", "Item", "Model", "Pictogram", "Plan", "Question", "Rule", "Situation",
           "Term", "Wizard", "WizardPath", "anchor", "fold", "folded_words", "Lexicon", "parse_citation", "readings_of"]

"""What a kind module (plans, items, situations, …, procedure) may use of the loader: this
:class:`Reader` interface, and nothing else. :class:`.loader.Loader` implements it.

A kind module gets the reader, reads its own files through :meth:`Reader.source` or
:meth:`Reader.tables`, checks them with :meth:`Reader.fields` and :meth:`Reader.citation`,
reports every problem into :attr:`Reader.problems` (``Source.error`` does), and reads the
kinds loaded before it (the loader runs them in the order they depend on one another).
A kind whose file had a problem of its own is named in :attr:`Reader.unreliable`, so that
references into it are not reported a second time.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:  # pragma: no cover
    from .base import Problem, Source
    from .records import Citation, Commune, IconSet, Item, Pictogram, Plan, Situation, Term, Wizard
    from .procedure import Procedure


class Reader(Protocol):
    # where the content is, and where problems go
    root: Path
    content: Path  # root / "content"
    problems: list[Problem]
    coverage: bool  # every language may lack strings (reporting them: make i18n-report)
    extra_commune: tuple[str, Path] | None  # a commune folder read in place of its namesake
    unreliable: set[str]  # kinds whose files had problems of their own

    # the kinds read so far, in the order the loader reads them
    languages: list[str]
    phases: list[str]
    icon_sets: dict[str, IconSet]
    pictograms: dict[str, Pictogram]
    plans: dict[str, Plan]
    items: dict[str, Item]
    situations: dict[str, Situation]
    glossary: dict[str, Term]
    communes: dict[str, Commune]
    wizard: Wizard
    answer_ids: dict[str, str]  # answer id -> its question (the wizard's module sets it)
    answer_questions: dict[str, str]  # a commune's new situation -> its question, when not "situation"
    procedure: Procedure
    # the strings' module sets these
    strings: dict[str, dict[str, Any]]
    string_sources: dict[str, Source]
    untranslated: dict[str, list[tuple[str, ...]]]
    required_count: dict[str, int]
    owned: frozenset

    def source(self, rel: str) -> Source:
        """``content/rel`` read as TOML, its problems reported as ``content/rel:LINE``."""

    def tables(self, rel: str, name: str) -> tuple[Source, list[tuple[int | None, Any]] | None]:
        """A file of ``[[name]]`` tables, each with the line of its header (None: unreadable)."""

    def fields(self, src: Source, line: int | None, table: dict, required: dict, optional: dict,
               what: str) -> bool:
        """Report missing, unknown and mistyped keys of ``table``; True when there are none."""

    def citation(self, src: Source, line: int | None, text: Any, what: str) -> Citation | None:
        """``text`` as a citation of a known plan's section, or None (reported)."""

"""What every part of the content loader shares: the limits and patterns, the problems it
reports, the TOML source files it reads (with the lines to point at), and field checks."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any


REFERENCE_NOTE = "the first language in content/handbook.toml is the authoritative one"
BLOCK_KINDS = ("meta", "title", "p", "li", "h2", "h3", "h4")
HEADING_KINDS = ("h2", "h3", "h4")
NON_CITABLE = ("front", "back")  # plan parts before the first and after the last section
COMMUNE_KINDS = ("xa", "phuong")
# a checklist item's keys, required and optional (content/checklist.toml, a commune's items.toml)
ITEM_KEYS = ({"id": str, "phase": str, "network": bool, "cites": list, "pictogram": str},
             {"staff_only": bool, "after": list, "covers": list, "wizard": bool})
SHORT_WORDS = 6  # a step label under a pictogram (strips, cards)
# Bounds on what an editor can put in: the largest file today is 47 KB, the longest text 800
# characters (a paragraph of a plan); far larger is a mistake (a pasted file, a runaway string).
MAX_FILE_BYTES = 1_000_000
MAX_TEXT_CHARS = 10_000
QUESTIONS = ("who", "situation")  # the wizard's two questions: the engine takes these answers
# Every pattern is anchored with \A and \Z: "^…$" would let a final newline through ("ia-mo\n").
# An id names files and folders (guides/ID/, cards/LANG/ID.pdf, recordings KEY.m4a): at most
# 120 characters keeps each such name far below the 255 bytes a file name may have.
MAX_ID_CHARS = 120
ID_RE = re.compile(r"\A(?=.{1,%d}\Z)[a-z0-9]+(-[a-z0-9]+)*\Z" % MAX_ID_CHARS)
ID_RULE = f"lower-case-with-dashes (a-z, 0-9), at most {MAX_ID_CHARS} characters"  # what ID_RE asks
SECTION_RE = re.compile(r"\A[A-Z0-9]+(\.[0-9]+)*\Z")
CITATION_RE = re.compile(r"\A(?P<plan>[a-z0-9-]+):(?P<section>[A-Z0-9.]+)\Z")
COMMUNE_ENV = "HANDBOOK_COMMUNE"  # `make site COMMUNE=ID` sets it: build that commune's handbook
# A string that a partial language lacks is the reference text between these two marks; the
# build turns them into <span lang="vi" class="hb-untranslated"> (see handbook/untranslated.py).
UNTRANSLATED = ("\ue000", "\ue001")
HOTLINE_RE = re.compile(r"\A\+?[0-9][0-9 .()-]{1,18}[0-9]\Z")
SITE_URL_RE = re.compile(r"\Ahttps?://[^\s/?#]+(/[^\s?#]*)?\Z")
VOICE_RE = re.compile(r"\A[a-z0-9][a-z0-9-]{0,39}\Z")  # a speech engine voice: vi, vi-vn-x-central, en
KIOSK_IDLE = (10, 3600)  # seconds: time to read, and a kiosk that still forgets the person
# The interface strings the code fills in, with the names it fills in; any other string may hold
# no {placeholder} at all (write {{ or }} for a brace shown as it is).
PLACEHOLDERS = {"site_name_commune": {"site", "kind", "name"}, "contacts_centre": {"kind", "name"},
                "contacts_missing": {"kind", "name"}, "wizard_step_of": {"n", "total"},
                "rules_outage_text": {"phase"}, "rules_path_applies": {"title"}, "offline_save": {"size", "stored"},
                "offline_full": {"needed"}, "rules_pair_path": {"title"}, "rules_pair_ways": {"stages"},
                "rules_pair_excluded": {"items", "reason"}, "rules_pair_proviso": {"stage", "label"},
                "kiosk_idle_seconds": {"n"}}

# --------------------------------------------------------------------------- errors


@dataclass(frozen=True)
class Problem:
    path: str
    line: int | None
    message: str
    fix: str

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        return f"{where}: {self.message}\n    fix: {self.fix}"


class ContentError(Exception):
    """Raised with the problems found in the content; nothing may be rendered after it.

    Only the problems of the first file that has any (files are read in the order they depend
    on one another) are shown: one mistake often makes others appear in the files that use it,
    and fifty messages hide the one that matters. ``held_back`` counts the others."""

    def __init__(self, problems: list[Problem], held_back: int = 0):
        self.problems = problems
        self.held_back = held_back
        count = len(problems)
        head = f"content is invalid ({count} problem{'s' if count != 1 else ''}):"
        tail = ([f"({held_back} more in other files, which may follow from these, are not shown: "
                 "fix these, then build again)"] if held_back else [])
        super().__init__("\n".join([head, *(str(p) for p in problems), *tail]))

    @classmethod
    def first_file(cls, problems: list[Problem]) -> "ContentError":
        shown = [p for p in problems if p.path == problems[0].path]
        return cls(shown, held_back=len(problems) - len(shown))


class Source:
    """A loaded TOML file plus what is needed to point at its lines."""

    def __init__(self, root: Path, path: Path, problems: list[Problem]):
        self.rel = path.relative_to(root).as_posix() if path.is_relative_to(root) else str(path)
        self.problems = problems
        self.data: dict[str, Any] = {}
        self.ok = False
        try:
            self.text = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            self.text = ""
            self.lines: list[str] = []
            self.error(None, "file is missing", f"create {self.rel}")
            return
        except UnicodeDecodeError as exc:
            self.text = ""
            self.lines = []
            self.error(None, f"not UTF-8 text ({exc.reason})", "save the file as UTF-8")
            return
        self.lines = self.text.splitlines()
        size = len(self.text.encode("utf-8"))
        if size > MAX_FILE_BYTES:
            self.error(None, f"the file is {size / 1e6:.1f} MB; a content file is at most "
                       f"{MAX_FILE_BYTES / 1e6:.0f} MB", "remove what was pasted in by mistake")
            return
        try:
            self.data = tomllib.loads(self.text)
            self.ok = True
        except tomllib.TOMLDecodeError as exc:
            match = re.search(r"\(at line (\d+), column (\d+)\)", str(exc))
            line = int(match.group(1)) if match else None
            self.error(line, f"not valid TOML: {exc}", "correct the TOML syntax on that line")
            return
        for path, text in _texts(self.data):
            if len(text) > MAX_TEXT_CHARS:
                self.error(self.find(text[:60]), f"{'.'.join(path)} is {len(text):,} characters "
                           f"long; a text is at most {MAX_TEXT_CHARS:,}",
                           "shorten it, or split it (a plan paragraph per [[block]])")
                self.ok = False

    def error(self, line: int | None, message: str, fix: str) -> None:
        self.problems.append(Problem(self.rel, line, message, fix))

    def find(self, needle: str, start: int = 1) -> int | None:
        """The first line number (1-based) at or after ``start`` that contains ``needle``."""
        for number in range(max(start, 1), len(self.lines) + 1):
            if needle in self.lines[number - 1]:
                return number
        return None

    def find_key(self, key: str, start: int = 1) -> int | None:
        """The first line at or after ``start`` that sets ``key`` (``key = ...``)."""
        pattern = re.compile(r'^\s*("?)' + re.escape(key) + r'\1\s*=')
        for number in range(max(start, 1), len(self.lines) + 1):
            if pattern.match(self.lines[number - 1]):
                return number
        return self.find(key, start)

    def table_starts(self, name: str) -> list[int]:
        """Line numbers of each ``[[name]]`` header, in order."""
        pattern = re.compile(r"^\s*\[\[\s*" + re.escape(name) + r"\s*\]\]")
        return [n for n, text in enumerate(self.lines, 1) if pattern.match(text)]

    def entries(self, name: str) -> list[tuple[int | None, Any]]:
        """Each ``[[name]]`` table with the line of its header (None when it cannot be found)."""
        starts = self.table_starts(name)
        return [(starts[n] if n < len(starts) else None, raw) for n, raw in enumerate(self.data.get(name, []))]

    def key_line(self, table: tuple[str, ...], key: str | None = None) -> int | None:
        """Best line for ``key`` inside the ``[a.b.c]`` table (or the table header itself)."""
        header = None
        for number, text in enumerate(self.lines, 1):
            stripped = text.strip()
            if stripped.startswith("[") and not stripped.startswith("[["):
                parts = _header_parts(stripped)
                if parts == list(table):
                    header = number
                    break
        if key is None or header is None:
            return header
        key_re = re.compile(r'^\s*("?)' + re.escape(key) + r'\1\s*=')
        for number in range(header + 1, len(self.lines) + 1):
            text = self.lines[number - 1]
            if text.strip().startswith("["):
                break
            if key_re.match(text):
                return number
        return header


def _header_parts(header: str) -> list[str]:
    inner = header.strip()[1:].split("]", 1)[0]
    return [p.strip().strip('"').strip("'") for p in re.findall(r'"[^"]*"|\'[^\']*\'|[^.]+', inner)]


# --------------------------------------------------------------------------- helpers


def _label(kind: str, index: int, raw: Any) -> str:
    """How to name a table in a message: by its id when it has one, else by its position."""
    if isinstance(raw, dict) and isinstance(raw.get("id"), str):
        return f"{kind} '{raw['id']}'"
    return f"{kind} #{index + 1}"


def _put(node: dict, path: tuple[str, ...], value: str) -> None:
    for part in path[:-1]:
        node = node.setdefault(part, {})
    node[path[-1]] = value


def _leaves(node: dict, prefix: tuple[str, ...] = ()):
    for key, value in node.items():
        if isinstance(value, dict):
            yield from _leaves(value, (*prefix, key))
        else:
            yield (*prefix, key), value


def _texts(node: Any, prefix: tuple[str, ...] = ()):
    """Every string in parsed TOML with its path, inside tables and arrays (of tables) alike."""
    if isinstance(node, str):
        yield prefix, node
    elif isinstance(node, dict):
        for key, value in node.items():
            yield from _texts(value, (*prefix, key))
    elif isinstance(node, list):
        for n, value in enumerate(node):
            yield from _texts(value, (*prefix, str(n + 1)))


def _quote(key: str) -> str:
    return key if re.match(r"^[A-Za-z0-9_-]+$", key) else f'"{key}"'


def _is_kind(value: Any, kind: Any) -> bool:
    if callable(kind) and not isinstance(kind, type):
        return kind(value)
    if kind is bool:
        return isinstance(value, bool)
    if kind is list:
        return isinstance(value, list) and all(isinstance(v, str) for v in value)
    if kind == "tables":
        return isinstance(value, list) and all(isinstance(v, dict) for v in value)
    return isinstance(value, kind)


def _kind_name(kind: Any) -> str:
    names = {str: "a string", bool: "true or false", list: "a list of strings", int: "a whole number",
             dict: "a [table]", "tables": "a list of [[tables]]"}
    return names.get(kind, getattr(kind, "description", str(kind)))
